"""Python declarations from the whole file's syntax tree: the reference the cheaper
piecewise reading (chunks.py) must agree with, and its fallback."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from generator.interfaces.facts import Facts, facts_of
from generator.interfaces.resolve import Declarations, Rule, resolve


class ParseFailed(Exception):
    """A file that is not valid Python (or not text); the message says where."""


def python_facts(text: bytes) -> Facts:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise ParseFailed(f"{where}{exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ParseFailed(str(exc) or type(exc).__name__) from None
    return facts_of(tree.body)


def python_declarations(text: bytes, rules: Sequence[Rule] = ()) -> Declarations:
    """Raises ParseFailed."""
    return resolve(python_facts(text), rules)
