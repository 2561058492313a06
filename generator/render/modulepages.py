"""Module pages: `modules/<owner>/<repo>/<module>.md`, its month pages, and the list of a
repository's modules (`modules/<owner>/<repo>.md`).

A module is a folder where the repository's code is organised (`references.ModuleMap`:
the analyzer's `module_of`, or the depth `repos[].modules` gives a prefix). Its page
counts its commits per tier over the last 30 and 365 days up to the archive's newest
complete day (the page does not print that day: it changes only when its counts do),
lists the interface changes declared in it and its most changed files, then its commits
newest first by month, each with its tier, type, author and subject. At most `MOST`
commits (whole months, the newest month cut if it alone has more); the other months get
a page each. Everything comes from the history index, no record is read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from generator.fingerprint import fingerprint
from generator.models import TIERS
from generator.render import links
from generator.render.history import Entry, HistoryIndex
from generator.render.i18n import Labels
from generator.render.mdtext import Md, attr, code, inline, link
from generator.render.references import ModuleMap
from generator.text import TIER_EMOJI

MOST = 200
"""Commits a module page lists at most."""
TOP_FILES = 10
INTERFACES_SHOWN = 50


@dataclass(frozen=True)
class EntryView:
    line: Md
    """`🔴 fix · [subject](page) · author · 10-05`, with a reverted mark."""


@dataclass(frozen=True)
class MonthGroup:
    title: Md
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class ModulePage:
    front: dict[str, Md]
    title: str
    up: Md
    """The repository and the list of its modules, linked."""
    recent: str | None
    year: str | None
    interfaces: tuple[Md, ...]
    files: tuple[tuple[Md, int, int], ...]
    months: tuple[MonthGroup, ...]
    older: tuple[Md, ...]


@dataclass(frozen=True)
class ModulesIndexPage:
    front: dict[str, Md]
    title: str
    repo_link: Md
    rows: tuple[tuple[Md, int, int], ...]
    """Module page link, commits in all, commits of the last 30 days."""


@dataclass(frozen=True)
class Planned:
    """A page to write when its inputs' hash differs from the last render's."""

    path: str
    digest: str
    kind: str
    args: tuple[object, ...]


class ModulePages:
    """Builds module pages from the history index."""

    def __init__(self, index: HistoryIndex, labels: Labels, end: date | None) -> None:
        self.index = index
        self.labels = labels
        self.end = end
        self._modules: dict[str, dict[str, list[Entry]]] = {}

    def modules(self, repo: str) -> dict[str, list[Entry]]:
        """Each module of the repository with its commits, newest first, by path."""
        found = self._modules.get(repo)
        if found is None:
            by_module: dict[str, list[Entry]] = {}
            for entry in self.index.newest_first(repo):
                for module in entry.modules:
                    by_module.setdefault(module, []).append(entry)
            found = self._modules[repo] = dict(sorted(by_module.items()))
        return found

    # -- which pages, from what ------------------------------------------------------------

    def plan(self, repo: str) -> list[Planned]:
        planned = []
        rows = []
        for module, entries in self.modules(repo).items():
            shown, rest = _split(entries)
            marks = self._reverted(repo, entries)
            head = (
                repo,
                module,
                self._counts(entries),
                [self._key(e, module, marks) for e in shown],
                [(ym, len(found)) for ym, found in rest],
                _files(entries, module, self.index.maps[repo]),
                [(e.sha, c) for e, c in self._declared(repo, entries, module)],
            )
            path = links.module_page(repo, module)
            planned.append(Planned(path, fingerprint(repr(head)), "module", (repo, module)))
            for (year, month), found in rest:
                inputs = (repo, module, [self._key(e, module, marks) for e in found])
                page = links.module_month_page(repo, module, year, month)
                digest = fingerprint(repr(inputs))
                planned.append(Planned(page, digest, "module_month", (repo, module, year, month)))
            rows.append((module, len(entries), self._counts(entries)))
        index_path = links.modules_index_page(repo)
        planned.append(Planned(index_path, fingerprint(repr(rows)), "modules", (repo,)))
        return planned

    def _key(self, entry: Entry, module: str, marks: set[str]) -> tuple[object, ...]:
        return (entry.sha, entry.day, entry.tier, entry.kind, entry.author, entry.subject,
                entry.sha in marks)  # fmt: skip

    def _reverted(self, repo: str, entries: list[Entry]) -> set[str]:
        relations = self.index.relations(repo)
        return {e.sha for e in entries if (r := relations.get(e.sha)) and r.reverted}

    def _counts(self, entries: list[Entry]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        if self.end is None:
            return None
        month, year = self.end - timedelta(days=29), self.end - timedelta(days=364)
        recent = [e for e in entries if month <= e.day <= self.end]
        last_year = [e for e in entries if year <= e.day <= self.end]
        return _tiers(recent), _tiers(last_year)

    # -- contexts --------------------------------------------------------------------------

    def module_page(self, repo: str, module: str) -> ModulePage:
        page = links.module_page(repo, module)
        entries = self.modules(repo)[module]
        shown, rest = _split(entries)
        marks = self._reverted(repo, entries)
        counts = self._counts(entries)
        labels = self.labels
        recent = year = None
        if counts is not None:
            recent = labels("module_recent", total=sum(counts[0]), **_named(counts[0]))
            year = labels("module_year", total=sum(counts[1]), **_named(counts[1]))
        months = []
        cut = {ym: len(found) for ym, found in rest}  # months not listed whole
        for (y, m), found in _by_month(shown):
            title = labels("module_month_count", month=f"{y}-{m:02d}", total=len(found))
            heading = inline(title)
            if (y, m) in cut:  # the newest month, cut
                whole = cut.pop((y, m))
                target = links.relative(page, links.module_month_page(repo, module, y, m))
                text = labels("module_month_part", month=f"{y}-{m:02d}", shown=len(found),
                              total=whole)  # fmt: skip
                heading = Md(f"{inline(text)} {link(f'{y}-{m:02d}', target)})")
            views = tuple(self._view(page, e, marks) for e in found)
            months.append(MonthGroup(heading, views))
        older = tuple(
            Md(
                link(
                    f"{y}-{m:02d}",
                    links.relative(page, links.module_month_page(repo, module, y, m)),
                )
                + f" ({total})"
            )
            for (y, m), total in cut.items()
        )
        title = labels("module_title", module=module)
        description = labels("module_description", repo=repo, module=module)
        return ModulePage(
            front=_front(title, description),
            title=title,
            up=self._up(page, repo),
            recent=recent,
            year=year,
            interfaces=self._interface_lines(page, repo, entries, module),
            files=tuple(
                (code(p), n, lines)
                for p, n, lines in _files(entries, module, self.index.maps[repo])
            ),
            months=tuple(months),
            older=older,
        )

    def month_page(self, repo: str, module: str, year: int, month: int) -> ModulePage:
        page = links.module_month_page(repo, module, year, month)
        entries = self.modules(repo)[module]
        marks = self._reverted(repo, entries)
        found = [e for e in entries if (e.day.year, e.day.month) == (year, month)]
        name = f"{year}-{month:02d}"
        title = self.labels("module_month_title", module=module, month=name)
        back = link(
            self.labels("module_back", module=module),
            links.relative(page, links.module_page(repo, module)),
        )
        group = MonthGroup(
            Md(inline(self.labels("module_month_count", month=name, total=len(found)))),
            tuple(self._view(page, e, marks) for e in found),
        )
        return ModulePage(
            front=_front(title, self.labels("module_description", repo=repo, module=module)),
            title=title,
            up=Md(f"{self._up(page, repo)} · {back}"),
            recent=None,
            year=None,
            interfaces=(),
            files=(),
            months=(group,),
            older=(),
        )

    def modules_index(self, repo: str) -> ModulesIndexPage:
        page = links.modules_index_page(repo)
        rows = []
        for module, entries in self.modules(repo).items():
            counts = self._counts(entries)
            recent = sum(counts[0]) if counts else 0
            target = links.relative(page, links.module_page(repo, module))
            rows.append((link(module, target), len(entries), recent))
        title = self.labels("modules_title", repo=repo)
        return ModulesIndexPage(
            front=_front(title, self.labels("modules_description", repo=repo)),
            title=title,
            repo_link=link(repo, links.relative(page, links.repo_page(repo))),
            rows=tuple(rows),
        )

    def _up(self, page: str, repo: str) -> Md:
        repo_link = link(repo, links.relative(page, links.repo_page(repo)))
        index = link(
            self.labels("modules_link"), links.relative(page, links.modules_index_page(repo))
        )
        return Md(f"{repo_link} · {index}")

    def _view(self, page: str, entry: Entry, marks: set[str]) -> EntryView:
        return EntryView(self.entry_line(page, entry, entry.sha in marks, day=True))

    def entry_line(self, page: str, entry: Entry, reverted: bool, day: bool = False) -> Md:
        """`🔴 fix · [subject](page) · author`, with the day and a reverted mark."""
        parts = [TIER_EMOJI[entry.tier]]
        if entry.kind:
            parts[0] += " " + inline(self.labels.change_type(entry.kind))
        target = links.relative(page, links.commit_page(entry.repo, entry.sha))
        parts += [link(entry.subject, target), inline(entry.author)]
        if day:
            parts.append(f"{entry.day:%m-%d}")
        if reverted:
            parts.append(inline(self.labels("reverted_mark")))
        return Md(" · ".join(parts))

    def _declared(
        self, repo: str, entries: list[Entry], module: str
    ) -> list[tuple[Entry, tuple[str, str, str, str, str, str]]]:
        found = _interface_changes(entries, module, self.index.maps[repo])
        return found[:INTERFACES_SHOWN]

    def _interface_lines(
        self, page: str, repo: str, entries: list[Entry], module: str
    ) -> tuple[Md, ...]:
        lines = []
        for entry, change in self._declared(repo, entries, module):
            kind, name, what, _, old, new = change
            labels = self.labels
            text = f"{labels('interface.' + kind)} {code(name)} {labels('interface.' + what)}"
            if old or new:
                text += f": {code(old or '—')} → {code(new or '—')}"
            target = links.relative(page, links.commit_page(repo, entry.sha))
            lines.append(Md(f"{entry.day.isoformat()} · {text} · {link(entry.subject, target)}"))
        return tuple(lines)


def _split(entries: list[Entry]) -> tuple[list[Entry], list[tuple[tuple[int, int], list[Entry]]]]:
    """What a module page lists (whole months, newest first, up to MOST commits; the newest
    month cut to MOST if it alone has more), and every month not listed whole."""
    months = _by_month(entries)
    shown: list[Entry] = []
    rest: list[tuple[tuple[int, int], list[Entry]]] = []
    for n, (ym, found) in enumerate(months):
        if n == 0 and len(found) > MOST:
            shown = found[:MOST]
            rest.append((ym, found))
        elif not rest and len(shown) + len(found) <= MOST:
            shown += found
        else:
            rest.append((ym, found))
    return shown, rest


def _by_month(entries: list[Entry]) -> list[tuple[tuple[int, int], list[Entry]]]:
    months: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        months.setdefault((entry.day.year, entry.day.month), []).append(entry)
    return list(months.items())


def _files(entries: list[Entry], module: str, map_: ModuleMap) -> list[tuple[str, int, int]]:
    """The module's most changed files: by commits, then lines."""
    commits: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for entry in entries:
        for path, changed in entry.files:
            if map_.module(path) == module:
                commits[path] += 1
                lines[path] += changed
    ranked = sorted(commits, key=lambda p: (-commits[p], -lines[p], p))[:TOP_FILES]
    return [(p, commits[p], lines[p]) for p in ranked]


def _interface_changes(
    entries: list[Entry], module: str, map_: ModuleMap
) -> list[tuple[Entry, tuple[str, str, str, str, str, str]]]:
    """The interface changes declared in the module, newest commit first."""
    return [(e, c) for e in entries for c in e.interfaces if map_.module(c[3]) == module]


def _tiers(entries: list[Entry]) -> tuple[int, ...]:
    return tuple(sum(1 for e in entries if e.tier == tier) for tier in TIERS)


def _named(counts: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(TIERS, counts, strict=True))


def _front(title: str, description: str) -> dict[str, Md]:
    return {"title": Md(attr(title)), "description": Md(attr(description))}
