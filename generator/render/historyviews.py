"""What commit and day pages show of a commit's place in history: its modules (linked to
their pages), "reverted by … on …" at the top, what it reverts, fixes, follows up or
relands, the later commits that follow it up, and the reverted mark of its day-page row.

Computed from the history index (`history.HistoryIndex`), never from other records, so
`marks_key` says exactly what these parts of a page depend on: a render re-renders a
commit page (or a day page) whose key moved since.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.render import links
from generator.render.history import HistoryIndex, Relations
from generator.render.i18n import Labels
from generator.render.mdtext import Md, inline, link

"""As many as the analysis names in its impact scope (`analysis.rules.TOP`)."""


@dataclass(frozen=True)
class CommitHistory:
    """The commit page's parts from the history index."""

    notice: tuple[Md, ...]
    """Lines at the top: reverted by, restored by, reverts, fixes, follows up, relands."""
    modules: dict[str, Md]
    """Its modules (the pages that list it), each linked to its page."""
    followups: tuple[Md, ...]
    """The later commits that fix, follow up or reland it."""
    reverted: bool

    @property
    def notice_lines(self) -> Md:
        return Md("  \n".join(self.notice))


class HistoryViews:
    def __init__(self, index: HistoryIndex, labels: Labels) -> None:
        self.index = index
        self.labels = labels

    def commit(self, page: str, repo: str, sha: str) -> CommitHistory:
        rel = self.index.relation(repo, sha)
        labels = self.labels
        notice: list[Md] = []
        for revert in rel.reverted_by:
            notice.append(self._line(page, repo, revert, "reverted_by"))
            for undo in self.index.relation(repo, revert).reverted_by:
                notice.append(self._line(page, repo, undo, "restored_by"))
        if rel.reverts:
            notice.append(self._line(page, repo, rel.reverts, "reverts"))
        for kind, other in rel.follows:
            notice.append(self._line(page, repo, other, f"follows.{kind}"))
        followups = tuple(
            Md(f"{inline(labels(f'followup.{kind}'))}: {self._ref(page, repo, other)}")
            for kind, other in rel.followups
        )
        return CommitHistory(tuple(notice), self.modules(page, repo, sha), followups, rel.reverted)

    def modules(self, page: str, repo: str, sha: str) -> dict[str, Md]:
        entry = self.index.entry(repo, sha)
        found = entry.modules if entry else ()
        return {m: link(m, links.relative(page, links.module_page(repo, m))) for m in found}

    def reverted_mark(self, repo: str, sha: str) -> Md | None:
        if not self.index.relation(repo, sha).reverted:
            return None
        text = inline(self.labels("reverted_mark"))
        return Md(f'<span class="cd-reverted">{text}</span>')

    def _line(self, page: str, repo: str, sha: str, key: str) -> Md:
        entry = self.index.entry(repo, sha)
        date = entry.day.isoformat() if entry else ""
        return Md(self.labels(key, subject=self._ref(page, repo, sha), date=date))

    def _ref(self, page: str, repo: str, sha: str) -> Md:
        entry = self.index.entry(repo, sha)
        subject = entry.subject if entry else sha[:12]
        return link(subject, links.relative(page, links.commit_page(repo, sha)))


def marks_key(index: HistoryIndex, repo: str, sha: str) -> tuple[object, ...]:
    """What a commit page shows from the index besides its own record: its relations with
    the subjects and days of the commits they name."""
    rel = index.relation(repo, sha)
    if rel == Relations():
        return ()
    named = {rel.reverts, *rel.reverted_by, *(s for _, s in rel.follows)}
    named |= {s for _, s in rel.followups}
    for revert in rel.reverted_by:
        named |= set(index.relation(repo, revert).reverted_by)
    about = []
    for other in sorted(s for s in named if s):
        entry = index.entry(repo, other)
        about.append((other, entry.subject if entry else "", entry.day if entry else None))
    restored = [index.relation(repo, r).reverted_by for r in rel.reverted_by]
    return (rel, tuple(about), tuple(restored))
