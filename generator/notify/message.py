"""What a notification says, before any channel formats it: built from the records by the
caller, the same for every channel. All text in it is untrusted (commit subjects, author
names, analyses) except the URLs, which the caller builds from the site's URL and the
repository's name; each channel escapes the text its own way and decides what fits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from generator.models import TIERS, InterfaceChange, Tier

NoticeKind = Literal["day", "watch", "high", "week"]


@dataclass(frozen=True)
class NoticeCommit:
    sha: str
    subject: str
    author: str
    """The git author's name (or e-mail when the name is empty)."""
    tier: Tier
    change_type: str
    """The change type as the notice's language names it (`修复`, `fix`)."""
    summary: str
    """The analysis' one-line summary."""
    page_url: str
    """The commit's page in the archive (absolute URL)."""
    github_url: str
    interface_changes: tuple[InterfaceChange, ...] = ()


@dataclass(frozen=True)
class Notice:
    """One message's content: a repository-day, a watch's part of it, or a week."""

    key: str
    """Stable and unique: what the ledger records as delivered (see the `*_key` helpers)."""
    kind: NoticeKind
    language: Literal["zh", "en"]
    repo: str
    day: date
    """The day reported; for a week, its first day."""
    page_url: str
    """The day page (or the watch's, or the week's) in the archive (absolute URL)."""
    counts: dict[Tier, int]
    """Commits per tier of the whole day (or of the watch's part), also those not listed."""
    commits: tuple[NoticeCommit, ...] = ()
    """Sorted here high tier first, keeping the given order within a tier: what a channel
    cuts to fit its size limit comes off the end."""
    last_day: date | None = None
    """The last day of a week; None for a day."""
    watch: str | None = None
    """The watch's name, for `kind: watch`."""
    title: str | None = None
    """The watch's title as configured (shown instead of its name)."""
    to: tuple[str, ...] | None = None
    """The targets it is addressed to by name (a watch's `notify:` list); None: every
    target whose `what` takes this kind."""
    ignored: int = 0
    """Commits of the day a noise rule matched: counted as low in `counts`, never listed."""

    def __post_init__(self) -> None:
        ordered = tuple(c for tier in TIERS for c in self.commits if c.tier == tier)
        object.__setattr__(self, "commits", ordered)
        object.__setattr__(self, "counts", {t: int(self.counts.get(t, 0)) for t in TIERS})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def until(self) -> date:
        """The last day the notice covers."""
        return self.last_day or self.day

    def high_only(self) -> Notice | None:
        """The day's high-tier commits as their own notice (`what: high`); None without any."""
        high = tuple(c for c in self.commits if c.tier == "high")
        if self.kind != "day" or not high:
            return None
        key = "high/" + self.key.removeprefix("day/")
        return replace(self, key=key, kind="high", commits=high, ignored=0)


def day_key(repo: str, day: date) -> str:
    """`day/sgl-project/sglang/2026-02-15`"""
    return f"day/{repo}/{day.isoformat()}"


def watch_key(watch: str, repo: str, day: date) -> str:
    """`watch/moe/sgl-project/sglang/2026-02-15`"""
    return f"watch/{watch}/{repo}/{day.isoformat()}"


def week_key(repo: str, first_day: date) -> str:
    """`week/sgl-project/sglang/2026-02-09` (the week's first day)"""
    return f"week/{repo}/{first_day.isoformat()}"
