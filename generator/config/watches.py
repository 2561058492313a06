"""`watches:`: the commits a team follows, each watch with a page, feeds and, if it names
targets, notifications (README: Watches).

```yaml
watches:
  - name: moe
    title: MoE kernels
    repos: [sgl-project/sglang]
    paths: ["python/sglang/srt/layers/moe/**", "sgl-kernel/csrc/moe/**"]
    keywords: [fused_moe, deepep]
    labels: [moe]
    interfaces: true
    min_tier: low
    notify: [team-moe]
```

What a watch matches is `generator.render.watches.matches`; here each entry is checked
alone, and `cross_check` checks it against the rest of the config.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from generator.config.base import Strict, owner_slash_name
from generator.config.notify import NotifyTarget
from generator.config.repos import Glob
from generator.globs import glob_regex

TierName = Literal["low", "medium", "high"]
MATCHERS = ("paths", "keywords", "labels", "authors", "interfaces")


def _words(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if not value.strip():
            raise ValueError("an empty entry matches everything; remove it")
    return tuple(v.strip() for v in values)


Terms = Annotated[tuple[str, ...], AfterValidator(_words)]


class Watch(Strict):
    """One watch: the commits of some repositories that touch its paths, mention its
    keywords, carry its labels, are by its authors, or change an interface."""

    name: str
    """`[a-z0-9-]+`, unique: the page is `watches/<name>/`, the feeds `feeds/watches/<name>.*`."""
    title: str | None = Field(default=None, min_length=1)
    """Shown on the page and in messages instead of the name."""
    repos: tuple[str, ...] = ()
    """The repositories it follows (`owner/name`, configured under `repos:`); default: all."""
    paths: tuple[Glob, ...] = ()
    """Path globs: a commit any of whose files (or a renamed file's old path) matches one."""
    keywords: Terms = ()
    """Words found, ignoring case, in the subject, the message body or the PR title."""
    labels: Terms = ()
    """Pull request labels (when pull requests come from the API), ignoring case."""
    authors: Terms = ()
    """Author names, e-mails or GitHub logins, ignoring case."""
    interfaces: bool = False
    """Also every commit that changed an option, an environment variable or a dependency."""
    min_tier: TierName = "low"
    """Only commits of this tier or above."""
    notify: tuple[str, ...] = ()
    """Names of `notify:` targets (with `what: watch`) that get its commits of each day."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9-]+", value):
            raise ValueError(f"{value!r} is not a watch name (lowercase letters, digits and '-')")
        return value

    @field_validator("repos")
    @classmethod
    def _repos(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(owner_slash_name(v) for v in value)

    @model_validator(mode="after")
    def _matches_something(self) -> Watch:
        if not (self.paths or self.keywords or self.labels or self.authors or self.interfaces):
            raise ValueError(
                f"watch {self.name!r} matches nothing: give it paths, keywords, labels, "
                "authors or interfaces: true"
            )
        return self

    @property
    def heading(self) -> str:
        """How pages and messages name it: its title, else its name."""
        return self.title or self.name

    @cached_property
    def path_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(glob_regex(g) for g in self.paths)

    @cached_property
    def folded(self) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
        """Keywords, labels and authors case-folded, as the matcher compares them."""
        return (
            tuple(k.casefold() for k in self.keywords),
            frozenset(label.casefold() for label in self.labels),
            frozenset(a.casefold() for a in self.authors),
        )


def _unique_names(watches: tuple[Watch, ...]) -> tuple[Watch, ...]:
    seen = [w.name for w in watches]
    twice = sorted({n for n in seen if seen.count(n) > 1})
    if twice:
        raise ValueError(f"watch name used twice: {', '.join(twice)}")
    return watches


Watches = Annotated[tuple[Watch, ...], AfterValidator(_unique_names)]
"""`Config.watches`: the watches, their names unique."""


def cross_check(
    watches: Sequence[Watch], repos: Sequence[str], targets: Sequence[NotifyTarget]
) -> list[str]:
    """What a watch says that the rest of the config contradicts, one line each: a
    repository not configured, a target that does not exist or takes no watch messages,
    a name whose feed would be a repository's (`watches/<name>` is a repository's name)."""
    problems = []
    kinds = {t.name: t.what for t in targets}
    named = {n for w in watches for n in w.notify}
    for i, watch in enumerate(watches):
        for repo in watch.repos:
            if repo not in repos:
                problems.append(
                    f"watches[{i}].repos: {repo!r} is not under repos: "
                    f"(configured: {', '.join(repos)})"
                )
        for name in watch.notify:
            if name not in kinds:
                known = ", ".join(kinds) or "none"
                problems.append(
                    f"watches[{i}].notify: {name!r} is not a notify: target (targets: {known})"
                )
            elif kinds[name] != "watch":
                problems.append(
                    f"watches[{i}].notify: target {name!r} has what: {kinds[name]}; a watch "
                    "sends to targets with what: watch"
                )
        if f"watches/{watch.name}" in repos:
            problems.append(
                f"watches[{i}].name: {watch.name!r} would share its feed with repository "
                f"watches/{watch.name}; choose another name"
            )
    for target in targets:
        if target.what == "watch" and target.name not in named:
            problems.append(
                f"notify: target {target.name!r} has what: watch but no watch names it in "
                "its notify: list"
            )
    return problems
