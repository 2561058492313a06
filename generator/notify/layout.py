"""One layout for every text channel, and the cut that makes it fit a size limit.

    sglang daily report 2026-02-15                     (a link to the day page)
    19 commits | 🔴 high 3 | 🟡 medium 8 | 🟢 low 8

    🔴 high (3)
    • 🔴 subject — author · fix · GitHub               (subject links to its page)
      summary
      Interface changes: option --x added (default 1)
    🟡 medium (8)
    • 🟡 subject — author · feature · GitHub
    … and 8 more (🟢 8) Day page

A channel supplies the escaping and the markup (a `Style`); `fit` keeps as many commits as
the channel's limit allows, cutting from the end (the low tier first: commits come high
first) and saying how many more there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from generator.models import TIERS, InterfaceChange, Tier
from generator.notify.message import Notice, NoticeCommit
from generator.render.i18n import Labels
from generator.text import TIER_EMOJI, cut, one_line

SUBJECT_LIMIT = 200
AUTHOR_LIMIT = 60
SUMMARY_LIMIT = 300
NAME_LIMIT = 80
VALUE_LIMIT = 40
INTERFACE_LIMIT = 5
"""Interface changes listed per commit; the page has the rest."""

T = TypeVar("T")


@dataclass(frozen=True)
class Style:
    text: Callable[[str], str]
    """Strangers' text (already cleaned to one line) made inert for the channel."""
    link: Callable[[str, str], str]
    """(label as `text` made it, URL) → a link."""
    bold: Callable[[str], str] = lambda s: s
    bullet: str = "• "
    indent: str = "  "
    newline: str = "\n"
    paragraph: str = "\n\n"


def title(notice: Notice) -> str:
    """The notice's title in its language (untrusted parts not yet escaped)."""
    labels = Labels(notice.language)
    dates = {"repo": notice.repo, "date": notice.day.isoformat()}
    if notice.kind == "watch":
        return labels("notify.watch_title", watch=notice.title or notice.watch or "", **dates)
    if notice.kind == "week":
        return labels("notify.week_title", until=notice.until.isoformat(), **dates)
    if notice.kind == "high":
        return labels("notify.high_title", **dates)
    return labels("report_title", **dates)


def stats(notice: Notice) -> str:
    key = "notify.week_stats" if notice.kind == "week" else "stats"
    return Labels(notice.language)(key, total=notice.total, **notice.counts)


def section(notice: Notice, tier: Tier, labels: Labels) -> str:
    """`🔴 high (3)`: the tier's commits of the notice, listed or cut (noise is not)."""
    count = notice.counts[tier] - (notice.ignored if tier == "low" else 0)
    return labels("notify.section", emoji=TIER_EMOJI[tier], tier=labels.tier(tier), count=count)


def ignored_line(notice: Notice) -> str | None:
    """How many of the day's commits noise rules left out (they count in the stats line)."""
    if not notice.ignored:
        return None
    return Labels(notice.language)("notify.ignored", total=notice.ignored)


def page_label(notice: Notice) -> str:
    key = {"watch": "notify.watch_page", "week": "notify.week_page"}.get(notice.kind)
    return Labels(notice.language)(key or "notify.day_page")


def more_line(notice: Notice, shown: int) -> str | None:
    """`… and 8 more (🟡 3 · 🟢 5)` when `shown` commits leave some out."""
    rest = notice.commits[shown:]
    if not rest:
        return None
    parts = [f"{TIER_EMOJI[t]} {n}" for t in TIERS if (n := sum(1 for c in rest if c.tier == t))]
    return Labels(notice.language)("notify.more", count=len(rest), tiers=" · ".join(parts))


def interface_text(change: InterfaceChange, labels: Labels) -> str:
    """`option --x default changed: 1 → 2` (untrusted: names and values come from code)."""
    name = cut(one_line(change.name), NAME_LIMIT)
    text = f"{labels('interface.' + change.kind)} {name} {labels('interface.' + change.change)}"
    old, new = (cut(one_line(v), VALUE_LIMIT) if v else None for v in (change.old, change.new))
    if old and new:
        text += f": {old} → {new}"
    elif new or old:
        text += f": {new or old}"
    return text


def render(notice: Notice, shown: int, style: Style) -> str:
    """The notice as text in `style`, listing its first `shown` commits."""
    labels = Labels(notice.language)
    head = style.bold(style.link(style.text(one_line(title(notice))), notice.page_url))
    blocks = [head + style.newline + stats(notice)]
    listed = notice.commits[:shown]
    for tier in TIERS:
        group = [c for c in listed if c.tier == tier]
        if group:
            heading = section(notice, tier, labels)
            lines = [style.bold(heading)] + [_commit(c, style, labels) for c in group]
            blocks.append(style.newline.join(lines))
    footer = style.link(page_label(notice), notice.page_url)
    more = more_line(notice, shown)
    blocks.append(f"{more} {footer}" if more else footer)
    if noise := ignored_line(notice):
        blocks.insert(-1, noise)
    return style.paragraph.join(blocks)


def _commit(commit: NoticeCommit, style: Style, labels: Labels) -> str:
    subject = style.link(style.text(cut(one_line(commit.subject), SUBJECT_LIMIT)), commit.page_url)
    facts = [style.text(cut(one_line(commit.author), AUTHOR_LIMIT))]
    if kind := cut(one_line(commit.change_type), NAME_LIMIT):
        facts.append(style.text(kind))
    facts.append(style.link("GitHub", commit.github_url))
    lines = [f"{style.bullet}{TIER_EMOJI[commit.tier]} {subject} — {' · '.join(facts)}"]
    if commit.tier == "high" and (summary := cut(one_line(commit.summary), SUMMARY_LIMIT)):
        lines.append(style.indent + style.text(summary))
    changes = commit.interface_changes
    if changes:
        listed = [style.text(interface_text(c, labels)) for c in changes[:INTERFACE_LIMIT]]
        if len(changes) > INTERFACE_LIMIT:
            listed.append(f"+{len(changes) - INTERFACE_LIMIT}")
        lines.append(f"{style.indent}{labels('interface_changes')}: {'; '.join(listed)}")
    return style.newline.join(lines)


def fit(count: int, make: Callable[[int], T], size: Callable[[T], int], limit: int) -> T:
    """`make(k)` for the largest k ≤ count whose `size` is within `limit`; `make(0)` when
    not even that fits (the service then refuses it, and says so)."""
    whole = make(count)
    if size(whole) <= limit:
        return whole
    low, high = 0, count - 1  # make(high + 1) is known not to fit
    while low < high:
        middle = (low + high + 1) // 2
        if size(make(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return make(low)
