"""Which tags are releases, in version order (README: Releases)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from packaging.version import InvalidVersion, Version

from generator.config.releases import ReleaseRules


@dataclass(frozen=True)
class Tag:
    name: str
    sha: str
    """The commit it points at (an annotated tag peeled)."""
    date: datetime | None = None
    """The tagger's date for an annotated tag, else its commit's committer date; None
    until the source is asked (`Refs.dated`: GitHub needs a request per tag)."""


def version_of(name: str) -> Version | None:
    """`v0.5.18` → 0.5.18; None for a tag that is no version (`nightly`, `v-latest`)."""
    try:
        return Version(name.removeprefix("v").removeprefix("V"))
    except InvalidVersion:
        return None


def release_tags(tags: Iterable[Tag], rules: ReleaseRules) -> list[Tag]:
    """The tags that are releases under `rules`, oldest version first. Tags that are not
    versions are left out, and pre-releases unless `rules.prereleases`; two tags of one
    version (`v1.0` and `v1.0.0`) keep the first by name."""
    found: dict[Version, Tag] = {}
    for tag in sorted(tags, key=lambda t: t.name):
        version = version_of(tag.name) if rules.matches(tag.name) else None
        if version is None or (version.is_prerelease and not rules.prereleases):
            continue
        found.setdefault(version, tag)
    return [found[v] for v in sorted(found)]
