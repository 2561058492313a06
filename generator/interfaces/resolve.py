"""Which facts of a file are declarations of its interface, and under which name.

The rule that makes a class a configuration class looks at what the class declares,
not only at its name (README: Interface changes):

* a **configuration class** has a name ending in one of `CONFIG_SUFFIXES`, is not an
  enum or a protocol, and declares at least one public field: an annotated class-level
  name that is not a `ClassVar` (dataclass, pydantic and attrs classes alike), or an
  `attr.ib()` / `attrs.field()` member. Its fields are options, named as declared.
* an **environment class** has `Env` in its name, is not an enum, and its public
  UPPER_SNAKE class attributes are environment variables (sglang's `class Envs`).
* an **environment dict** is a module-level dict display with UPPER_SNAKE string keys
  whose values read the environment somewhere (vllm's `environment_variables` of
  lambdas): each UPPER_SNAKE key is a variable, its whole value the default.
* anywhere in the file, an UPPER_SNAKE name read through `os.environ` or `os.getenv` is an
  environment variable (default: the `get`/`getenv` default), and `add_argument("--flag")`
  or a click/typer option is an option named by its flag, unless its destination or one
  of its other long names is a field of a configuration class of the same file (then the
  field is that option: `--tp-size` sets `ServerArgs.tp_size`).

Members of class-level `if` blocks count; names starting with `_` never do. When a name
is declared twice, the first declaration in the file wins: classes and dicts first,
then flags and reads in source order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from generator.interfaces.facts import UPPER_SNAKE, ClassFact, DictFact, EnvRead, Facts, Member
from generator.models import InterfaceKind

CONFIG_SUFFIXES = ("Args", "Arguments", "Config", "Settings", "Options", "Params")
NOT_CONFIG_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "Protocol"})

Declarations = dict[tuple[InterfaceKind, str], str | None]
"""(kind, name) → the default's or version's source text (None when there is none)."""


class Rule(Protocol):
    """A repository's own declarations (`interfaces:` in its config entry)."""

    @property
    def paths(self) -> tuple[str, ...]: ...
    @property
    def class_(self) -> str | None: ...
    @property
    def dict_(self) -> str | None: ...
    @property
    def kind(self) -> InterfaceKind: ...
    @property
    def flag(self) -> str | None: ...
    @property
    def dashes(self) -> bool | None: ...


def resolve(facts: Facts, rules: Sequence[Rule] = ()) -> Declarations:
    """The declarations a file's facts make; `rules` are those that apply to its path."""
    found: Declarations = {}
    fields: set[str] = set()
    for fact in facts.structural:
        if isinstance(fact, ClassFact):
            _class(fact, rules, found, fields)
        elif isinstance(fact, DictFact):
            _dict(fact, rules, found)
    for read in facts.reads:
        if isinstance(read, EnvRead):
            found.setdefault(("env", read.name), read.default)
        elif fields.isdisjoint((read.dest, *read.aliases)) and read.flag.lstrip("-")[:1] != "_":
            found.setdefault(("option", read.flag), read.default)
    return found


def relevant_class(name: str, rules: Sequence[Rule] = ()) -> bool:
    """Whether a class of this name can declare anything: the others' members are ignored."""
    return (
        name.endswith(CONFIG_SUFFIXES)
        or "Env" in name
        or any(rule.class_ == name for rule in rules)
    )


def flag_name(rule: Rule, name: str) -> str:
    if rule.flag is None:
        return name
    shown = name.replace("_", "-") if rule.dashes is not False else name
    return rule.flag.replace("{name}", shown)


def _public(name: str) -> bool:
    return not name.startswith("_")


def _class(fact: ClassFact, rules: Sequence[Rule], found: Declarations, fields: set[str]) -> None:
    members = [m for m in fact.members if isinstance(m, Member) and _public(m.name)]
    rule = next((r for r in rules if r.class_ == fact.name), None)
    plain = not NOT_CONFIG_BASES.intersection(fact.bases)
    if rule is not None:
        for member in members:
            if not member.classvar:
                found.setdefault((rule.kind, flag_name(rule, member.name)), member.value)
                if rule.kind == "option":
                    fields.add(member.name)
    elif plain and fact.name.endswith(CONFIG_SUFFIXES) and any(map(_is_field, members)):
        for member in filter(_is_field, members):
            found.setdefault(("option", member.name), member.value)
            fields.add(member.name)
    elif plain and "Env" in fact.name:
        for member in members:
            if UPPER_SNAKE.fullmatch(member.name):
                found.setdefault(("env", member.name), member.value)
    for inner in fact.members:
        if isinstance(inner, ClassFact):
            _class(inner, rules, found, fields)


def _is_field(member: Member) -> bool:
    return (member.annotated and not member.classvar) or member.attrs_field


def _dict(fact: DictFact, rules: Sequence[Rule], found: Declarations) -> None:
    rule = next((r for r in rules if r.dict_ == fact.target), None)
    if rule is not None:
        for entry in fact.entries:
            if _public(entry.key):
                found.setdefault((rule.kind, flag_name(rule, entry.key)), entry.value)
        return
    keys = [e for e in fact.entries if UPPER_SNAKE.fullmatch(e.key)]
    if keys and any(entry.reads_env for entry in fact.entries):
        for entry in keys:
            found.setdefault(("env", entry.key), entry.value)
