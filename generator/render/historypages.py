"""The pages of a commit's place in history, planned: module pages, their month pages, each
repository's modules list and weekly reports, each with the hash of its inputs, and the
marks other pages carry (a commit page's reverts and follow-ups, a day page's reverted
rows). The render stage writes every planned page on a full render, and on an update
those whose hash moved (`incremental.render_docs`); a mark that moved re-renders the
commit or day page that carries it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import islice
from typing import Any

from generator.fingerprint import fingerprint
from generator.render import links
from generator.render.archive import Archive
from generator.render.contexts import RepoPage
from generator.render.history import HistoryIndex
from generator.render.historyviews import marks_key
from generator.render.i18n import Labels
from generator.render.mdtext import Md, link
from generator.render.modulepages import ModulePages, Planned
from generator.render.weekly import WeeklyPages, week_name

REPO_WEEKS = 8
"""Weekly reports a repository page links to (the newest; each links the one before)."""
REPO_REVERTED = 20

COMMIT_MARK = "mark/commit"
DAY_MARK = "mark/day"

__all__ = ["COMMIT_MARK", "DAY_MARK", "HistoryPages", "Planned"]


class HistoryPages:
    def __init__(self, index: HistoryIndex, archive: Archive, labels: Labels) -> None:
        self.index = index
        self.archive = archive
        self.labels = labels
        self.modules = ModulePages(index, labels, archive.newest_complete_day())
        self.weekly = WeeklyPages(index, archive.summary, self.modules)

    def plan(self) -> list[Planned]:
        planned: list[Planned] = []
        reverted_days: dict[date, list[str]] = {}
        for repo in self.archive.repos:
            planned += self.modules.plan(repo)
            planned += self.weekly.plan(repo)
            for sha, rel in sorted(self.index.relations(repo).items()):
                key = fingerprint(repr(marks_key(self.index, repo, sha)))
                path = f"{COMMIT_MARK}/{repo}/{sha}"
                planned.append(Planned(path, key, "commit_mark", (repo, sha)))
                entry = self.index.entry(repo, sha)
                if rel.reverted and entry is not None:
                    reverted_days.setdefault(entry.day, []).append(f"{repo}/{sha}")
        for day, shas in sorted(reverted_days.items()):
            path = f"{DAY_MARK}/{day.isoformat()}"
            planned.append(Planned(path, fingerprint(repr(sorted(shas))), "day_mark", (day,)))
        return planned

    def context(self, page: Planned) -> tuple[str, Any]:
        """The template and context of a planned page (not a mark)."""
        args: Any = page.args
        if page.kind == "module":
            return "module.md.j2", self.modules.module_page(*args)
        if page.kind == "module_month":
            return "module.md.j2", self.modules.month_page(*args)
        if page.kind == "modules":
            return "modules.md.j2", self.modules.modules_index(*args)
        if page.kind == "weekly":
            return "weekly.md.j2", self.weekly.week_page(*args)
        raise ValueError(f"{page.kind} is a mark, not a page")

    def repo_parts(self, page: RepoPage, repo: str) -> RepoPage:
        """The repository page with its reverted high-tier commits, its newest weekly
        reports and the link to its modules."""
        path = links.repo_page(repo)
        relations = self.index.relations(repo)
        reverted = (
            e for e in self.index.newest_first(repo) if e.tier == "high" and
            (r := relations.get(e.sha)) is not None and r.reverted
        )  # fmt: skip
        lines = tuple(
            Md(f"{e.day.isoformat()} · {self.modules.entry_line(path, e, reverted=False)}")
            for e in islice(reverted, REPO_REVERTED)
        )
        weeks = tuple(
            link(week_name(w), links.relative(path, links.weekly_page(repo, *w)))
            for w in reversed(self.weekly.weeks(repo)[-REPO_WEEKS:])
        )
        modules = None
        if self.modules.modules(repo):
            target = links.relative(path, links.modules_index_page(repo))
            modules = link(self.labels("modules_link"), target)
        return replace(page, reverted_high=lines, weeks=weeks, modules_link=modules)
