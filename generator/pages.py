"""Records → Markdown pages under docs/. A pure function of the records and templates.

Each template gets one typed context built by one function here; untrusted text
reaches the templates as plain `str` and is escaped by `mdtext.finalize`, or as
`Md` built in this module from escaped parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator import links
from generator.archive import Archive, CommitRef
from generator.config import Config
from generator.contexts import (
    ArchivePage,
    CommitPage,
    CommitView,
    DayPage,
    FileGroup,
    HomePage,
    RepoDay,
    RepoPage,
    TierSection,
)
from generator.feeds import render_feeds
from generator.files import OutputTree
from generator.i18n import TIER_EMOJI, Labels
from generator.mdtext import Md, attr, block, code, finalize, inline, link, paragraph
from generator.models import Analysis, DayRecord, FileChange

GENERATED_FOLDERS = ["daily", "commits", "repos"]
RECENT_DAYS = 30
LATEST_HIGH = 20
MAX_FILES_LISTED = 300
T = TypeVar("T")


class PageBuilder:
    """Builds each page's context from the archive; knows the language and timezone."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.config: Config = archive.config
        self.labels = Labels(self.config.language)
        self.slugs = {repo.name: repo.slug for repo in self.config.repos}

    # -- shared pieces -------------------------------------------------------------

    def local_time(self, ref: CommitRef) -> str:
        return f"{ref.commit.committed_at.astimezone(self.config.tz):%Y-%m-%d %H:%M:%S}"

    def badges(self, analysis: Analysis | None) -> Md:
        if analysis is None:
            return Md("")
        emoji, label = TIER_EMOJI[analysis.tier], self.labels.tier(analysis.tier)
        tier = f'<span class="cd-badge cd-tier-{analysis.tier}">{emoji} {label}</span>'
        kind = self.labels.change_type(analysis.change_type)
        return Md(f'{tier} <span class="cd-badge cd-type">{inline(kind)}</span>')

    def commit_view(self, ref: CommitRef, page: str) -> CommitView:
        commit = ref.commit
        number = links.pr_number(commit.subject)
        anchor = links.anchor(self.slugs[ref.repo], commit.sha)
        return CommitView(
            anchor=Md(anchor),
            time=self.local_time(ref),
            author=commit.author_label,
            subject=commit.title,
            heading_attrs=_heading_attrs(anchor + "-analysis", links.toc_title(commit.title)),
            page_link=link(
                commit.title, links.relative(page, links.commit_page(ref.repo, commit.sha))
            ),
            github_link=link(self.labels("view_commit"), links.github_commit(ref.repo, commit.sha)),
            pr_link=link(f"#{number}", links.github_pull(ref.repo, number)) if number else None,
            short_sha=code(commit.sha[:7]),
            tier=commit.tier,
            badges=self.badges(commit.analysis),
            dropped=self.dropped_badge() if commit.dropped_at else None,
            analysis=commit.analysis,
        )

    def dropped_badge(self) -> Md:
        return Md(f'<span class="cd-badge cd-dropped">{inline(self.labels("dropped"))}</span>')

    def day_link(self, page: str, day: date, anchor: str = "", text: str | None = None) -> Md:
        return link(text or day.isoformat(), links.relative(page, links.day_page(day), anchor))

    # -- day pages -----------------------------------------------------------------

    def day_page(self, day: date, previous: date | None, following: date | None) -> DayPage:
        page = links.day_page(day)
        records = self.archive.records_on(day)
        repos = tuple(self._repo_day(record, page) for record in records)
        nav = _nav(
            self.day_link(page, previous, text=self.labels("prev_day")) if previous else None,
            self.day_link(page, following, text=self.labels("next_day")) if following else None,
        )
        title = self.labels("day_title", date=day.isoformat())
        names = ", ".join(r.repo for r in records)
        front = _front(title, self.labels("day_description", date=day, repos=names))
        tags = tuple(Md(attr(r.repo)) for r in records)
        return DayPage(front=front, tags=tags, title=title, nav=nav, repos=repos)

    def _repo_day(self, record: DayRecord, page: str) -> RepoDay:
        rows = tuple(
            self.commit_view(CommitRef(record.repo, record.day, c), page) for c in record.commits
        )
        counts = record.tier_counts()
        sections = tuple(
            TierSection(
                title=self.labels(
                    "tier_section", emoji=TIER_EMOJI[tier], tier=self.labels.tier(tier), count=n
                ),
                tier=tier,
                commits=tuple(row for row in rows if row.tier == tier),
            )
            for tier, n in counts.items()
            if n
        )
        notice = self.labels.status(record)
        return RepoDay(
            name=record.repo,
            repo_link=link(record.repo, links.relative(page, links.repo_page(record.repo))),
            notice=notice,
            rows=rows,
            stats=self.labels("stats", total=len(rows), **counts),
            sections=sections,
        )

    # -- commit pages --------------------------------------------------------------

    def commit_page(
        self, ref: CommitRef, older: CommitRef | None, newer: CommitRef | None
    ) -> CommitPage:
        commit, repo = ref.commit, ref.repo
        page = links.commit_page(repo, commit.sha)
        view = self.commit_view(ref, page)
        facts: list[tuple[str, Md | str]] = [
            ("sha", code(commit.sha)),
            ("author", view.author),
            ("time", f"{view.time} ({self.config.timezone})"),
            ("github", view.github_link),
        ]
        if view.pr_link:
            facts.append(("pull_request", view.pr_link))
        facts.append(("day_page", self.day_link(page, ref.day, view.anchor)))
        facts.append(("repository", link(repo, links.relative(page, links.repo_page(repo)))))
        if commit.is_merge:
            facts.append(("parents", Md(" ".join(code(p[:12]) for p in commit.parents))))
        nav = _nav(
            self._neighbour_link(page, older, "prev_commit"),
            self._neighbour_link(page, newer, "next_commit"),
        )
        description = self.labels(
            "commit_description", repo=repo, sha=commit.sha[:12], date=ref.day.isoformat()
        )
        groups, omitted = _file_groups(commit.files, self.labels)
        dropped_note = None
        if commit.dropped_at:
            when = f"{commit.dropped_at.astimezone(self.config.tz):%Y-%m-%d %H:%M}"
            branch = self.config.repo(repo).branch
            dropped_note = self.labels("dropped_note", branch=branch, when=when)
        return CommitPage(
            front=_front(commit.title, description),
            subject=view.subject,
            badges=Md(f"{view.badges} {view.dropped}") if view.dropped else view.badges,
            dropped_note=dropped_note,
            facts=tuple((self.labels(key), value) for key, value in facts),
            nav=nav,
            merge=commit.is_merge,
            body=block(commit.body) if commit.body.strip() else None,
            analysis=commit.analysis,
            file_count=len(commit.files),
            file_groups=groups,
            files_omitted=omitted,
        )

    def _neighbour_link(self, page: str, ref: CommitRef | None, key: str) -> Md | None:
        if ref is None:
            return None
        target = links.commit_page(ref.repo, ref.commit.sha)
        return link(self.labels(key), links.relative(page, target))

    # -- repository, home and archive pages ---------------------------------------

    def repo_page(self, name: str) -> RepoPage:
        page = links.repo_page(name)
        records = self.archive.records.get(name, ())
        days = tuple(
            (self.day_link(page, r.day), len(r.commits), *r.tier_counts().values())
            for r in reversed(records[-RECENT_DAYS:])
            if r.day in self._day_set
        )
        high = [ref for ref in self.archive.timeline.get(name, ()) if ref.commit.tier == "high"]
        latest_high = tuple(
            (ref.day.isoformat(), self.commit_view(ref, page)) for ref in high[:LATEST_HIGH]
        )
        front = _front(name, name)
        github = link("github.com/" + name, f"https://github.com/{name}")
        return RepoPage(front, name, github, days, latest_high)

    def home_page(self) -> HomePage:
        page = links.HOME_PAGE
        latest = []
        for repo in self.config.repos:
            with_commits = [r for r in self.archive.records.get(repo.name, ()) if r.commits]
            if with_commits:
                last = with_commits[-1]
                summary = self.labels("stats", total=len(last.commits), **last.tier_counts())
                repo_link = link(repo.name, links.relative(page, links.repo_page(repo.name)))
                latest.append((repo_link, self.day_link(page, last.day), summary))
        recent = tuple(
            (self.day_link(page, day), self._day_total(day)) for day in reversed(self.days[-14:])
        )
        title = self.config.site_name
        archive_links = Md(
            f"{link(self.labels('all_days'), links.ARCHIVE_PAGE)} · "
            f"{link('RSS', 'feed.xml')} · {link(self.labels('tags'), links.TAGS_PAGE)}"
        )
        front = _front(title, title)
        return HomePage(front, archive_links, tuple(latest), recent)

    def archive_page(self) -> ArchivePage:
        months: dict[str, list[tuple[Md, str]]] = {}
        for day in reversed(self.days):
            entry = (self.day_link(links.ARCHIVE_PAGE, day), self._day_total(day))
            months.setdefault(f"{day:%Y-%m}", []).append(entry)
        title = self.labels("archive")
        front = _front(title, self.labels("archive_intro"))
        return ArchivePage(front, tuple((m, tuple(d)) for m, d in months.items()))

    def _day_total(self, day: date) -> str:
        total = sum(len(r.commits) for r in self.archive.records_on(day))
        return self.labels("commit_count", total=total)

    @cached_property
    def days(self) -> list[date]:
        return self.archive.days()

    @cached_property
    def _day_set(self) -> set[date]:
        return set(self.days)


def _front(title: str, description: str) -> dict[str, Md]:
    """Front matter values; the theme puts them raw into <head>, hence `attr`."""
    return {"title": Md(attr(title)), "description": Md(attr(description))}


def _neighbours(items: Sequence[T]) -> Iterator[tuple[T | None, T, T | None]]:
    """(before, item, after) for each item of a sequence."""
    for index, item in enumerate(items):
        before = items[index - 1] if index else None
        after = items[index + 1] if index + 1 < len(items) else None
        yield before, item, after


def _nav(previous: Md | None, following: Md | None) -> Md:
    parts = [p for p in (previous, following) if p]
    return Md(" | ".join(parts))


def _heading_attrs(anchor: str, label: str) -> Md:
    # The label is inline-escaped like any text (the toc extension unescapes it);
    # only a double quote could still end the attr_list value.
    return Md(f'{{#{anchor} data-toc-label="{inline(label.replace(chr(34), chr(39)))}"}}')


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


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(code=code, paragraph=paragraph, inline=inline)
    return env


def render_pages(config: Config, archive: Archive | None = None) -> OutputTree:
    """Write every page of the archive into `config.docs_dir`; remove pages of nothing."""
    archive = archive or Archive.load(config)
    builder = PageBuilder(archive)
    env = environment()
    env.globals["L"] = builder.labels
    out = OutputTree(config.docs_dir)

    def render(template: str, path: str, page: Any) -> None:
        out.write(path, env.get_template(template).render(page=page))

    for previous, day, following in _neighbours(builder.days):
        render("day.md.j2", links.day_page(day), builder.day_page(day, previous, following))
    for repo in config.repos:
        # The timeline is newest first: the item before is the newer commit.
        for newer, ref, older in _neighbours(archive.timeline.get(repo.name, ())):
            page = builder.commit_page(ref, older, newer)
            render("commit.md.j2", links.commit_page(repo.name, ref.commit.sha), page)
        render("repo.md.j2", links.repo_page(repo.name), builder.repo_page(repo.name))
    render("home.md.j2", links.HOME_PAGE, builder.home_page())
    render("archive.md.j2", links.ARCHIVE_PAGE, builder.archive_page())
    tags = builder.labels("tags")
    render("tags.md.j2", links.TAGS_PAGE, {"front": _front(tags, tags), "title": tags})
    out.remove_stale(GENERATED_FOLDERS)
    render_feeds(archive, out)
    return out
