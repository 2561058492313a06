"""Feishu (Lark) custom bots: a rich-text `post` message, signed.

    {"timestamp": "1599360473", "sign": "<base64>", "msg_type": "post",
     "content": {"post": {"zh_cn": {"title": "...", "content": [[{"tag": "text", ...},
                                                                  {"tag": "a", ...}]]}}}}

A bot with signature checking wants `timestamp` (seconds, within an hour of Feishu's
clock) and `sign` = base64(HMAC-SHA256 keyed by "timestamp\\nsecret", of nothing). The
request body may be at most 20 KB. Feishu answers HTTP 200 with `{"code": 0}` on success
and a non-zero `code` and `msg` on failure (19021: signature or timestamp refused, 11232:
rate limited, 9499: bad request).

Strangers' text goes only into `text` elements and the labels of `a` elements, which the
client shows as written: no markup, and mentions are `at` elements of their own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from generator.config.notify import NotifyTarget
from generator.models import TIERS
from generator.notify import layout
from generator.notify.channel import (
    DeliveryFailed,
    Secrets,
    post,
    quote,
    status_failure,
    to_json,
)
from generator.notify.message import Notice, NoticeCommit
from generator.render.i18n import Labels
from generator.text import TIER_EMOJI, cut, neutral, one_line

BODY_LIMIT = 20_000
"""Bytes of the request body (Feishu documents 20 KB for custom bots)."""
RATE_LIMITED = 11232

Element = dict[str, str]


def sign(timestamp: int, secret: str) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _text(value: str) -> Element:
    return {"tag": "text", "text": value}


def _link(label: str, url: str) -> Element:
    return {"tag": "a", "text": label, "href": url}


def content(notice: Notice, shown: int) -> dict[str, Any]:
    """The `post` content listing the first `shown` commits (the same layout as the text
    channels, as paragraphs of elements)."""
    labels = Labels(notice.language)
    paragraphs: list[list[Element]] = [[_text(layout.stats(notice))]]
    listed = notice.commits[:shown]
    for tier in TIERS:
        group = [c for c in listed if c.tier == tier]
        if group:
            paragraphs.append([_text(layout.section(notice, tier, labels))])
            for commit in group:
                paragraphs += _commit(commit, labels)
    footer = _link(layout.page_label(notice), notice.page_url)
    more = layout.more_line(notice, shown)
    if noise := layout.ignored_line(notice):
        paragraphs.append([_text(noise)])
    paragraphs.append([_text(more + " "), footer] if more else [footer])
    language = "zh_cn" if notice.language == "zh" else "en_us"
    title = neutral(one_line(layout.title(notice)))
    return {"post": {language: {"title": title, "content": paragraphs}}}


def _commit(commit: NoticeCommit, labels: Labels) -> list[list[Element]]:
    subject = neutral(cut(one_line(commit.subject), layout.SUBJECT_LIMIT))
    facts = [neutral(cut(one_line(commit.author), layout.AUTHOR_LIMIT))]
    if kind := cut(one_line(commit.change_type), layout.NAME_LIMIT):
        facts.append(neutral(kind))
    line = [
        _text(f"• {TIER_EMOJI[commit.tier]} "),
        _link(subject, commit.page_url),
        _text(f" — {' · '.join(facts)} · "),
        _link("GitHub", commit.github_url),
    ]
    lines = [line]
    if commit.tier == "high" and (summary := cut(one_line(commit.summary), layout.SUMMARY_LIMIT)):
        lines.append([_text("  " + neutral(summary))])
    if changes := commit.interface_changes:
        listed = [
            neutral(layout.interface_text(c, labels)) for c in changes[: layout.INTERFACE_LIMIT]
        ]
        if len(changes) > layout.INTERFACE_LIMIT:
            listed.append(f"+{len(changes) - layout.INTERFACE_LIMIT}")
        lines.append([_text(f"  {labels('interface_changes')}: {'; '.join(listed)}")])
    return lines


class Feishu:
    rate = ((5, 1.0), (100, 60.0))
    """Feishu allows a custom bot 100 messages a minute and 5 a second."""

    def format(self, notice: Notice) -> dict[str, Any]:
        # Measured with room for the signature fields added when sending.
        return layout.fit(
            len(notice.commits),
            lambda shown: {"msg_type": "post", "content": content(notice, shown)},
            lambda message: len(to_json(message)) + 80,
            BODY_LIMIT,
        )

    def send(
        self, message: dict[str, Any], target: NotifyTarget, secrets: Secrets, now: datetime
    ) -> None:
        body = dict(message)
        if secrets.secret:
            timestamp = int(now.timestamp())
            body = {"timestamp": str(timestamp), "sign": sign(timestamp, secrets.secret), **body}
        answer = post(secrets.url, to_json(body), {}, secrets)
        if answer.status != 200:
            raise status_failure(answer, secrets)
        reply = answer.json()
        code = reply.get("code", reply.get("StatusCode"))
        if code != 0:
            said = quote(
                str(reply.get("msg") or reply.get("StatusMessage") or answer.text), secrets
            )
            raise DeliveryFailed(
                f"Feishu refused it: code {code}: {said}", stop=code == RATE_LIMITED
            )
