"""A generic webhook: the notice as JSON, signed the way GitHub signs its webhooks.

    POST <url>
    Content-Type: application/json
    X-Digest-Event: day
    X-Digest-Delivery: day/sgl-project/sglang/2026-02-15
    X-Digest-Signature-256: sha256=<hex HMAC-SHA256 of the body, keyed by the secret>

The body lists every commit with its facts and analysis, text exactly as recorded: it is
data for a program, which must treat it as untrusted text. Any 2xx answer is success.
A receiver checks the signature over the raw bytes, in constant time
(`hmac.compare_digest`), before parsing them.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any
from urllib.parse import quote

from generator.config.notify import NotifyTarget
from generator.notify.channel import Secrets, post, status_failure, to_json
from generator.notify.message import Notice, NoticeCommit

SIGNATURE_HEADER = "X-Digest-Signature-256"
VERSION = 1


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(notice: Notice) -> dict[str, Any]:
    return {
        "version": VERSION,
        "key": notice.key,
        "kind": notice.kind,
        "language": notice.language,
        "repo": notice.repo,
        "day": notice.day.isoformat(),
        "last_day": notice.last_day.isoformat() if notice.last_day else None,
        "watch": notice.watch,
        "title": notice.title,
        "counts": notice.counts,
        "total": notice.total,
        "ignored": notice.ignored,
        "page_url": notice.page_url,
        "commits": [_commit(c) for c in notice.commits],
    }


def _commit(commit: NoticeCommit) -> dict[str, Any]:
    return {
        "sha": commit.sha,
        "subject": commit.subject,
        "author": commit.author,
        "tier": commit.tier,
        "change_type": commit.change_type,
        "summary": commit.summary,
        "page_url": commit.page_url,
        "github_url": commit.github_url,
        "interface_changes": [c.model_dump(mode="json") for c in commit.interface_changes],
    }


class Webhook:
    rate = ()

    def format(self, notice: Notice) -> tuple[str, bytes]:
        return notice.key, to_json(payload(notice))

    def send(
        self, message: tuple[str, bytes], target: NotifyTarget, secrets: Secrets, now: datetime
    ) -> None:
        key, body = message
        # Quoted: a header is ASCII, and a watch's name need not be.
        headers = {"X-Digest-Event": key.split("/", 1)[0], "X-Digest-Delivery": quote(key, "/")}
        if secrets.secret:
            headers[SIGNATURE_HEADER] = signature(body, secrets.secret)
        answer = post(secrets.url, body, headers, secrets)
        if not 200 <= answer.status < 300:
            raise status_failure(answer, secrets)
