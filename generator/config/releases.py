"""`releases:` of a repository entry: which tags are its releases (README: Releases)."""

from __future__ import annotations

import re

from pydantic import field_validator

from generator.config.base import Strict


class ReleaseRules(Strict):
    """Tags whose name matches `tags` are releases, ordered by version (`packaging`);
    pre-releases (`rc`, `a`, `b`, `dev`) only with `prereleases: true`. `releases: off`
    in the entry turns release reports off."""

    tags: str = "v*"
    """A glob on the tag's name: `*` any characters, `?` one (`v*`, `release-*`)."""
    prereleases: bool = False
    """Whether `v1.2.0rc1` and the like are releases too."""

    @field_validator("tags")
    @classmethod
    def _glob(cls, value: str) -> str:
        if not value.strip() or any(c.isspace() for c in value) or value.startswith("-"):
            raise ValueError(f"{value!r} is not a tag glob (e.g. 'v*')")
        return value

    def matches(self, tag: str) -> bool:
        return tag_regex(self.tags).fullmatch(tag) is not None


def tag_regex(glob: str) -> re.Pattern[str]:
    """A tag glob as a regular expression: `*` and `?` match any characters, `/` too."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts))


def releases_value(value: object) -> object:
    """`off`/`false` (YAML reads `off` as false) turns releases off; `on`/`true` keeps the
    defaults."""
    if value is False or (isinstance(value, str) and value.lower() in {"off", "false", "no"}):
        return None
    if value is True or (isinstance(value, str) and value.lower() in {"on", "true", "yes"}):
        return ReleaseRules()
    return value
