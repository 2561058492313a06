"""What one Python statement may declare, read from its syntax tree alone.

A statement's facts do not depend on where it stands: `x: int = 1` gives a `Member`
whether it is in a configuration class, a plain class or a module; which facts become
declarations is decided later, for the whole file (resolve.py). So a statement can be
parsed on its own and its facts cached by its text, and a file's facts are the
concatenation of its statements' facts, in source order.

Two sorts of facts: *structural* ones (class members, classes, dict displays) count only
where they stand (module level, class level, class-level `if` blocks); *reads* (an
environment variable read, a command-line flag) count anywhere, even inside functions.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from typing import NamedTuple

UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9_]*")
READ_WORDS = re.compile(rb"environ|getenv|add_argument|[oO]ption\s*\(")
"""Text without these has no read (`EnvRead`, `Flag`): its tree need not be walked."""


class Member(NamedTuple):
    """`name: T = value` or `name = value` in a class body (or anywhere: see above)."""

    name: str
    annotated: bool
    classvar: bool
    value: str | None
    """`ast.unparse` of the assigned value; None when there is none."""
    attrs_field: bool
    """`name = attr.ib(...)` / `attrs.field(...)`: an attrs field without annotation."""


class ClassFact(NamedTuple):
    name: str
    bases: tuple[str, ...]
    """The last dotted part of each base (`BaseModel`, `Enum`)."""
    members: tuple[Structural, ...]
    """Members, nested classes and dict displays of its body and its class-level `if`s."""


class Entry(NamedTuple):
    key: str
    value: str
    reads_env: bool


class DictFact(NamedTuple):
    """`target = {"KEY": value, ...}`: the string-keyed entries of a dict display."""

    target: str
    entries: tuple[Entry, ...]


class EnvRead(NamedTuple):
    """`os.environ["X"]`, `os.environ.get("X", d)`, `os.getenv("X", d)`."""

    name: str
    default: str | None


class Flag(NamedTuple):
    """`add_argument("--flag", ...)`, `click.option("--flag")`, a `typer.Option` parameter."""

    flag: str
    dest: str
    default: str | None
    aliases: tuple[str, ...] = ()
    """Its other names (`--tp-size` beside `--tensor-parallel-size`), with underscores for
    dashes: the field a flag sets may be named after any of them."""


Structural = Member | ClassFact | DictFact
Read = EnvRead | Flag


class Facts(NamedTuple):
    structural: tuple[Structural, ...] = ()
    reads: tuple[Read, ...] = ()

    def __add__(self, other: object) -> Facts:  # type: ignore[override]
        assert isinstance(other, Facts)
        return Facts(self.structural + other.structural, self.reads + other.reads)


NO_FACTS = Facts()


def facts_of(statements: list[ast.stmt], lines: list[int] | None = None) -> Facts:
    """The facts of consecutive statements, in source order. `lines`: see `reads_of`."""
    structural: list[Structural] = []
    for statement in statements:
        structural.extend(structural_facts(statement))
    reads = reads_of(statements, lines) if lines is None or lines else ()
    return Facts(tuple(structural), reads)


def structural_facts(node: ast.stmt) -> list[Structural]:
    if isinstance(node, ast.If):
        return [fact for child in (*node.body, *node.orelse) for fact in structural_facts(child)]
    if isinstance(node, ast.ClassDef):
        return [class_fact(node, [f for child in node.body for f in structural_facts(child)])]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        value = None if node.value is None else ast.unparse(node.value)
        member = Member(node.target.id, True, _is_classvar(node.annotation), value, False)
        return [member, *_dict_fact(node.target.id, node.value)]
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Name):
            member = Member(
                target.id, False, False, ast.unparse(node.value), _is_attrs_field(node.value)
            )
            return [member, *_dict_fact(target.id, node.value)]
    return []


def class_fact(node: ast.ClassDef, members: list[Structural]) -> ClassFact:
    """The class a header declares, with the members its body gave."""
    bases = tuple(_last_name(base) for base in node.bases)
    return ClassFact(node.name, bases, tuple(members))


def entries_of(node: ast.Dict) -> tuple[Entry, ...]:
    entries = []
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            entries.append(Entry(key.value, ast.unparse(value), bool(_env_reads(value))))
    return tuple(entries)


def reads_of(
    nodes: list[ast.stmt] | list[ast.expr], lines: list[int] | None = None
) -> tuple[Read, ...]:
    """Every environment read and flag inside `nodes`, in source order. `lines`: the
    sorted line numbers holding READ_WORDS; a node whose lines hold none is not entered
    (every read names one of those words on a line it spans)."""
    found: list[tuple[int, int, Read]] = []
    todo: list[ast.AST] = list(nodes)
    while todo:
        node = todo.pop()
        if lines is not None and (first := getattr(node, "lineno", None)) is not None:
            decorators = getattr(node, "decorator_list", None)
            if decorators:  # a decorated def or class starts at its first decorator
                first = min(first, *(d.lineno for d in decorators))
            at = bisect_left(lines, first)
            if at == len(lines) or lines[at] > (node.end_lineno or first):  # type: ignore[attr-defined]
                continue
        if isinstance(node, ast.Call | ast.Subscript):
            read = _env_read(node) or (_flag(node) if isinstance(node, ast.Call) else None)
            if read is not None:
                found.append((node.lineno, node.col_offset, read))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.extend((node.lineno, node.col_offset, f) for f in _typer_flags(node))
        todo.extend(ast.iter_child_nodes(node))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(read for _, _, read in found)


def read_lines(text: bytes, offset: int = 0) -> list[int]:
    """The line numbers (from 1 + offset) of `text` that hold READ_WORDS."""
    found, line, at = [], 1 + offset, 0
    for match in READ_WORDS.finditer(text):
        line += text.count(b"\n", at, match.start())
        at = match.start()
        if not found or found[-1] != line:
            found.append(line)
    return found


def _env_reads(node: ast.AST) -> list[EnvRead]:
    return [
        r for n in ast.walk(node) if isinstance(n, ast.Call | ast.Subscript) and (r := _env_read(n))
    ]


def _is_environ(node: ast.expr) -> bool:
    """`os.environ` (under any name for `os`) or a bare `environ` imported from os."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name)
    return isinstance(node, ast.Name) and node.id == "environ"


def _env_read(node: ast.Call | ast.Subscript) -> EnvRead | None:
    if isinstance(node, ast.Subscript):
        if isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            return _env_name(node.slice, None)
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value):
        getter = True
    elif isinstance(func, ast.Attribute) and func.attr == "getenv":
        getter = isinstance(func.value, ast.Name)
    else:
        getter = isinstance(func, ast.Name) and func.id == "getenv"
    if not getter or not node.args:
        return None
    default = node.args[1] if len(node.args) > 1 else _keyword(node, "default")
    return _env_name(node.args[0], None if default is None else ast.unparse(default))


def _env_name(node: ast.expr, default: str | None) -> EnvRead | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return EnvRead(node.value, default) if UPPER_SNAKE.fullmatch(node.value) else None
    return None


def _flag(node: ast.Call) -> Flag | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        name, owner = func.attr, func.value
    elif isinstance(func, ast.Name):
        name, owner = func.id, None
    else:
        return None
    owner_name = None if owner is None else _last_name(owner)
    parser = name == "add_argument" and owner is not None
    if not parser and not (name == "option" and owner_name in {None, "click", "cloup"}):
        return None
    names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not names or len(names) != len(node.args):
        return None
    if name == "option" and not names[0].startswith("-"):
        return None
    return _make_flag(names, node, _keyword(node, "default"))


def _make_flag(names: list[str], node: ast.Call, default: ast.expr | None) -> Flag:
    long = [n for n in names if n.startswith("--")]
    short = [n for n in names if n.startswith("-")]
    flag = (long or short or names)[0]
    dest_node = _keyword(node, "dest")
    if isinstance(dest_node, ast.Constant) and isinstance(dest_node.value, str):
        dest = dest_node.value
    else:
        dest = flag.lstrip("-").replace("-", "_")
    aliases = tuple(n.lstrip("-").replace("-", "_") for n in long if n != flag)
    return Flag(flag, dest, None if default is None else ast.unparse(default), aliases)


def _typer_flags(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Flag]:
    """Parameters declared with `typer.Option(...)` as their default or in `Annotated`."""
    args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    defaults: list[ast.expr | None] = [None] * (
        len(node.args.posonlyargs) + len(node.args.args) - len(node.args.defaults)
    )
    defaults += [*node.args.defaults, *node.args.kw_defaults]
    flags = []
    for arg, default in zip(args, defaults, strict=True):
        call = _typer_option(default)
        value = None if call is None else (call.args[0] if call.args else None)
        annotation = arg.annotation
        if call is None and isinstance(annotation, ast.Subscript):
            annotated = _last_name(annotation.value) == "Annotated"
            extras = annotation.slice
            items = extras.elts[1:] if annotated and isinstance(extras, ast.Tuple) else []
            call = next((c for c in map(_typer_option, items) if c is not None), None)
            value = default
        if call is None:
            continue
        strings = [a.value for a in call.args if _is_flag_string(a)]
        if value is not None and _is_flag_string(value):
            value = None  # Annotated style: the first argument is a flag, not the default
        names = strings or ["--" + arg.arg.replace("_", "-")]
        value = _keyword(call, "default") or value
        flag = _make_flag(names, call, value)
        flags.append(flag._replace(dest=arg.arg))
    return flags


def _is_flag_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value[:1] == "-"


def _typer_option(node: ast.expr | None) -> ast.Call | None:
    if isinstance(node, ast.Call) and _last_name(node.func) == "Option":
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if owner is None or _last_name(owner) == "typer":
            return node
    return None


def _dict_fact(target: str, value: ast.expr | None) -> list[DictFact]:
    if isinstance(value, ast.Dict):
        return [DictFact(target, entries_of(value))]
    return []


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _last_name(node: ast.expr) -> str:
    """`a.b.C` → `C`, `C[...]` → `C`, anything else → ``."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_classvar(annotation: ast.expr) -> bool:
    return _last_name(annotation) == "ClassVar"


def _is_attrs_field(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return False
    owner = _last_name(value.func.value)
    return (owner, value.func.attr) in {
        ("attr", "ib"),
        ("attr", "attrib"),
        ("attr", "field"),
        ("attrs", "field"),
    }
