"""The day's report as a GitHub issue: one issue per complete repository-day.

The body is GitHub-flavoured Markdown built from the record with the escaping the pages
use (`generator.mdtext`), plus what GitHub alone would act on: an `@name` would notify
someone, `#123` and `GH-123` would link (and cross-reference) the digest repository's
own issues, a bare URL would become a link. An invisible WORD JOINER (U+2060) after the
sign keeps each as the text it was. Links go to the archive's pages, never to upstream
pull requests, which would list every digest issue that names them.

A hidden marker in the body (`<!-- commit-digest:owner/name:YYYY-MM-DD -->`) finds the
day's issue again, so a re-run edits it and never opens a second one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, Environment, PackageLoader

from generator.config import Config
from generator.errors import SourceExhausted, SourceUnavailable
from generator.models import Analysis, Commit, DayRecord
from generator.publish.ledger import IssueLedger
from generator.records import iter_records
from generator.render import links
from generator.render.contexts import TierSection
from generator.render.i18n import Labels
from generator.render.interfaces import InterfaceBlock, interface_day
from generator.render.mdtext import Md, code, inline, link, paragraph
from generator.render.pages import tier_sections
from generator.render.pageset import environment as page_environment
from generator.text import neutral as neutral_text

if TYPE_CHECKING:
    from generator.github_api import GitHubAPI

BODY_LIMIT = 65_536
"""GitHub's limit for an issue body, in characters (counted here in UTF-16 units, as the
longest reading of "character")."""
MARKER = re.compile(r"<!-- commit-digest:(?P<repo>[^\s:]+):(?P<day>\d{4}-\d{2}-\d{2}) -->")


def neutral(text: str) -> Md:
    """Markdown that GitHub shows exactly as written: nothing in it notifies or links."""
    return Md(neutral_text(text))


def gfm_inline(text: str) -> Md:
    return neutral(inline(text))


def gfm_paragraph(text: str) -> Md:
    return neutral(paragraph(text))


def _finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if isinstance(value, str):
        return gfm_inline(value)
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    raise TypeError(f"issue template printed a {type(value).__name__}; build Md for it")


def environment(labels: Labels) -> Environment:
    """The pages' template environment, printing GitHub-flavoured Markdown instead."""
    env = page_environment()  # changed before any template loads, as Jinja requires
    # The analysis partial is the pages' own: the issue says what the page says.
    env.loader = ChoiceLoader([PackageLoader("generator.publish", "templates"), env.loader])
    env.finalize = _finalize
    env.filters.update(paragraph=gfm_paragraph, inline=gfm_inline)
    env.globals["label"] = labels
    return env


# -- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class IssueCommit:
    time: str
    author: str
    link: Md
    facts: Md
    tier: str
    analysis: Analysis | None


@dataclass(frozen=True)
class IssuePage:
    marker: Md
    heading: Md
    rows: tuple[IssueCommit, ...]
    stats: str
    sections: tuple[TierSection[IssueCommit], ...]
    cut: Md | None
    interfaces: InterfaceBlock | None = None


def marker(repo: str, day: date) -> str:
    return f"<!-- commit-digest:{repo}:{day.isoformat()} -->"


def issue_title(record: DayRecord, labels: Labels) -> str:
    return labels("report_title", repo=record.repo, date=record.day.isoformat())


def issue_body(record: DayRecord, config: Config) -> str:
    """The report, whole when it fits in an issue; else the table and the high tier with a
    link to the page; else the table alone, as many rows as fit."""
    labels = Labels(config.language)
    template = environment(labels).get_template("issue.md.j2")
    rows = tuple(_issue_commit(record.repo, c, config, labels) for c in record.commits)
    day_url = links.absolute(config.site_url, links.day_page(record.day))
    sections = tier_sections(rows, labels)
    page = IssuePage(
        marker=Md(marker(record.repo, record.day)),
        heading=link(labels("issue_heading", repo=record.repo, date=record.day), day_url),
        rows=rows,
        stats=labels.stats(record.tier_counts()),
        sections=sections,
        cut=None,
        interfaces=_interfaces(record, config, labels),
    )
    cut = Md(labels("issue_cut", link=link(labels("issue_cut_link"), day_url)))
    shorter = [
        page,
        replace(page, sections=tuple(s for s in sections if s.tier == "high"), cut=cut),
        replace(page, sections=(), cut=cut),
    ]
    for candidate in shorter:
        body = template.render(page=candidate)
        if _length(body) <= BODY_LIMIT:
            return body
    keep = len(rows)
    while keep and _length(body) > BODY_LIMIT:
        keep = keep * 9 // 10
        body = template.render(page=replace(page, rows=rows[:keep], sections=(), cut=cut))
    return body


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _interfaces(record: DayRecord, config: Config, labels: Labels) -> InterfaceBlock | None:
    """The day page's block of interface changes, linking into the archive, made neutral."""
    changed = [
        (
            c.interface_changes,
            link(gfm_inline(links.toc_title(c.title)), _commit_url(config, record.repo, c)),
        )
        for c in record.commits
        if c.interface_changes
    ]
    block = interface_day(changed, labels)
    if block is None:
        return None
    rows = tuple(replace(r, name=neutral(r.name), values=neutral(r.values)) for r in block.rows)
    return replace(block, rows=rows)


def _commit_url(config: Config, repo: str, commit: Commit) -> str:
    return links.absolute(config.site_url, links.commit_page(repo, commit.sha))


def _issue_commit(repo: str, commit: Commit, config: Config, labels: Labels) -> IssueCommit:
    url = links.absolute(config.site_url, links.commit_page(repo, commit.sha))
    facts = [code(commit.sha[:7])]  # tier and type open the analysis below
    if pull := commit.pull_request:
        text = f"#{pull.number}" + (f" {pull.title}" if pull.title else "")
        facts.append(gfm_inline(f"{labels('pull_request')} {text}"))
        facts += [code(name) for name in pull.labels]
    return IssueCommit(
        time=f"{commit.committed_at.astimezone(config.tz):%Y-%m-%d %H:%M:%S}",
        author=commit.author_label,
        link=link(gfm_inline(commit.title), url),
        facts=Md(" · ".join(facts)),
        tier=commit.tier,
        analysis=commit.analysis,
    )


# -- posting -------------------------------------------------------------------------


@dataclass
class PublishResult:
    posted: list[str] = field(default_factory=list)
    """`owner/name#number` of each issue opened or edited."""
    failures: list[str] = field(default_factory=list)


def publish(config: Config, plan: Sequence[tuple[str, date]], api: GitHubAPI) -> PublishResult:
    """Post or update the issue of every complete day that publishing covers and whose
    report is not on GitHub as it is now. Failures are lines in the result, never raised."""
    target = config.publish.github_issue
    assert target is not None
    result = PublishResult()
    state = IssueLedger.load(config.data_dir, target.repo)
    for repo, day in plan:
        state.cover(repo, day)
    labels = Labels(config.language)
    due = []
    for repo in config.repos:
        start = state.start(repo.name)
        for record in iter_records(config.data_dir, repo.name) if start else ():
            if record.day < start or not record.complete or not record.commits:
                continue  # before publishing began, not over, or nothing to report
            body = issue_body(record, config)
            digest = hashlib.sha256(body.encode()).hexdigest()
            if state.digest(record.repo, record.day) != digest:
                due.append((record, issue_title(record, labels), body, digest))
    state.save()
    if not due:
        return result
    remote = api.client.get_repo(target.repo)  # lazy: no request
    retry = "the next run posts it again"
    try:
        existing = api.call(f"Publishing to {target.repo}", lambda: _issues(remote, target.labels))
    except SourceUnavailable as exc:
        result.failures.append(f"{exc}; {retry}")
        return result
    for record, title, body, digest in due:
        what = f"Publishing {record.repo} {record.day} to {target.repo}"
        issue = existing.get((record.repo, record.day.isoformat()))
        try:
            if issue is None:
                issue = api.call(
                    what,
                    lambda t=title, b=body: remote.create_issue(
                        title=t, body=b, labels=list(target.labels)
                    ),
                )
            elif issue.body != body or issue.title != title:
                api.call(what, lambda i=issue, t=title, b=body: i.edit(title=t, body=b))
        except SourceExhausted as exc:
            result.failures.append(f"{exc}")
            break
        except SourceUnavailable as exc:
            result.failures.append(f"{exc}; {retry}")
            continue
        state.posted(record.repo, record.day, issue.number, digest)
        state.save()
        result.posted.append(f"{target.repo}#{issue.number}")
    return result


def _issues(remote: Any, labels: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    """The digest's issues in the target repository (with the configured labels), by the
    repository and day their marker names. Closed ones count: closing is not deleting."""
    found = {}
    options = {"labels": list(labels)} if labels else {}
    for issue in remote.get_issues(state="all", **options):
        if match := MARKER.search(issue.body or ""):
            found.setdefault((match["repo"], match["day"]), issue)
    return found
