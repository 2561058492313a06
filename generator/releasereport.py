"""`report`: what changed between two refs of a followed repository, as a release page
says it (README: Releases), printed rather than written into the archive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from generator.config import Config
from generator.records import load_record
from generator.releases import ReleaseRecord, UnknownRef, compare_refs, open_refs, resolve
from generator.render.releasepages import dumps, report_json, report_markdown
from generator.render.releasetiers import Placed, from_records
from generator.render.settings import SiteSettings
from generator.sources import SourceContext, open_source


def report(
    config: Config,
    repo_name: str,
    old: str,
    new: str,
    as_json: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> str:
    """The comparison of two refs of a configured repository, as the release page shows
    it (Markdown) or as one JSON object. A ref that does not exist raises UnknownRef."""
    repo = config.repo(repo_name)
    context = SourceContext(config, now())
    refs = open_refs(open_source(repo, context))
    if refs is None:
        raise UnknownRef(f"Repository '{repo.name}' has no commits: nothing to compare")
    record = compare_refs(
        refs,
        repo.name,
        resolve(refs, old, config.tz),
        resolve(refs, new, config.tz),
        repo.interfaces,
    )
    placed = _archived(config, record)
    if as_json:
        return dumps(report_json(record, placed))
    return report_markdown(record, SiteSettings.from_config(config), placed)


def _archived(config: Config, record: ReleaseRecord) -> dict[str, Placed]:
    """The tiers of the record's commits that the archive holds, from their day records."""
    days = {
        c.branch_committed.astimezone(config.tz).date()
        for c in record.commits
        if c.branch_committed is not None
    }
    found = [load_record(config.data_dir, record.repo, day) for day in sorted(days)]
    return from_records([r for r in found if r is not None])
