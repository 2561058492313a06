"""What the search index knows of a page besides its text: filters, sort key, index part.

Commit and day pages carry these in their front matter; the theme template
(`overrides/main.html`) turns them into Pagefind's `data-pagefind-filter`,
`-sort` and `-meta` attributes, and the site's search step
(`generator.site.search`) uses the same values to split the index into parts and
to list the filter values a reader can pick. Both read them from here, so the
values on the pages and in the search box always agree.

Filter values are what a reader sees on the page: the repository, the tier and
the change type in the site's language (the tier with its emoji, which also
sorts the tiers high → low), the year of the local day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from generator.localdays import day_window
from generator.models import Commit
from generator.render.i18n import Labels
from generator.render.mdtext import Md, attr
from generator.text import TIER_EMOJI


@dataclass(frozen=True)
class Facets:
    day: date
    """The local day the page belongs to: its year filter, and the index part (its month)."""
    instant: datetime
    """What "newest first" orders by: a commit's time; a day page's start, so that it comes
    after the commits it lists."""
    repos: tuple[str, ...]
    """A commit page's repository, or every repository a day page shows."""
    commit: bool
    """A commit page (`repo` in its front matter), else a day page (`repos`)."""
    tier: str | None = None
    """Label with emoji (`🔴 高`); commit pages only, when analysed."""
    change_type: str | None = None

    @property
    def part(self) -> str:
        """The search index part the page goes into: one per local month, so that a
        day's update re-indexes one month and never the past."""
        return f"{self.day:%Y-%m}"

    @property
    def sort_key(self) -> str:
        # UTC, so that the string order is the time order in any timezone (a DST fold
        # repeats local times).
        return f"{self.instant.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"

    def front_matter(self) -> dict[str, Md]:
        """The front-matter keys the theme template reads: `repo` on a commit page, `repos`
        on a day page. Values are escaped like all front matter (`attr`), since the template
        places them raw into attributes; keys are `Md` too, since templates print them."""
        front = {"date": attr(self.day.isoformat()), "time": attr(self.sort_key)}
        if not self.commit:
            front["repos"] = f"[{', '.join(attr(repo) for repo in self.repos)}]"
        else:
            front["repo"] = attr(self.repos[0])
            if self.tier and self.change_type:
                front["tier"] = attr(self.tier)
                front["change_type"] = attr(self.change_type)
        return {Md(key): Md(value) for key, value in front.items()}


def tier_label(tier: str, labels: Labels) -> str:
    return f"{TIER_EMOJI[tier]} {labels.tier(tier)}"


def commit_facets(repo: str, day: date, commit: Commit, labels: Labels) -> Facets:
    analysis = commit.analysis
    return Facets(
        day=day,
        instant=commit.committed_at,
        repos=(repo,),
        commit=True,
        tier=tier_label(analysis.tier, labels) if analysis else None,
        change_type=labels.change_type(analysis.change_type) if analysis else None,
    )


def day_facets(day: date, repos: tuple[str, ...], tz: ZoneInfo) -> Facets:
    return Facets(day=day, instant=day_window(day, tz).start, repos=repos, commit=False)
