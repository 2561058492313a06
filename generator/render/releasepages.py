"""Writing the release pages and feeds (render stage), and the `report` command's output:
the same view as Markdown with absolute links, or as one JSON object."""

from __future__ import annotations

import json
from typing import Any

from generator.files import OutputTree
from generator.releases import ReleaseRecord
from generator.render import links
from generator.render.feeds import feed_files
from generator.render.pageset import environment
from generator.render.releases import RELEASES_FOLDER, ReleaseSet, ReleaseViews, count, release_page
from generator.render.releasetiers import Placed
from generator.render.settings import SiteSettings


def render_releases(releases: ReleaseSet, settings: SiteSettings, out: OutputTree) -> None:
    """Every release page and every repository's releases feed; pages of releases no
    record holds any more are removed."""
    views = ReleaseViews(settings, releases)
    template = _template(views)
    for repo in settings.repo_names:
        records = releases.of(repo)
        for record in records:
            out.write(release_page(repo, record.tag), template.render(page=views.view(record)))
        if records:
            for rendered in feed_files(views.feed(repo), settings.site_url):
                out.write(*rendered)
    out.remove_stale([RELEASES_FOLDER])


def report_markdown(
    record: ReleaseRecord, settings: SiteSettings, placed: dict[str, Placed]
) -> str:
    """What the release page shows, with links to the archive's pages and GitHub."""

    def absolute(_page: str, target: str) -> str:
        return links.absolute(settings.site_url, target)

    views = ReleaseViews(settings, _one(record, placed), absolute)
    return _template(views).render(page=views.view(record, standalone=True))


def report_json(record: ReleaseRecord, placed: dict[str, Placed]) -> dict[str, Any]:
    """The report as one object (README: Releases, the `report` command)."""
    counts = count(record, placed)
    return {
        "repo": record.repo,
        "from": record.previous.name,
        "to": record.release.name,
        "commits": counts.total,
        "tiers": dict(counts.tiers),
        "interface_changes": [
            c.model_dump(mode="json") for c in record.interface_changes if c.kind != "dependency"
        ],
        "dependencies": [
            c.model_dump(mode="json") for c in record.interface_changes if c.kind == "dependency"
        ],
        "high": [{"sha": c.branch_sha or c.sha, "subject": c.subject} for c in counts.high],
    }


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def _one(record: ReleaseRecord, placed: dict[str, Placed]) -> ReleaseSet:
    class _Tiers:
        def of(self, repo: str) -> dict[str, Placed]:
            return placed

    return ReleaseSet({record.repo: [record]}, _Tiers())  # type: ignore[arg-type]


def _template(views: ReleaseViews) -> Any:
    env = environment()
    env.globals["label"] = views.labels
    return env.get_template("release.md.j2")
