"""A repository's own interface declarations: `interfaces:` in its entry.

The defaults (generator/interfaces) find dataclass/pydantic/attrs configuration classes,
`Env` classes, environment dicts, argparse/click/typer/clap options and environment
reads. A rule adds what they miss: the fields of one class, or the keys of one dict,
in the files its globs match (even under tests, examples or docs).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from generator.config.base import Strict
from generator.globs import glob_regex

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class InterfaceRule(Strict):
    """One entry of `interfaces:`, e.g. `{paths: "pkg/settings.py", class: Settings,
    kind: option, flag: "--{name}"}`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    paths: tuple[str, ...] = Field(min_length=1)
    """Path globs of the files that declare (`*` stays in one directory, `**` crosses
    them); one glob may be given as a string."""
    class_: str | None = Field(default=None, alias="class")
    """A class whose public class-level members (annotated or assigned, also inside
    class-level `if` blocks) are declarations, whatever the class's name or decorators."""
    dict_: str | None = Field(default=None, alias="dict")
    """A module-level dict whose public string keys are declarations, the value's source
    text being the default."""
    kind: Literal["option", "env"] = "option"
    """What the names are: `option` (a command-line flag or configuration field) or `env`
    (an environment variable)."""
    flag: str | None = None
    """How a name shows as a flag, `{name}` standing for it: `--{name}` makes the field
    `max_batch` the option `--max-batch`. Without it, names are shown as declared."""
    dashes: bool | None = None
    """With `flag`: whether `_` in the name becomes `-` in the flag (default: yes)."""

    @field_validator("paths", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("paths")
    @classmethod
    def _globs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for glob in value:
            if not glob.strip().strip("/"):
                raise ValueError("a glob must not be empty")
            try:
                glob_regex(glob)
            except re.error:
                raise ValueError(f"{glob!r} is not a valid path glob") from None
        return value

    @field_validator("class_", "dict_")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        if value is not None and not IDENTIFIER.fullmatch(value):
            raise ValueError(f"{value!r} is not a Python name")
        return value

    @field_validator("flag")
    @classmethod
    def _flag_format(cls, value: str | None) -> str | None:
        if value is None:
            return value
        rest = value.replace("{name}", "", 1)
        if "{name}" not in value or "{" in rest or "}" in rest or any(c.isspace() for c in value):
            raise ValueError(f"{value!r} must hold '{{name}}' once and no other braces or spaces")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> InterfaceRule:
        if (self.class_ is None) == (self.dict_ is None):
            raise ValueError("give exactly one of 'class' and 'dict'")
        if self.dashes is not None and self.flag is None:
            raise ValueError("'dashes' only applies with 'flag'")
        return self
