"""A chat-completions endpoint on 127.0.0.1 that answers from a script, as the tests need.

    with LlmServer(answers=[Answer(status=500), Answer(status=500)]) as server:
        ...                                   # later requests get `server.default(...)`
    server.requests        # every request's JSON body, in arrival order
    server.headers         # and its headers (names in lower case)

It speaks the subset of the OpenAI API the `openai` client uses for
`chat.completions.create`: POST /v1/chat/completions with a JSON body, a JSON
answer with `choices[0].message.content` and `usage`. Answers may be delayed,
fail with any status and headers, or carry any content.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SHA = re.compile(r"\b[0-9a-f]{40}\b")


@dataclass
class Answer:
    status: int = 200
    content: str | None = None
    """The reply's message content; None: `server.default` builds a valid one."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: str | None = None
    """A raw body to send instead of a completion (error answers)."""


def completion(content: str, prompt_tokens: int = 1000, completion_tokens: int = 200) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_770_000_000,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def analysis_json(sha: str, **overrides: Any) -> str:
    """A valid analysis of commit `sha`, every text naming the commit's short sha."""
    short = sha[:7]
    reply: dict[str, Any] = {
        "tier": "medium",
        "change_type": "fix",
        "summary": [f"LLM summary of {short}.", "It changes how the scheduler counts."],
        "impact_scope": {"modules": [], "files": []},
        "insights": {
            "architecture": f"LLM architecture note on {short}.",
            "performance": "",
            "security": "",
        },
        "risks": [f"LLM risk of {short}."],
        "recommendations": [f"LLM advice for {short}."],
    }
    reply.update(overrides)
    return json.dumps(reply, ensure_ascii=False)


def default_answer(request: dict) -> Answer:
    """A valid reply: an analysis of the commit the request names, or an overview."""
    text = "\n".join(m["content"] for m in request["messages"] if m["role"] == "user")
    if '{"overview"' in text:
        return Answer(content=json.dumps({"overview": "LLM overview of the day."}))
    match = SHA.search(text)
    return Answer(content=analysis_json(match.group(0) if match else "0" * 40))


class LlmServer:
    def __init__(
        self,
        answers: list[Answer] | None = None,
        default: Callable[[dict], Answer] = default_answer,
    ) -> None:
        self.answers = list(answers or [])
        self.default = default
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> LlmServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def user_messages(self) -> list[str]:
        return [
            "\n".join(m["content"] for m in r["messages"] if m["role"] == "user")
            for r in self.requests
        ]

    def _next(self, request: dict) -> Answer:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            scripted = self.answers.pop(0) if self.answers else None
        if scripted is None or (scripted.status == 200 and scripted.content is None):
            generated = self.default(request)
            if scripted is not None:
                generated.delay = scripted.delay
            return generated
        return scripted

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                answer = server._next(request)
                try:
                    time.sleep(answer.delay)
                    if answer.body is not None or answer.status != 200:
                        body = answer.body or json.dumps(
                            {"error": {"message": "scripted failure", "type": "server_error"}}
                        )
                    else:
                        body = json.dumps(completion(answer.content or ""))
                    data = body.encode()
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    with server._lock:
                        server.in_flight -= 1

        return Handler
