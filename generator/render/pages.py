"""The contexts of day and commit pages, and the pieces every page shares.

Each template gets one typed context built by one function here (or in `indexes`, for
the pages that lead to these); untrusted text reaches the templates as plain `str` and is
escaped by `mdtext.finalize`, or as `Md` built from escaped parts. A commit's view (its
time, author, badges, links) is built once and shared by the pages that show it.
`pageset.Pages` turns these contexts into pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cached_property

from generator.analysis.scoreline import score_line
from generator.models import TIERS, Analysis, Commit, DayRecord, FileChange, Person, Tier
from generator.render import links
from generator.render.archive import Archive, CommitRef
from generator.render.contexts import (
    CommitPage,
    CommitView,
    DayPage,
    FileGroup,
    R,
    RepoDay,
    TierSection,
)
from generator.render.facets import commit_facets, day_facets, tier_label
from generator.render.history import module_maps
from generator.render.historyviews import HistoryViews
from generator.render.i18n import Labels
from generator.render.interfaces import interface_day, interface_table
from generator.render.mdtext import Md, attr, block, code, inline, link
from generator.render.settings import SiteSettings
from generator.render.subscriptions import FeedRef, Feeds, subscribe_block
from generator.render.topics import TopicChips
from generator.render.watches import watches_of
from generator.text import TIER_EMOJI, pr_number

MAX_FILES_LISTED = 300
VIEWS_KEPT = 4096
"""Commit views kept for the next page that shows the same commit."""


WEB_FLOW_LOGIN, WEB_FLOW_EMAIL = "web-flow", "noreply@github.com"
"""GitHub's committer for what is merged from its web interface."""


def shows_committer(commit: Commit) -> bool:
    """Whether a commit page names the committer: someone other than the author, and not
    GitHub itself, which commits every pull request merged from its web page (on sglang,
    nearly every commit)."""
    committer, author = commit.committer, commit.author
    if committer.login == WEB_FLOW_LOGIN or committer.email == WEB_FLOW_EMAIL:
        return False
    return bool(committer.login) or (committer.name, committer.email) != (author.name, author.email)


class PageBuilder:
    """Builds each page's context from the archive; knows the language and timezone."""

    def __init__(self, archive: Archive, settings: SiteSettings) -> None:
        self.archive = archive
        self.settings = settings
        self.labels = Labels(settings.language)
        self.slugs = {repo.name: repo.slug for repo in settings.repos}
        self.feeds = Feeds(settings)
        self.chips = TopicChips(self.labels)
        self._views: dict[tuple[str, str], CommitView] = {}

    @cached_property
    def history(self) -> HistoryViews:
        """Modules, reverts and follow-ups, from the history index."""
        return HistoryViews(self.archive.history(module_maps(self.settings)), self.labels)

    # -- shared pieces -------------------------------------------------------------

    def clock(self, ref: CommitRef) -> str:
        """The commit's local time of day (`HH:MM:SS`)."""
        return f"{ref.commit.committed_at.astimezone(self.settings.tz):%H:%M:%S}"

    def badges(self, analysis: Analysis | None, tier: bool = True, filters: bool = False) -> Md:
        """The tier's and the change type's badges (`tier=False`: the change type's). With
        `filters` (a commit's own page), the search index takes its tier and change type
        filters from them."""
        if analysis is None:
            return Md("")

        def marked(name: str) -> str:
            return f' data-pagefind-filter="{name}"' if filters else ""

        kind = inline(self.labels.change_type(analysis.change_type))
        badge = f'<span class="cd-type"{marked("change_type")}>{kind}</span>'
        if not tier:
            return Md(badge)
        return Md(f"{self.tier_badge(analysis.tier, marked('tier'))} {badge}")

    def tier_badge(self, tier: Tier, attrs: str = "") -> Md:
        """A tier's badge: its emoji and name, styled by its class."""
        return Md(f'<span class="cd-tier-{tier}"{attrs}>{tier_label(tier, self.labels)}</span>')

    def commit_view(self, ref: CommitRef, page: str) -> CommitView:
        """The commit as `page` shows it."""
        key = (ref.repo, ref.commit.sha)
        view = self._views.get(key)
        if view is None:
            if len(self._views) >= VIEWS_KEPT:
                self._views.clear()
            view = self._views[key] = self._view(ref)
        target = links.relative(page, links.commit_page(ref.repo, ref.commit.sha))
        return replace(view, page_link=link(view.title, target))

    def _view(self, ref: CommitRef) -> CommitView:
        commit = ref.commit
        anchor = links.anchor(self.slugs[ref.repo], commit.sha)
        return CommitView(
            anchor=Md(anchor),
            clock=self.clock(ref),
            author=self.person(commit.author, commit.author_label),
            subject=commit.title,
            title=inline(commit.title),
            heading_attrs=_heading_attrs(anchor),
            page_link=Md(""),
            github_link=link(self.labels("view_commit"), links.github_commit(ref.repo, commit.sha)),
            pr_link=self.pull_request(ref.repo, commit),
            sha_link=link(commit.sha[:7], links.github_commit(ref.repo, commit.sha)),
            tier=commit.tier,
            badges=self.badges(commit.analysis),
            type_badge=self.badges(commit.analysis, tier=False),
            dropped=self.dropped_badge() if commit.dropped_at else None,
            analysis=commit.analysis,
            topics=self.chips.line(_topics(commit), commit_page=False),
            ignored=self.ignored(commit.analysis),
        )

    def ignored(self, analysis: Analysis | None) -> Md | None:
        """`Ignored by a noise rule: `paths docs/**``, when a noise rule matched."""
        if analysis is None or analysis.ignored is None:
            return None
        return Md(self.labels("ignored_by", rule=code(analysis.ignored)))

    def person(self, person: Person, label: str) -> str:
        """A name, linked to the GitHub profile when the source knew the login."""
        return link(label, links.github_profile(person.login)) if person.login else label

    def pull_request(self, repo: str, commit: Commit) -> Md | None:
        """The pull request as the record has it (or, in records from before pull requests
        were recorded, the number in the subject): `#1234 title` linked, labels linked."""
        pull = commit.pull_request
        number = pull.number if pull else pr_number(commit.subject)
        if number is None:
            return None
        url = links.github_pull(repo, number)
        if pull and pull.url and pull.url.startswith(("https://", "http://")):
            url = pull.url  # GitHub's own, e.g. on an Enterprise host
        text = f"#{number} {pull.title}" if pull and pull.title else f"#{number}"
        tags = [link(name, links.github_label(repo, name)) for name in pull.labels] if pull else []
        return Md(" ".join([link(text, url), *tags]))

    def dropped_badge(self) -> Md:
        return Md(f'<span class="cd-dropped">{inline(self.labels("dropped"))}</span>')

    def watch_marks(self, page: str, repo: str, commit: Commit, titles: bool = False) -> Md | None:
        """Links from `page` to the watches that follow the commit, by name (or title)."""
        found = watches_of(self.settings.watches, repo, commit)
        if not found:
            return None
        names = (
            link(w.heading if titles else w.name, links.relative(page, links.watch_page(w.name)))
            for w in found
        )
        # A watch's name is the team's word, not the commit's: searching it must not find
        # every commit the watch follows (its page is where those are listed). The index
        # leaves links to watch pages out (`site.search.EXCLUDED`).
        return Md(", ".join(names))

    def _marked(self, page: str, repo: str, commit: Commit) -> Md | None:
        names = self.watch_marks(page, repo, commit)
        return Md(self.labels("watches_mark", names=names)) if names else None

    def day_link(self, page: str, day: date, anchor: str = "", text: str | None = None) -> Md:
        return link(text or day.isoformat(), links.relative(page, links.day_page(day), anchor))

    # -- day pages -----------------------------------------------------------------

    def day_page(self, day: date) -> DayPage:
        page = links.day_page(day)
        records = self.archive.records_on(day)
        previous, following = self.archive.day_neighbours(day)
        repos = tuple(self._repo_day(record, page) for record in records)
        neighbours = nav(
            self.day_link(page, previous, text=self.labels("prev_day")) if previous else None,
            self.day_link(page, following, text=self.labels("next_day")) if following else None,
        )
        title = self.labels("day_title", date=day.isoformat())
        names = ", ".join(r.repo for r in records)
        matter = front(title, self.labels("day_description", date=day, repos=names))
        matter |= day_facets(day, tuple(r.repo for r in records), self.settings.tz).front_matter()
        offered = [self.feeds.site(), self.feeds.high()]
        return DayPage(
            front=matter,
            title=title,
            subscribe=self.subscribe(page, offered),
            nav=neighbours,
            repos=repos,
        )

    def subscribe(self, page: str, feeds: list[FeedRef]) -> Md:
        return subscribe_block(page, self.settings.site_url, feeds, self.labels)

    def _repo_day(self, record: DayRecord, page: str) -> RepoDay:
        rows = tuple(
            self.commit_view(CommitRef(record.repo, record.day, c), page) for c in record.commits
        )
        if self.settings.watches:
            rows = tuple(
                replace(row, watches=self._marked(page, record.repo, c))
                for row, c in zip(rows, record.commits, strict=True)
            )
        marks = [self.history.reverted_mark(record.repo, c.sha) for c in record.commits]
        if any(marks):
            rows = tuple(
                replace(row, reverted=mark) if mark else row
                for row, mark in zip(rows, marks, strict=True)
            )
        notice = self.labels.status(record)
        changed = [
            (c.interface_changes, self._commit_link(page, record.repo, c))
            for c in record.commits
            if c.interface_changes
        ]
        return RepoDay(
            name=record.repo,
            repo_link=link(record.repo, links.relative(page, links.repo_page(record.repo))),
            notice=notice,
            overview=record.overview.text if record.overview else None,
            rows=rows,
            stats=self.labels.stats(record.tier_counts()),
            sections=tier_sections(rows, self.labels),
            interfaces=interface_day(changed, self.labels),
        )

    def _commit_link(self, page: str, repo: str, commit: Commit) -> Md:
        target = links.relative(page, links.commit_page(repo, commit.sha))
        return link(links.toc_title(commit.title), target)

    # -- commit pages --------------------------------------------------------------

    def commit_page(self, ref: CommitRef) -> CommitPage:
        commit, repo = ref.commit, ref.repo
        older, newer = self.archive.commit_neighbours(ref)
        page = links.commit_page(repo, commit.sha)
        view = self.commit_view(ref, page)
        facts: list[tuple[str, Md | str]] = [
            ("sha", code(commit.sha)),
            ("author", view.author),
        ]
        if shows_committer(commit):
            label = commit.committer.name or commit.committer.email
            facts.append(("committer", self.person(commit.committer, label)))
        if view.pr_link:
            facts.append(("pull_request", view.pr_link))
        if commit.is_merge:
            facts.append(("parents", Md(" ".join(code(p[:12]) for p in commit.parents))))
        if marks := self.watch_marks(page, repo, commit, titles=True):
            facts.append(("watches", marks))
        history = self.history.commit(page, repo, commit.sha)
        # The modules its analysis names link to their pages there; any other listing it
        # (a repository's `modules:` may cut them otherwise) is named here.
        named = set(commit.analysis.modules) if commit.analysis else set()
        if others := [linked for m, linked in history.modules.items() if m not in named]:
            facts.append(("module_pages", Md(", ".join(others))))
        clock = inline(f"{self.clock(ref)} ({self.settings.timezone})")
        day = self.day_link(page, ref.day, view.anchor)
        repo_link = link(repo, links.relative(page, links.repo_page(repo)))
        when = Md(f"{day} {clock} · {repo_link} · {view.github_link}")
        neighbours = nav(
            self._neighbour_link(page, older, "prev_commit"),
            self._neighbour_link(page, newer, "next_commit"),
            separator="  \n",
        )
        description = self.labels(
            "commit_description", repo=repo, sha=commit.sha[:12], date=ref.day.isoformat()
        )
        groups, omitted = _file_groups(commit.files, self.labels)
        dropped_note = None
        if commit.dropped_at:
            when = f"{commit.dropped_at.astimezone(self.settings.tz):%Y-%m-%d %H:%M}"
            branch = self.settings.repo(repo).branch
            dropped_note = self.labels("dropped_note", branch=branch, when=when)
        facets = commit_facets(repo, ref.day, commit, self.labels)
        badges = self.badges(commit.analysis, filters=True)
        matter = front(commit.title, description) | facets.front_matter()
        if history.reverted:  # the search result says so (overrides/main.html)
            matter[Md("reverted")] = Md(attr(self.labels("reverted_mark")))
        return CommitPage(
            front=matter,
            subject=view.subject,
            badges=Md(f"{badges} {view.dropped}") if view.dropped else badges,
            dropped_note=dropped_note,
            facts=tuple((self.labels(key), value) for key, value in facts),
            when=when,
            nav=neighbours,
            merge=commit.is_merge,
            body=block(commit.body) if commit.body.strip() else None,
            analysis=commit.analysis,
            file_count=len(commit.files),
            file_groups=groups,
            files_omitted=omitted,
            files_truncated=commit.files_truncated,
            score=self._score_line(commit.analysis),
            topics=self.chips.line(_topics(commit), commit_page=True),
            ignored=view.ignored,
            history=history,
            interfaces=interface_table(commit.interface_changes, self.labels),
        )

    def _score_line(self, analysis: Analysis | None) -> str | None:
        if analysis is None or analysis.score is None:
            return None  # analysed before the score existed, or by an analyzer without one
        return score_line(analysis.score, analysis.score_parts, self.labels.language)

    def _neighbour_link(self, page: str, ref: CommitRef | None, key: str) -> Md | None:
        """`← Previous commit: <its subject>`, the subject cut as in a table of contents."""
        if ref is None:
            return None
        target = links.commit_page(ref.repo, ref.commit.sha)
        subject = link(links.toc_title(ref.commit.title), links.relative(page, target))
        return Md(self.labels(key, subject=subject))


def tier_sections(rows: Sequence[R], labels: Labels) -> tuple[TierSection[R], ...]:
    """A day report's sections: one per tier with commits, high first, in the rows' order."""
    sections = []
    for tier in TIERS:
        commits = tuple(row for row in rows if row.tier == tier)
        if commits:
            title = labels(
                "tier_section", emoji=TIER_EMOJI[tier], tier=labels.tier(tier), count=len(commits)
            )
            sections.append(TierSection(title=title, tier=tier, commits=commits))
    return tuple(sections)


def _topics(commit: Commit) -> tuple[str, ...]:
    return commit.analysis.topics if commit.analysis else ()


def front(title: str, description: str) -> dict[str, Md]:
    """Front matter values; the theme puts them raw into <head>, hence `attr`."""
    return {"title": Md(attr(title)), "description": Md(attr(description))}


def nav(previous: Md | None, following: Md | None, separator: str = " | ") -> Md:
    parts = [p for p in (previous, following) if p]
    return Md(separator.join(parts))


def _heading_attrs(anchor: str) -> Md:
    # The table of contents stops above these headings (mkdocs.yml's toc_depth), so they
    # need no label of their own there.
    return Md(f"{{#{anchor}}}")


def _file_groups(files: Sequence[FileChange], labels: Labels) -> tuple[tuple[FileGroup, ...], int]:
    """Files grouped by top-level module, biggest change first; very long lists are cut."""
    shown = sorted(files, key=lambda f: (-f.changed_lines, f.path))[:MAX_FILES_LISTED]
    groups: dict[str, list[FileChange]] = {}
    for change in sorted(shown, key=lambda f: f.path):
        module = change.path.rsplit("/", 1)[0] if "/" in change.path else "/"
        groups.setdefault(module, []).append(change)
    result = []
    for module, changes in sorted(groups.items()):
        rows = []
        for change in changes:
            name = inline(change.path.rsplit("/", 1)[-1])
            if change.old_path:
                name = Md(f"{name} ({inline(labels('renamed_from', old=change.old_path))})")
            if change.binary:
                rows.append((name, labels("binary"), labels("binary")))
            else:
                rows.append((name, change.additions, change.deletions))
        result.append(FileGroup(module, tuple(rows)))
    return tuple(result), len(files) - len(shown)
