"""What rendering needs to know of the configuration, and nothing else.

Pages and feeds depend on the site's name, URL, language and timezone, on the repositories'
names, branches and slugs, and on the watches (the search box also on the glossary); sources,
analyzers and paths on disk are none of their business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator.text import Language

if TYPE_CHECKING:
    from generator.config import Config, GlossaryEntry, Watch


@dataclass(frozen=True)
class RepoSettings:
    name: str
    """`owner/name`, as on GitHub."""
    branch: str
    slug: str
    """Safe for HTML ids and file names, unique per repository (`RepoConfig.slug`)."""


@dataclass(frozen=True)
class SiteSettings:
    site_name: str
    site_url: str
    """Absolute, ending in `/`."""
    language: Language
    timezone: str
    """IANA name; local times on pages are in this zone."""
    repos: tuple[RepoSettings, ...]
    """In config order: the order of repositories on every page."""
    watches: tuple[Watch, ...] = ()
    """In config order: each gets a page and feeds; commit and day pages mark them."""
    glossary: tuple[GlossaryEntry, ...] = field(default=(), repr=False)
    """The config's glossary entries: the order the search box offers topics in, and the
    names it also finds them by (`render.topics`). Pages show the topics their records hold,
    so the glossary is no part of what they were rendered with (`repr`)."""

    @classmethod
    def from_config(cls, config: Config) -> SiteSettings:
        return cls(
            site_name=config.site_name,
            site_url=config.site_url,
            language=config.language,
            timezone=config.timezone,
            repos=tuple(RepoSettings(repo.name, repo.branch, repo.slug) for repo in config.repos),
            glossary=config.glossary,
            # Whom a watch notifies is no page's business: changing it re-renders nothing.
            watches=tuple(w.model_copy(update={"notify": ()}) for w in config.watches),
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def repo_names(self) -> tuple[str, ...]:
        return tuple(repo.name for repo in self.repos)

    def repo(self, name: str) -> RepoSettings:
        return next(repo for repo in self.repos if repo.name == name)

    def watch(self, name: str) -> Watch:
        return next(watch for watch in self.watches if watch.name == name)
