"""Untrusted text → Markdown that renders as exactly that text.

Commit messages, author names, file paths and analysis text come from
strangers. Pages are Jinja templates whose every `{{ }}` output passes through
`finalize`: a plain `str` is escaped, only an `Md` (built here) passes as is.
So forgetting to escape is impossible; marking something safe is explicit.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from generator.text import clean, one_line


class Md(str):
    """A string that is already safe Markdown."""

    __slots__ = ()


# Characters Python-Markdown (with the tables extension) honours a backslash
# escape for, and that start inline syntax anywhere on a line.
_INLINE = re.compile(r"([\\`*_\[\]{}()#|!])")
# After the inline escapes, only these can still open a block at a line's
# start: a bullet ("- ", "+ ") or an ordered list item ("1. ").
_LINE_START = re.compile(r"^(?:[-+]|\d+(?=\.))")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "^": "&#94;", "=": "&#61;"}
_ENTITY_CHARS = re.compile("[&<>~^=]")
_PLAIN = re.compile(r"[^\\`*_\[\]{}()#|!&<>~^=]*\Z")
"""A line with nothing to escape (unless it starts with what opens a list)."""


@lru_cache(maxsize=1 << 16)
def inline(text: str) -> Md:
    """Text as a single line of Markdown: for table cells, headings, list items, link text.

    Cached: a page set prints the same labels, names and subjects many times over."""
    line = one_line(text)
    if _PLAIN.match(line) and not _LINE_START.match(line):
        return Md(line)
    line = _INLINE.sub(r"\\\1", line)
    line = _ENTITY_CHARS.sub(lambda m: _ENTITIES[m.group()], line)
    return Md(_LINE_START.sub(_escape_start, line))


def _escape_start(match: re.Match[str]) -> str:
    token = match.group()
    return token + "\\" if token.isdigit() else "\\" + token


def paragraph(text: str) -> Md:
    """Multi-line text as one Markdown paragraph whose line breaks are kept."""
    lines = [inline(line) for line in clean(text).split("\n") if line.strip()]
    return Md("  \n".join(lines))


def code(text: str) -> Md:
    """Inline code with a fence longer than any backtick run inside."""
    line = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line.startswith("`") or line.endswith("`") or not line else ""
    return Md(f"{fence}{pad}{line}{pad}{fence}")


def block(text: str) -> Md:
    """A literal, indented code block; needs a blank line before and after it."""
    lines = clean(text).expandtabs(4).split("\n")
    return Md("\n".join(("    " + line).rstrip() for line in lines).strip("\n"))


def link(text: str | Md, url: str) -> Md:
    label = text if isinstance(text, Md) else inline(text)
    return Md(f"[{label}]({quote(url, safe=':/#?&=%@+~.,-_')})")


def attr(text: str) -> str:
    """Text for a front-matter value that the theme places raw into `<head>`."""
    return json.dumps(html.escape(one_line(text), quote=True), ensure_ascii=False)


def finalize(value: Any) -> str:
    """Jinja's finalize hook: what a template may print, and how."""
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, str):
        return inline(value)
    raise TypeError(f"template printed a {type(value).__name__}; build Md for it in the context")
