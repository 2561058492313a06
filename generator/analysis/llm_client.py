"""Chat completions over the official `openai` client, against any compatible endpoint.

The client retries 408/409/429/5xx answers and timeouts with exponential backoff,
honouring `Retry-After`; this module adds what a daily job needs on top: every
HTTP request counted (retries included), JSON mode dropped for good once the
endpoint refuses it, and an endpoint that refuses the key (401/403) not asked
again in the same run. Errors leave as `RequestFailed` with a short reason that
never carries the endpoint's own message (it could echo the request).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import httpx2
import openai

from generator.config import LlmConfig

MAX_RETRIES = 3


REASONS = {
    "timeout": {"en": "no answer within {seconds:g} s", "zh": "{seconds:g} 秒内没有回应"},
    "status": {"en": "the endpoint failed (HTTP {status})", "zh": "接口出错（HTTP {status}）"},
    "rejected": {
        "en": "the endpoint rejected the request (HTTP 400)",
        "zh": "接口拒绝了请求（HTTP 400）",
    },
    "refused": {
        "en": "the endpoint refused the key (HTTP {status})",
        "zh": "接口拒绝了密钥（HTTP {status}）",
    },
    "unreachable": {"en": "the endpoint could not be reached", "zh": "无法连接接口"},
    "empty": {"en": "the endpoint answered without content", "zh": "接口返回了空内容"},
    "unusable": {"en": "unusable answer ({error})", "zh": "无法使用的回复（{error}）"},
}


class RequestFailed(Exception):
    """No usable answer after the client's retries. The reason is ours, never the
    endpoint's own message, so it is safe to publish; `describe` says it in a language."""

    def __init__(self, kind: str, **values: object) -> None:
        super().__init__(REASONS[kind]["en"].format(**values))
        self.kind = kind
        self.values = values

    def describe(self, language: str) -> str:
        return REASONS[self.kind][language].format(**self.values)


@dataclass(frozen=True)
class Completion:
    text: str
    tokens_in: int | None
    tokens_out: int | None


class ChatClient:
    def __init__(self, config: LlmConfig, api_key: str | None) -> None:
        self.config = config
        self.requests = 0
        self._lock = threading.Lock()
        self._json_mode = True
        self._refused: RequestFailed | None = None
        http = httpx2.Client(
            timeout=config.timeout,
            follow_redirects=True,
            event_hooks={"request": [self._count]},
        )
        self._client = openai.OpenAI(
            # The client insists on a key; an endpoint that needs none ignores this one.
            api_key=api_key or "no-key",
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=MAX_RETRIES,
            http_client=http,
        )

    def _count(self, _request: object) -> None:
        with self._lock:
            self.requests += 1

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> Completion:
        if self._refused:
            raise self._refused
        try:
            return self._send(messages, max_tokens, self._json_mode)
        except openai.BadRequestError:
            if not self._json_mode:
                raise RequestFailed("rejected") from None
        # Some compatible servers reject `response_format`: ask once more without it,
        # and leave it out for the rest of the run.
        self._json_mode = False
        try:
            return self._send(messages, max_tokens, json_mode=False)
        except openai.BadRequestError:
            raise RequestFailed("rejected") from None

    def _send(self, messages: list[dict[str, str]], max_tokens: int, json_mode: bool) -> Completion:
        extra = {"response_format": {"type": "json_object"}} if json_mode else {}
        try:
            response = self._client.chat.completions.create(
                model=self.config.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=self.config.temperature,
                max_tokens=max_tokens,
                **extra,  # type: ignore[arg-type]
            )
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            self._refused = RequestFailed("refused", status=exc.status_code)
            raise self._refused from None
        except openai.BadRequestError:
            raise
        except openai.APITimeoutError:
            raise RequestFailed("timeout", seconds=self.config.timeout) from None
        except openai.APIStatusError as exc:
            raise RequestFailed("status", status=exc.status_code) from None
        except openai.APIConnectionError:
            raise RequestFailed("unreachable") from None
        except (openai.OpenAIError, ValueError) as exc:
            raise RequestFailed("unusable", error=type(exc).__name__) from None
        choice = response.choices[0] if response.choices else None
        text = choice.message.content if choice and choice.message else None
        if not text:
            raise RequestFailed("empty")
        usage = response.usage
        return Completion(
            text=text,
            tokens_in=usage.prompt_tokens if usage else None,
            tokens_out=usage.completion_tokens if usage else None,
        )

    def close(self) -> None:
        self._client.close()
