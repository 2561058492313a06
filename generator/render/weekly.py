"""Weekly reports: `weekly/<owner>/<repo>/<YYYY>-W<ww>.md`, one per repository and ISO
week of the archive's timezone (the records' local days), once the week is complete.

A week is complete for a repository when the repository has a complete record of each of
its seven days: a week still open, one whose fetch failed, or the part of a week before
the archive began makes no page, no feed item and no notification. Its page
counts the week's commits per tier and per day, lists its interface changes, its
high-tier commits, its reverts and its most active modules, and says it in a few factual
sentences (both analyzers: an LLM overview of the week is not written yet). All of it
comes from the history index and the record summaries; no record is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from generator.analysis.weekfiles import complete_weeks as weeks_complete
from generator.fingerprint import fingerprint
from generator.models import TIERS
from generator.render import links
from generator.render.history import Entry, HistoryIndex
from generator.render.i18n import Labels
from generator.render.mdtext import Md, attr, code, inline, link
from generator.render.modulepages import ModulePages, Planned
from generator.render.summary import ArchiveSummary
from generator.text import TIER_EMOJI

TOP_MODULES = 10
SUMMARY_MODULES = 3

Week = tuple[int, int]
"""ISO (year, week)."""


def week_of(day: date) -> Week:
    year, week, _ = day.isocalendar()
    return year, week


def monday(week: Week) -> date:
    return date.fromisocalendar(week[0], week[1], 1)


def week_name(week: Week) -> str:
    return f"{week[0]:04d}-W{week[1]:02d}"


def complete_weeks(summary: ArchiveSummary, repo: str) -> list[Week]:
    """The repository's complete weeks, oldest first: those with a complete record of each
    of their seven days (a run records days without commits too)."""
    return weeks_complete([r.day for r in summary.of(repo) if r.complete])


@dataclass(frozen=True)
class WeekFacts:
    """What a week report, its feed item and its notification say."""

    repo: str
    week: Week
    entries: tuple[Entry, ...]
    """Newest first."""
    previous: int | None
    """Commits of the week before, None when that week is not complete in the archive."""

    @property
    def start(self) -> date:
        return monday(self.week)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def counts(self) -> dict[str, int]:
        return {t: sum(1 for e in self.entries if e.tier == t) for t in TIERS}

    def per_day(self) -> list[tuple[date, list[Entry]]]:
        days = [self.start + timedelta(days=n) for n in range(7)]
        return [(d, [e for e in self.entries if e.day == d]) for d in days]

    def modules(self) -> list[tuple[str, int]]:
        """The modules most commits of the week touched, with that count."""
        commits = Counter(module for entry in self.entries for module in entry.modules)
        ranked = sorted(commits, key=lambda m: (-commits[m], m))[:TOP_MODULES]
        return [(m, commits[m]) for m in ranked]


@dataclass(frozen=True)
class WeeklyPage:
    front: dict[str, Md]
    repo: str
    title: str
    repo_link: Md
    nav: Md
    summary: str
    stats: str
    days: tuple[tuple[Md, int, int, int, int], ...]
    interfaces: tuple[Md, ...]
    high: tuple[Md, ...]
    reverts: tuple[Md, ...]
    modules: tuple[tuple[Md, int], ...]
    subscribe: Md | None = None
    """The repository's weekly feed (`pageset.Pages.planned` fills it in)."""


class WeeklyPages:
    """Builds week reports from the history index and the record summaries."""

    def __init__(self, index: HistoryIndex, summary: ArchiveSummary, modules: ModulePages) -> None:
        self.index = index
        self.summary = summary
        self.modules = modules
        self.labels: Labels = modules.labels

    def weeks(self, repo: str) -> list[Week]:
        return complete_weeks(self.summary, repo)

    def facts(self, repo: str, week: Week) -> WeekFacts:
        start = monday(week)
        days = [start + timedelta(days=n) for n in range(7)]
        entries = tuple(e for d in reversed(days) for e in self.index.on(repo, d))
        before = [start - timedelta(days=n) for n in range(1, 8)]
        previous = None
        if all((s := self.summary.get(repo, d)) is not None and s.complete for d in before):
            previous = sum(len(self.index.on(repo, d)) for d in before)
        return WeekFacts(repo, week, entries, previous)

    def plan(self, repo: str) -> list[Planned]:
        weeks = self.weeks(repo)
        planned = []
        for n, week in enumerate(weeks):
            facts = self.facts(repo, week)
            relations = self.index.relations(repo)
            inputs = (
                repo,
                week,
                weeks[n - 1] if n else None,
                weeks[n + 1] if n + 1 < len(weeks) else None,
                facts.previous,
                [_key(e, relations.get(e.sha)) for e in facts.entries],
                [self.summary.has_page(d) for d, _ in facts.per_day()],
                self.index.week_texts.get((repo, week)),
                self._targets(repo, facts),
            )
            path = links.weekly_page(repo, *week)
            planned.append(Planned(path, fingerprint(repr(inputs)), "weekly", (repo, week)))
        return planned

    def _targets(self, repo: str, facts: WeekFacts) -> list[tuple[str, str, date]]:
        relations = self.index.relations(repo)
        found = []
        for entry in facts.entries:
            rel = relations.get(entry.sha)
            if rel and rel.reverts and (target := self.index.entry(repo, rel.reverts)):
                found.append((target.sha, target.subject, target.day))
        return found

    # -- the page --------------------------------------------------------------------------

    def week_page(self, repo: str, week: Week) -> WeeklyPage:
        page = links.weekly_page(repo, *week)
        facts = self.facts(repo, week)
        labels = self.labels
        weeks = self.weeks(repo)
        n = weeks.index(week)
        around = (weeks[n - 1] if n else None, weeks[n + 1] if n + 1 < len(weeks) else None)
        parts = [
            link(labels(key), links.relative(page, links.weekly_page(repo, *w)))
            for w, key in zip(around, ("prev_week", "next_week"), strict=True)
            if w is not None
        ]
        counts = facts.counts()
        days = []
        for day, found in facts.per_day():
            tiers = [sum(1 for e in found if e.tier == t) for t in TIERS]
            text = f"{day.isoformat()} {labels('weekday_' + str(day.weekday()))}"
            cell = (
                link(text, links.relative(page, links.day_page(day)))
                if self.summary.has_page(day)
                else Md(inline(text))
            )
            days.append((cell, len(found), *tiers))
        relations = self.index.relations(repo)
        high = tuple(
            self.modules.entry_line(page, e, bool((r := relations.get(e.sha)) and r.reverted))
            + Md(f" · {e.day:%m-%d}")
            for e in facts.entries
            if e.tier == "high"
        )
        title = labels("weekly_title", repo=repo, week=week_name(week))
        start, end = facts.start.isoformat(), facts.end.isoformat()
        description = labels("weekly_description", repo=repo, start=start, end=end)
        return WeeklyPage(
            front={"title": Md(attr(title)), "description": Md(attr(description))},
            repo=repo,
            title=title,
            repo_link=link(repo, links.relative(page, links.repo_page(repo))),
            nav=Md(" | ".join(parts)),
            summary=self.summary_text(facts),
            stats=labels("weekly_stats", total=sum(counts.values()), **counts),
            days=tuple(days),  # type: ignore[arg-type]
            interfaces=tuple(self._interfaces(page, facts)),
            high=tuple(Md(h) for h in high),
            reverts=tuple(self._reverts(page, facts)),
            modules=tuple(
                (link(m, links.relative(page, links.module_page(repo, m))), commits)
                for m, commits in facts.modules()
            ),
        )

    def summary_text(self, facts: WeekFacts) -> str:
        """The overview an LLM wrote of the week, or the week in a few factual sentences."""
        if written := self.index.week_texts.get((facts.repo, facts.week)):
            return written
        labels = self.labels
        counts = facts.counts()
        total = sum(counts.values())
        if not total:
            return labels("weekly_summary_none")
        busiest, found = max(facts.per_day(), key=lambda d: (len(d[1]), -d[0].toordinal()))
        previous = "" if facts.previous is None else labels("weekly_previous", total=facts.previous)
        text = labels(
            "weekly_summary",
            start=facts.start.isoformat(),
            end=facts.end.isoformat(),
            total=total,
            previous=previous,
            busiest=busiest.isoformat(),
            busiest_total=len(found),
            **counts,
        )
        top = [m for m, _ in facts.modules()[:SUMMARY_MODULES]]
        if top:
            text += " " + labels("weekly_summary_modules", modules=", ".join(top))
        reverts = sum(1 for _ in self._revert_pairs(facts))
        interfaces = sum(len(e.interfaces) for e in facts.entries)
        if reverts or interfaces:
            text += " " + labels("weekly_summary_more", reverts=reverts, interfaces=interfaces)
        return text

    def _revert_pairs(self, facts: WeekFacts) -> Iterator[tuple[Entry, Entry]]:
        relations = self.index.relations(facts.repo)
        for entry in facts.entries:
            rel = relations.get(entry.sha)
            if rel and rel.reverts and (target := self.index.entry(facts.repo, rel.reverts)):
                yield entry, target

    def _reverts(self, page: str, facts: WeekFacts) -> Iterator[Md]:
        for revert, target in self._revert_pairs(facts):
            to_revert = links.relative(page, links.commit_page(facts.repo, revert.sha))
            to_target = links.relative(page, links.commit_page(facts.repo, target.sha))
            yield Md(
                f"{revert.day:%m-%d} · {link(revert.subject, to_revert)} → "
                f"{link(target.subject, to_target)} ({target.day.isoformat()})"
            )

    def _interfaces(self, page: str, facts: WeekFacts) -> Iterator[Md]:
        labels = self.labels
        for entry in facts.entries:
            target = links.relative(page, links.commit_page(facts.repo, entry.sha))
            for kind, name, what, _, old, new in entry.interfaces:
                text = f"{labels('interface.' + kind)} {code(name)} {labels('interface.' + what)}"
                if old or new:
                    text += f": {code(old or '—')} → {code(new or '—')}"
                yield Md(f"{entry.day:%m-%d} · {text} · {link(entry.subject, target)}")


def _key(entry: Entry, relations: object) -> tuple[object, ...]:
    e = entry
    return (e.sha, e.day, e.tier, e.kind, e.author, e.subject, e.modules, e.interfaces, relations)


def emoji_counts(counts: dict[str, int]) -> str:
    return " · ".join(f"{TIER_EMOJI[t]} {counts[t]}" for t in TIERS)
