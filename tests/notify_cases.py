"""Notices, targets and a clock for the notification tests."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown

from generator.config.notify import NotifyTarget
from generator.models import InterfaceChange, Tier
from generator.notify import Delivery, Notice, NoticeCommit, day_key, deliver
from generator.text import WORD_JOINER

from notify_servers import Received

SITE = "https://digest.example/"
REPO = "sgl-project/sglang"
DAY = date(2026, 2, 15)
HOSTILE = "<!channel> <script>alert(1)</script> @all [x](https://evil.example)"
HOSTILE_AUTHOR = "@here"
SIGNED = ("feishu", "dingtalk", "webhook")


@dataclass
class Clock:
    """A clock that sleeping moves: the rate limiter waits no real second."""

    now: float = datetime(2026, 2, 16, 1, 0, tzinfo=UTC).timestamp()
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def commit(
    n: int,
    tier: Tier,
    subject: str | None = None,
    author: str | None = None,
    summary: str = "",
    changes: tuple[InterfaceChange, ...] = (),
) -> NoticeCommit:
    sha = f"{n:04d}" + "ab" * 18
    return NoticeCommit(
        sha=sha,
        subject=subject or f"commit {n}: change the {tier} things",
        author=author or f"Author {n}",
        tier=tier,
        change_type="fix",
        summary=summary or f"summary of commit {n}",
        page_url=page_url(sha),
        github_url=f"https://github.com/{REPO}/commit/{sha}",
        interface_changes=changes,
    )


def page_url(sha: str) -> str:
    return f"{SITE}commits/{REPO}/{sha[:12]}/"


def day_url(day: date = DAY) -> str:
    return f"{SITE}daily/{day:%Y/%m/%d}/"


def notice(
    commits: list[NoticeCommit], day: date = DAY, language: str = "en", **extra: Any
) -> Notice:
    counts = {t: sum(1 for c in commits if c.tier == t) for t in ("high", "medium", "low")}
    values: dict[str, Any] = {
        "key": day_key(REPO, day),
        "kind": "day",
        "language": language,
        "repo": REPO,
        "day": day,
        "page_url": day_url(day),
        "counts": counts,
        "commits": tuple(commits),
    }
    return Notice(**{**values, **extra})


def small_day(day: date = DAY, language: str = "en") -> Notice:
    return notice(
        [
            commit(
                1,
                "high",
                summary="Rewrites the scheduler's batching.",
                changes=(
                    InterfaceChange(
                        kind="option",
                        name="--max-running-requests",
                        change="default",
                        file="server_args.py",
                        old="None",
                        new="128",
                    ),
                ),
            ),
            commit(2, "medium"),
            commit(3, "low"),
        ],
        day=day,
        language=language,
    )


def huge_day() -> Notice:
    """300 commits with long subjects: 10 high, 90 medium, 200 low."""
    long = "修复 fused_moe 在长序列下的数值误差 and make the kernel faster " * 5
    tiers: list[Tier] = ["high"] * 10 + ["medium"] * 90 + ["low"] * 200
    return notice(
        [commit(n, t, subject=f"{n} {long}", summary="摘要 " * 200) for n, t in enumerate(tiers)]
    )


def days(count: int) -> list[Notice]:
    return [small_day(DAY - timedelta(days=count - 1 - i)) for i in range(count)]


def target(kind: str, name: str | None = None, **extra: Any) -> NotifyTarget:
    values: dict[str, Any] = {"name": name or f"team-{kind}", "type": kind}
    if kind == "email":
        values.update(
            {"smtp_host": "127.0.0.1", "from": "digest@example.org", "to": ["team@example.org"]}
        )
    else:
        values["url_env"] = f"{kind.upper()}_URL"
        if kind in SIGNED:
            values["secret_env"] = f"{kind.upper()}_SECRET"
    return NotifyTarget.model_validate({**values, **extra})


def environ(kind: str, url: str, secret: str | None = None) -> dict[str, str]:
    values = {f"{kind.upper()}_URL": url}
    if secret is not None:
        values[f"{kind.upper()}_SECRET"] = secret
    return values


def run(
    targets: list[NotifyTarget],
    notices: list[Notice],
    data_dir: Path,
    env: dict[str, str],
    clock: Clock,
    **extra: Any,
) -> Delivery:
    return deliver(targets, notices, data_dir, env, clock, sleep=clock.sleep, **extra)


# -- what a reader of each service sees ------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def raw_text(received: Received) -> str:
    """The text as sent, markup included."""
    body = received.json
    if received.path.startswith("/services/"):
        return body["text"]
    if received.path.startswith("/open-apis/"):
        post = next(iter(body["content"]["post"].values()))
        elements = [e for paragraph in post["content"] for e in paragraph]
        return post["title"] + "\n" + "".join(e.get("text", "") for e in elements)
    if received.path.startswith("/robot/"):
        return body["markdown"]["text"]
    return body["markdown"]["content"]


def seen(received: Received) -> tuple[str, list[str]]:
    """What a reader sees (markup rendered, word joiners invisible) and the links."""
    text = raw_text(received)
    if received.path.startswith("/services/"):
        links = re.findall(r"<([^<>|]*)\|[^<>]*>", text)
        shown = re.sub(r"<[^<>|]*\|([^<>]*)>", r"\1", text)
        shown = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    elif received.path.startswith("/open-apis/"):
        post = next(iter(received.json["content"]["post"].values()))
        links = [e["href"] for p in post["content"] for e in p if e["tag"] == "a"]
        shown = text
    else:
        parser = _Text()
        parser.feed(markdown.markdown(text))
        links, shown = parser.links, html.unescape("".join(parser.parts))
    return shown.replace(WORD_JOINER, ""), links
