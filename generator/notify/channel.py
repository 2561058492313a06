"""What every channel shares: its secrets, the failure it reports, and one HTTP POST whose
errors are described without the URL (a webhook's URL is its password)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from generator.config.notify import NotifyTarget
from generator.errors import ConfigError
from generator.notify.message import Notice
from generator.text import cut, one_line

TIMEOUT = (5.0, 20.0)
"""Seconds to connect, and to wait for the answer."""
REASON_LIMIT = 200


class DeliveryFailed(Exception):
    """A message was not delivered; `reason` is one line safe to print."""

    def __init__(self, reason: str, stop: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stop = stop
        """The target is unreachable or limiting us: its other messages wait too."""


@dataclass(frozen=True)
class Secrets:
    """A target's secrets, read from the environment; never printed (see `redact`)."""

    url: str = ""
    secret: str = ""
    username: str = ""
    password: str = ""

    @classmethod
    def read(cls, target: NotifyTarget, environ: Mapping[str, str]) -> Secrets:
        """The target's variables; a missing or empty one is a ConfigError naming it."""
        missing = [
            name
            for name in (
                target.url_env,
                target.secret_env,
                target.username_env,
                target.password_env,
            )
            if name and not environ.get(name)
        ]
        if missing:
            variables = " and ".join(f"${name}" for name in missing)
            them = "them" if len(missing) > 1 else "it"
            raise ConfigError(
                f"notify {target.label} needs {variables}: set {them} in the environment "
                "(the value is a secret: never put it in the config), or remove the target"
            )
        url = environ.get(target.url_env or "", "")
        parts = urlsplit(url)
        if target.url_env and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ConfigError(
                f"notify {target.label}: ${target.url_env} is not an http(s) URL "
                "(copy the webhook address the service shows)"
            )
        return cls(
            url=url,
            secret=environ.get(target.secret_env or "", ""),
            username=environ.get(target.username_env or "", ""),
            password=environ.get(target.password_env or "", ""),
        )

    def redact(self, text: str) -> str:
        """The text without any secret, nor the parts of the URL that make it one (its
        path and query), should a server or a library have echoed them."""
        parts = urlsplit(self.url)
        pieces = [self.url, parts.path + ("?" + parts.query if parts.query else ""), parts.query]
        pieces += [value for chunk in parts.query.split("&") for value in chunk.split("=")[1:]]
        # Long segments are tokens (Slack's, Feishu's); short ones are words like "webhook".
        pieces += [p for p in parts.path.split("/") if len(p) >= 16]
        pieces += [self.secret, self.password, self.username]
        for piece in sorted({p for p in pieces if len(p) >= 4}, key=len, reverse=True):
            text = text.replace(piece, "[redacted]")
        return text


class Channel(Protocol):
    """One kind of target: how a notice becomes a message, and how it is sent."""

    rate: tuple[tuple[int, float], ...]
    """(messages, seconds) the service allows per target; empty: no limit."""

    def format(self, notice: Notice) -> Any:
        """The message, cut to the service's size limit."""

    def send(self, message: Any, target: NotifyTarget, secrets: Secrets, now: datetime) -> None:
        """Deliver it or raise DeliveryFailed."""


@dataclass(frozen=True)
class Answer:
    status: int
    text: str

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.text)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def post(url: str, body: bytes, headers: Mapping[str, str], secrets: Secrets) -> Answer:
    """POST `body`; a failure to get any answer is DeliveryFailed(stop=True), described
    without the URL (requests puts it in its exception messages)."""
    headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    headers.setdefault("User-Agent", "commit-digest")
    try:
        response = requests.post(
            url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
    except requests.exceptions.SSLError:
        raise DeliveryFailed("TLS handshake with the webhook's host failed", stop=True) from None
    except requests.exceptions.ConnectTimeout:
        raise DeliveryFailed(f"could not connect within {TIMEOUT[0]:g} s", stop=True) from None
    except requests.exceptions.Timeout:
        raise DeliveryFailed(f"no answer within {TIMEOUT[1]:g} s", stop=True) from None
    except requests.exceptions.ConnectionError as exc:
        said = str(exc).lower()
        if "refused" in said:
            reason = "connection refused"
        elif "aborted" in said or "reset" in said or "disconnected" in said:
            reason = "the connection was dropped before an answer"
        else:
            reason = "could not reach the webhook's host"
        raise DeliveryFailed(reason, stop=True) from None
    except requests.exceptions.RequestException as exc:
        raise DeliveryFailed(f"request failed ({type(exc).__name__})", stop=True) from None
    return Answer(response.status_code, response.text)


def status_failure(answer: Answer, secrets: Secrets, what: str = "the webhook") -> DeliveryFailed:
    """`HTTP 500 from the webhook: <its body>`; 5xx and 429 stop the target for this run."""
    body = quote(answer.text, secrets)
    reason = f"HTTP {answer.status} from {what}" + (f": {body}" if body else "")
    return DeliveryFailed(reason, stop=answer.status >= 500 or answer.status == 429)


def quote(text: str, secrets: Secrets) -> str:
    """A server's words as one safe line: cleaned, cut, without secrets."""
    return cut(one_line(secrets.redact(text)), REASON_LIMIT)


def to_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
