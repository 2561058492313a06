"""A repository's opened source → its `Refs`."""

from __future__ import annotations

from generator.releases.gitrefs import GitRefs
from generator.releases.refs import Refs
from generator.sources import Source
from generator.sources.git import GitSource
from generator.sources.github import GitHubSource


def open_refs(source: Source) -> Refs | None:
    """The refs of the source's repository; None for an empty repository."""
    if isinstance(source, GitSource):
        return GitRefs(source.path, source.tip, source.env) if source.tip else None
    if isinstance(source, GitHubSource):
        from generator.releases.githubrefs import GitHubRefs

        return GitHubRefs(source.api, source.remote, source.tip, source.label)
    return None
