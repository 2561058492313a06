"""The pieces a Python file is cut into (chunks.py), and how one piece is parsed."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from generator.interfaces.facts import (
    NO_FACTS,
    ClassFact,
    DictFact,
    Facts,
    entries_of,
    facts_of,
    read_lines,
    reads_of,
)
from generator.interfaces.resolve import CONFIG_SUFFIXES

SPLIT = 800
"""Bytes: a class, function or dict display longer than this is cut into its members."""


@dataclass(frozen=True, slots=True)
class Node:
    """A piece of a file: its length, its facts and, when it was cut, its members."""

    size: int
    facts: Facts
    body: Body | None = None


@dataclass(frozen=True, slots=True)
class Body:
    kind: str
    """`module`, `class`, `def` or `dict`."""
    head: int
    """Bytes of the header (decorators and `class ...:` lines, a dict's `name = {` line)."""
    tail: int
    """Bytes after the members (a dict's closing line)."""
    indent: bytes
    """The members' indentation."""
    relevant: bool
    """Whether every member is parsed (a class that may be a configuration class, an
    environment dict), or only those that mention a trigger."""
    header: Facts
    children: tuple[Node, ...] = ()


MODULE = Body("module", 0, 0, b"", False, NO_FACTS)


def combine(block: Body, children: tuple[Node, ...] | list[Node], size: int) -> Node:
    """A cut node: its facts are what its whole statement would give, from its members'."""
    structural = [f for child in children for f in child.facts.structural]
    reads = [*block.header.reads, *(r for child in children for r in child.facts.reads)]
    if block.kind == "class":
        shell = block.header.structural[0]
        assert isinstance(shell, ClassFact)
        facts = Facts((shell._replace(members=tuple(structural)),), tuple(reads))
    elif block.kind == "def":
        facts = Facts((), tuple(reads))
    elif block.kind == "dict":
        shell = block.header.structural[0]
        assert isinstance(shell, DictFact)
        entries = tuple(e for f in structural if isinstance(f, DictFact) for e in f.entries)
        facts = Facts((shell._replace(entries=entries),), tuple(reads))
    else:
        facts = Facts(tuple(structural), tuple(reads))
    return Node(size, facts, replace(block, children=tuple(children)))


def parse_piece(mode: str, text: bytes) -> Facts | None:
    """The facts of one piece, None when it does not parse. `stmt`: statements at
    column 0; `nested`: indented statements (parsed inside `if 1:`); `entry`: entries of
    a dict display (parsed inside braces)."""
    try:
        if mode == "entry":
            tree = ast.parse(b"{\n" + text + b"}", mode="eval").body
            if not isinstance(tree, ast.Dict):
                return None
            values: list[ast.expr] = [v for v in (*tree.keys, *tree.values) if v is not None]
            return Facts((DictFact("", entries_of(tree)),), reads_of(values, read_lines(text, 1)))
        if mode == "nested":
            block = ast.parse(b"if 1:\n" + text).body
            if len(block) != 1 or not isinstance(block[0], ast.If):
                return None  # a line dedented below the block's indentation
            return facts_of(block[0].body, read_lines(text, 1))
        return facts_of(ast.parse(text).body, read_lines(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def mode_of(indent: bytes) -> str:
    return "nested" if indent else "stmt"


@lru_cache(maxsize=256)
def compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


def start_pattern(indent: bytes) -> re.Pattern[bytes]:
    """Where a statement at `indent` may begin: a line at exactly that indentation whose
    first character can start a statement (not a closing bracket, comment or clause)."""
    return compiled(
        rb"\n" + re.escape(indent) + rb"(?![ \t\r\n#)\]}]|(?:else|elif|except|finally)\b)"
    )


def entry_pattern(indent: bytes) -> re.Pattern[bytes]:
    """Where an entry of a dict display may begin: a string key or `**` at `indent`.
    (A line that starts otherwise continues a value: black writes `or "12.9",` so.)"""
    return compiled(rb"\n" + re.escape(indent) + rb"(?=[\"'*]|[rbfuRBFU]{1,2}[\"'])")


def keyword(data: bytes, s: int, e: int, indent: bytes) -> re.Match[bytes] | None:
    """The `def`/`class` keyword of a piece that starts with it or with decorators."""
    if data.startswith(indent + b"@", s):
        return _keyword_line(indent).search(data, s, e)
    return _keyword_start(indent).match(data, s, e)


@lru_cache(maxsize=64)
def _keyword_line(indent: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\n" + re.escape(indent) + rb"(?:async[ \t]+def|def|class)\b")


@lru_cache(maxsize=64)
def _keyword_start(indent: bytes) -> re.Pattern[bytes]:
    return re.compile(re.escape(indent) + rb"(?:async[ \t]+def|def|class)\b")


DICT_HEAD = re.compile(rb"[A-Za-z_]\w*[ \t]*(?::[^\n=]*)?=[ \t]*\{[ \t]*(?:#[^\n]*)?\n")
DICT_TAIL = re.compile(rb"\}[ \t]*(?:#[^\n]*)?(?:\s*#[^\n]*)*\s*")
TRIPLE_QUOTES = (re.compile(b'"""'), re.compile(b"'''"))


class Triggers:
    """Text that makes a piece worth parsing: an environment read, a flag, a class that
    may declare (`relevant_class`), a repository's own class and dict names. Several
    patterns, each starting with a literal: Python's `re` scans those several times
    faster than one alternation."""

    def __init__(self, classes: tuple[str, ...] = (), dicts: tuple[str, ...] = ()) -> None:
        suffixes = b"|".join(s.encode() for s in CONFIG_SUFFIXES)
        names = b"".join(b"|" + re.escape(c.encode()) for c in classes)
        patterns = [
            rb"environ",
            rb"getenv",
            rb"add_argument",
            rb"option\s*\(",
            rb"Option\s*\(",
            rb"class\s+(?:\w*(?:" + suffixes + rb")|\w*Env\w*" + names + rb")\b",
            *(re.escape(d.encode()) + rb"\s*[:=]" for d in dicts),
        ]
        self.patterns = tuple(re.compile(p) for p in patterns)

    def search(self, data: bytes, start: int = 0, end: int | None = None) -> bool:
        end = len(data) if end is None else end
        return any(p.search(data, start, end) for p in self.patterns)

    def positions(self, data: bytes, start: int, end: int) -> list[int]:
        """Where matches start in data[start:end], in order."""
        found = [m.start() for p in self.patterns for m in p.finditer(data, start, end)]
        found.sort()
        return found


@lru_cache(maxsize=64)
def triggers_for(classes: tuple[str, ...] = (), dicts: tuple[str, ...] = ()) -> Triggers:
    return Triggers(classes, dicts)


def header_end(data: bytes, pos: int, end: int, indent: bytes) -> tuple[int, bytes] | None:
    """Where a `class`/`def` header whose keyword ends at `pos` ends (after its line that
    ends in `:`) and its body's indentation; None when not found within a few lines."""
    for _ in range(40):
        eol = data.find(b"\n", pos, end)
        if eol < 0:
            return None
        line = data[pos:eol].split(b"#", 1)[0].rstrip()
        pos = eol + 1
        if line.endswith(b":"):
            body_indent = next_indent(data, pos, end)
            if body_indent is not None and len(body_indent) > len(indent):
                return (pos, body_indent) if body_indent.startswith(indent) else None
    return None


def next_indent(data: bytes, pos: int, end: int) -> bytes | None:
    """The indentation of the first line from `pos` that is neither blank nor a comment."""
    while pos < end:
        eol = data.find(b"\n", pos, end)
        eol = end if eol < 0 else eol
        line = data[pos:eol]
        stripped = line.lstrip(b" \t")
        if stripped.strip() and not stripped.startswith(b"#"):
            return line[: len(line) - len(stripped)]
        pos = eol + 1
    return None
