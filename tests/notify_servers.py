"""The services notifications go to, on 127.0.0.1, checking what each service checks.

    with ChatServer("dingtalk", secret="SEC…", clock=clock) as robot:
        environ = {"DING_URL": robot.url, "DING_SECRET": robot.secret}
        ...
        robot.received[0].json["markdown"]["text"]

Each answers the way its service answers (Slack `ok` or an error word with a 4xx; Feishu,
DingTalk and WeCom HTTP 200 with an error code in the body) and records every request,
accepted or not, with why it was refused. What is checked, per service:

- slack: a JSON object with a non-empty `text` of at most 40,000 characters;
- feishu: the signature (`timestamp` within an hour of the server's clock, `sign` =
  base64 HMAC-SHA256 keyed by "timestamp\\nsecret"), a body of at most 20 KB, a `post`
  whose paragraphs hold only known elements (`text`, `a` with an `href`, `at`);
- dingtalk: `access_token`, the `timestamp`/`sign` query parameters, 20 messages a minute
  per robot (by the server's clock), `markdown` with a `title` and a `text` of at most
  20,000 characters;
- wecom: `key`, markdown `content` of at most 4,096 bytes, 20 messages a minute;
- webhook: `X-Digest-Signature-256: sha256=<hex HMAC of the raw body>`, compared in
  constant time.

A test scripts faults (`fail(status, body, times)`, `drop(times)`, `stall(seconds)`) that
answer the next requests before any check. `SmtpServer` is aiosmtpd, with a login and
STARTTLS or TLS when asked, keeping each message's source.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets as random
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

FEISHU_BODY_LIMIT = 20 * 1024
SIGNATURE_WINDOW = 3600
PER_MINUTE = 20
PATHS = {
    "slack": "/services/T0DIGEST/B0DIGEST/{token}",
    "feishu": "/open-apis/bot/v2/hook/{token}",
    "dingtalk": "/robot/send?access_token={token}",
    "wecom": "/cgi-bin/webhook/send?key={token}",
    "webhook": "/hooks/digest/{token}",
}


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    accepted: bool = False
    refusal: str = ""

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Fault:
    status: int = 500
    body: str = "rollup_error"
    drop: bool = False
    stall: float = 0.0


@dataclass
class ChatServer:
    kind: str
    secret: str | None = None
    clock: Callable[[], float] = time.time
    token: str = field(default_factory=lambda: "tok" + random.token_hex(12))
    received: list[Received] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)

    def __enter__(self) -> ChatServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        port = self._httpd.server_address[1]
        return f"http://127.0.0.1:{port}" + PATHS[self.kind].format(token=self.token)

    def fail(self, status: int = 500, body: str = "rollup_error", times: int = 1) -> None:
        self.faults += [_Fault(status, body) for _ in range(times)]

    def drop(self, times: int = 1) -> None:
        self.faults += [_Fault(drop=True) for _ in range(times)]

    def stall(self, seconds: float, times: int = 1) -> None:
        self.faults += [_Fault(stall=seconds) for _ in range(times)]

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.accepted]

    # -- answering ---------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length", 0))
        received = Received(
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers=dict(request.headers.items()),
            body=request.rfile.read(length),
        )
        self.received.append(received)
        if self.faults:
            fault = self.faults.pop(0)
            if fault.drop:
                request.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.stall:
                time.sleep(fault.stall)
            received.refusal = f"scripted {fault.status}"
            return _answer(request, fault.status, fault.body)
        status, answer = getattr(self, f"_{self.kind}")(received)
        received.accepted = received.refusal == ""
        body = answer if isinstance(answer, str) else json.dumps(answer)
        _answer(request, status, body)

    def _refuse(self, received: Received, why: str) -> None:
        received.refusal = why

    def _path_is_ours(self, received: Received) -> bool:
        expected = urlsplit(PATHS[self.kind].format(token=self.token))
        query = {k: v[0] for k, v in parse_qs(expected.query).items()}
        mine = all(received.query.get(k) == v for k, v in query.items())
        return received.path == expected.path and mine

    def _body(self, received: Received) -> dict[str, Any] | None:
        try:
            value = json.loads(received.body.decode("utf-8"))
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def _slack(self, received: Received) -> tuple[int, str]:
        if not self._path_is_ours(received):
            self._refuse(received, "no_service")
            return 404, "no_service"
        body = self._body(received)
        if body is None or not isinstance(body.get("text"), str) or not body["text"]:
            self._refuse(received, "invalid_payload")
            return 400, "invalid_payload"
        if len(body["text"]) > 40_000:
            self._refuse(received, "text over 40,000 characters")
            return 400, "msg_too_long"
        return 200, "ok"

    def _feishu(self, received: Received) -> tuple[int, dict[str, Any]]:
        if not self._path_is_ours(received):
            self._refuse(received, "unknown hook")
            return 200, {
                "code": 19001,
                "msg": "param invalid: incoming webhook access token invalid",
            }
        if len(received.body) > FEISHU_BODY_LIMIT:
            self._refuse(received, "body over 20 KB")
            return 200, {"code": 9499, "msg": "request body too large"}
        body = self._body(received)
        if body is None:
            self._refuse(received, "not JSON")
            return 200, {"code": 9499, "msg": "Bad Request"}
        if self.secret is not None:
            stamp = str(body.get("timestamp", ""))
            key = f"{stamp}\n{self.secret}".encode()
            good = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            fresh = stamp.isdigit() and abs(self.clock() - int(stamp)) <= SIGNATURE_WINDOW
            if not fresh or not hmac.compare_digest(good, str(body.get("sign", ""))):
                self._refuse(received, "signature")
                msg = "sign match fail or timestamp is not within one hour from current time"
                return 200, {"code": 19021, "msg": msg}
        if why := _feishu_shape(body):
            self._refuse(received, why)
            return 200, {"code": 9499, "msg": f"Bad Request: {why}"}
        return 200, {
            "StatusCode": 0,
            "StatusMessage": "success",
            "code": 0,
            "data": {},
            "msg": "success",
        }

    def _dingtalk(self, received: Received) -> tuple[int, dict[str, Any]]:
        if not self._path_is_ours(received):
            self._refuse(received, "token")
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        if self.secret is not None:
            stamp = received.query.get("timestamp", "")
            string = f"{stamp}\n{self.secret}".encode()
            digest = hmac.new(self.secret.encode(), string, hashlib.sha256).digest()
            good = base64.b64encode(digest).decode()
            fresh = stamp.isdigit() and abs(self.clock() - int(stamp) / 1000) <= SIGNATURE_WINDOW
            if not fresh or not hmac.compare_digest(good, received.query.get("sign", "")):
                self._refuse(received, "signature")
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
        if self._too_fast():
            self._refuse(received, "more than 20 a minute")
            return 200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        body = self._body(received) or {}
        markdown = body.get("markdown")
        if body.get("msgtype") != "markdown" or not isinstance(markdown, dict):
            self._refuse(received, "not a markdown message")
            return 200, {"errcode": 40035, "errmsg": "missing parameter msgtype or markdown"}
        if not markdown.get("title") or not isinstance(markdown.get("text"), str):
            self._refuse(received, "markdown without title or text")
            return 200, {"errcode": 40035, "errmsg": "missing markdown title or text"}
        if len(markdown["text"]) > 20_000:
            self._refuse(received, "text over 20,000 characters")
            return 200, {"errcode": 460101, "errmsg": "message too long"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _wecom(self, received: Received) -> tuple[int, dict[str, Any]]:
        if not self._path_is_ours(received):
            self._refuse(received, "key")
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        if self._too_fast():
            self._refuse(received, "more than 20 a minute")
            return 200, {"errcode": 45009, "errmsg": "api freq out of limit"}
        body = self._body(received) or {}
        markdown = body.get("markdown")
        content = markdown.get("content") if isinstance(markdown, dict) else None
        if body.get("msgtype") != "markdown" or not isinstance(content, str) or not content:
            self._refuse(received, "not a markdown message")
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        if len(content.encode("utf-8")) > 4096:
            self._refuse(received, "content over 4,096 bytes")
            return 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _webhook(self, received: Received) -> tuple[int, str]:
        if not self._path_is_ours(received):
            self._refuse(received, "not found")
            return 404, "not found"
        if self.secret is not None:
            good = (
                "sha256="
                + hmac.new(self.secret.encode(), received.body, hashlib.sha256).hexdigest()
            )
            given = received.headers.get("X-Digest-Signature-256", "")
            if not hmac.compare_digest(good, given):
                self._refuse(received, "signature")
                return 401, "bad signature"
        if self._body(received) is None:
            self._refuse(received, "not JSON")
            return 400, "not JSON"
        return 204, ""

    def _too_fast(self) -> bool:
        """More than 20 accepted in the last minute by the server's clock."""
        now = self.clock()
        recent = [t for t in getattr(self, "_times", []) if t > now - 60]
        if len(recent) >= PER_MINUTE:
            return True
        self._times = [*recent, now]
        return False


def _feishu_shape(body: dict[str, Any]) -> str:
    """Why a Feishu message is malformed, or '' (text and post messages)."""
    kind = body.get("msg_type")
    content = body.get("content")
    if kind == "text":
        return "" if isinstance(content, dict) and isinstance(content.get("text"), str) else "text"
    if kind != "post" or not isinstance(content, dict) or not isinstance(content.get("post"), dict):
        return "msg_type"
    for language, post in content["post"].items():
        if language not in ("zh_cn", "en_us", "ja_jp") or not isinstance(post, dict):
            return f"post language {language}"
        if not isinstance(post.get("title"), str) or not isinstance(post.get("content"), list):
            return "post title or content"
        for paragraph in post["content"]:
            for element in paragraph if isinstance(paragraph, list) else [None]:
                if not isinstance(element, dict) or element.get("tag") not in ("text", "a", "at"):
                    return "post element"
                if element["tag"] == "a" and not str(element.get("href", "")).startswith("http"):
                    return "a without href"
    return ""


def _answer(request: BaseHTTPRequestHandler, status: int, body: str) -> None:
    data = body.encode("utf-8")
    request.send_response(status)
    request.send_header(
        "Content-Type", "application/json" if body.startswith("{") else "text/plain"
    )
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    request.wfile.write(data)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- e-mail ----------------------------------------------------------------------------


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    source: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.source, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(
            Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1: `security` none, starttls (required) or ssl, with a login
    when `username` is set (refused with 535 for another password)."""

    def __init__(
        self,
        security: str = "none",
        username: str | None = None,
        password: str | None = None,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.inbox = _Inbox()
        self.port = closed_port()
        self.username = username
        self.password = password
        # With TLS from the start aiosmtpd does not see the session as TLS: let it offer
        # a login anyway (the connection is encrypted all the same).
        options: dict[str, Any] = {"auth_require_tls": security == "starttls"}
        if username:
            options["authenticator"] = self._authenticate
            options["auth_required"] = True
        if security == "starttls":
            options.update(tls_context=context, require_starttls=True)
        if security == "ssl":
            options["ssl_context"] = context
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth: Any
    ) -> AuthResult:
        good = (
            isinstance(auth, LoginPassword)
            and auth.login.decode() == self.username
            and auth.password.decode() == self.password
        )
        return AuthResult(success=good, handled=False)

    @property
    def mails(self) -> list[Mail]:
        return self.inbox.mails

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
