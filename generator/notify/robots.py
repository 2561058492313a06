"""The group robots of DingTalk and WeCom: a Markdown message, answered `{"errcode": 0}`.

DingTalk custom robot: `POST <webhook>&timestamp=<ms>&sign=<sign>` with
`{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}`; `sign` is
base64(HMAC-SHA256 keyed by the secret, of "timestamp\\nsecret"), URL-encoded, and the
timestamp must be within an hour of DingTalk's clock. A robot takes 20 messages a
minute (more, and it is throttled for 10 minutes: errcode 130101); 310000 is a refused
signature, keyword or IP address. The text is kept to 20,000 characters.

WeCom group robot: `POST <webhook>` with `{"msgtype": "markdown", "markdown":
{"content": ...}}`; the content may be 4,096 bytes of UTF-8 (errcode 40058 beyond); 20
messages a minute (errcode 45009 beyond). WeCom's Markdown has no lists, so items are
bullets of text; `<@userid>` mentions someone, so strangers' `<` is broken too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from generator.config.notify import NotifyTarget
from generator.notify import layout, text
from generator.notify.channel import (
    Answer,
    DeliveryFailed,
    Secrets,
    post,
    quote,
    status_failure,
    to_json,
)
from generator.notify.message import Notice
from generator.text import one_line

DINGTALK_LIMIT = 20_000
"""Characters of a DingTalk robot's Markdown text."""
WECOM_LIMIT = 4_096
"""Bytes (UTF-8) of a WeCom robot's Markdown content."""
PER_MINUTE = ((20, 60.0),)


def _markdown_link(label: str, url: str) -> str:
    return f"[{label}]({url})"


def _bold(value: str) -> str:
    return f"**{value}**"


DINGTALK_STYLE = layout.Style(
    text=text.markdown, link=_markdown_link, bold=_bold, newline="  \n", indent="　"
)
WECOM_STYLE = layout.Style(text=text.markdown, link=_markdown_link, bold=_bold, indent="　")


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """The `sign` query value before URL encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def _check(answer: Answer, secrets: Secrets, service: str, throttled: int) -> None:
    if answer.status != 200:
        raise status_failure(answer, secrets)
    reply = answer.json()
    code = reply.get("errcode")
    if code != 0:
        said = quote(str(reply.get("errmsg") or answer.text), secrets)
        raise DeliveryFailed(
            f"{service} refused it: errcode {code}: {said}", stop=code == throttled
        )


class DingTalk:
    rate = PER_MINUTE

    def format(self, notice: Notice) -> dict[str, Any]:
        return layout.fit(
            len(notice.commits),
            lambda shown: {
                "msgtype": "markdown",
                "markdown": {
                    "title": text.markdown(one_line(layout.title(notice))),
                    "text": layout.render(notice, shown, DINGTALK_STYLE),
                },
                "at": {"isAtAll": False},
            },
            lambda message: len(message["markdown"]["text"]),
            DINGTALK_LIMIT,
        )

    def send(
        self, message: dict[str, Any], target: NotifyTarget, secrets: Secrets, now: datetime
    ) -> None:
        url = secrets.url
        if secrets.secret:
            timestamp = int(now.timestamp() * 1000)
            signed = urlencode(
                {"timestamp": timestamp, "sign": dingtalk_sign(timestamp, secrets.secret)}
            )
            url += ("&" if "?" in url else "?") + signed
        _check(post(url, to_json(message), {}, secrets), secrets, "DingTalk", throttled=130101)


class WeCom:
    rate = PER_MINUTE

    def format(self, notice: Notice) -> dict[str, Any]:
        return layout.fit(
            len(notice.commits),
            lambda shown: {
                "msgtype": "markdown",
                "markdown": {"content": layout.render(notice, shown, WECOM_STYLE)},
            },
            lambda message: len(message["markdown"]["content"].encode("utf-8")),
            WECOM_LIMIT,
        )

    def send(
        self, message: dict[str, Any], target: NotifyTarget, secrets: Secrets, now: datetime
    ) -> None:
        _check(post(secrets.url, to_json(message), {}, secrets), secrets, "WeCom", throttled=45009)
