"""The common edit that cannot change what a file declares, recognised without cutting.

Most commits to a file change lines that declare nothing: the middle of a function that
reads no environment variable. `unchanged` says so from the old revision's pieces with
facts (`spans`) and the changed lines alone, so that the new revision needs no pieces of
its own (extractor.py keeps it as "declares what its anchor declares"); `quiet` says the
same of changed lines between kept pieces, which then need no cut (chunks.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from generator.interfaces.facts import NO_FACTS
from generator.interfaces.pieces import TRIPLE_QUOTES, Node, Triggers
from generator.interfaces.regions import Hunk

DECORATOR = re.compile(rb"(?m)^[ \t]*@")
LINE_INDENT = re.compile(rb"(?m)^([ \t]*)([^ \t\r\n#])")
KEYWORD = re.compile(rb"(?:async[ \t]+def|def|class)\b")


Spans = tuple[list[int], list[int]]
"""Starts and ends of the pieces of a revision that declare something (`spans`)."""


def spans(root: Node) -> Spans:
    """Where the pieces that may declare are: parsed leaves (with facts or not: an edit
    to them may add some), headers with facts, and whole classes or dicts whose every
    member is read (a member added there is a change)."""
    starts: list[int] = []
    ends: list[int] = []
    todo = [(root, 0)]
    while todo:
        node, pos = todo.pop()
        body = node.body
        if body is None:
            if node.facts is not NO_FACTS:  # parsed: what it declares depends on its text
                starts.append(pos)
                ends.append(pos + node.size)
            continue
        if body.relevant or body.kind == "dict":
            starts.append(pos)
            ends.append(pos + node.size)
            continue
        if body.header.structural or body.header.reads:
            starts.append(pos)
            ends.append(pos + body.head)
        at = pos + body.head
        for child in body.children:
            todo.append((child, at))
            at += child.size
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return [starts[k] for k in order], [ends[k] for k in order]


def carried(
    where: Spans, old: bytes, new: bytes, changes: list[Hunk], triggers: Triggers
) -> Spans | None:
    """The spans of `new` if it surely declares what `old` declares, given the changed
    stretches between them; else None. Each piece with facts that a change touches must
    be found whole, in order, in the new lines, and the lines between those must hold no
    trigger, an even number of each kind of triple quote, and not start deeper than the
    piece before them (they would extend it)."""
    starts, ends = where
    regions = _regions(changes, starts, ends)
    shifts = [(a, b, (d - c) - (b - a)) for a, b, c, d in changes]
    new_starts: list[int] = []
    new_ends: list[int] = []
    k = 0
    for lo, hi in regions:
        while k < len(starts) and ends[k] < lo:
            moved = _moved(starts[k], shifts)
            new_starts.append(moved)
            new_ends.append(moved + ends[k] - starts[k])
            k += 1
        pos, end, after = _moved(lo, shifts), _moved(hi, shifts, end=True), None
        while k < len(starts) and starts[k] < hi:
            text = old[starts[k] : ends[k]]
            at = new.find(text, pos, end)
            while at > 0 and new[at - 1] != 10:
                at = new.find(text, at + 1, end)
            if at < 0 or not _between(new, pos, at, triggers, after):
                return None
            new_starts.append(at)
            new_ends.append(at + len(text))
            pos, after = at + len(text), _indent_of(text)
            k += 1
        if not _between(new, pos, end, triggers, after):
            return None
    for rest in range(k, len(starts)):
        moved = _moved(starts[rest], shifts)
        new_starts.append(moved)
        new_ends.append(moved + ends[rest] - starts[rest])
    return new_starts, new_ends


def _regions(changes: list[Hunk], starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """The changed stretches (old side) grown over the pieces with facts they touch, and
    joined where they meet."""
    merged: list[tuple[int, int]] = []
    for a, b, _, _ in changes:
        while True:
            while merged and a <= merged[-1][1]:
                first_a, last_b = merged.pop()
                a, b = min(a, first_a), max(b, last_b)
            first, last = bisect_left(ends, a), bisect_right(starts, b)
            grown = (min(a, starts[first]), max(b, ends[last - 1])) if first < last else (a, b)
            if grown == (a, b):
                break
            a, b = grown
        merged.append((a, b))
    return merged


def _moved(pos: int, shifts: list[tuple[int, int, int]], end: bool = False) -> int:
    """Where an old position outside the changes (or at their edges) is in the new text:
    lines inserted right there come after it, or before it when it ends a stretch."""
    return pos + sum(shift for a, b, shift in shifts if b < pos or (b == pos and (end or a < b)))


def _between(data: bytes, s: int, e: int, triggers: Triggers, after: bytes | None) -> bool:
    if s >= e:
        return True
    if triggers.search(data, s, e):
        return False
    if any(len(quotes.findall(data, s, e)) % 2 for quotes in TRIPLE_QUOTES):
        return False
    first = LINE_INDENT.search(data, s, e)
    return after is None or first is None or len(first.group(1)) <= len(after)


def _indent_of(text: bytes) -> bytes:
    return text[: len(text) - len(text.lstrip(b" \t"))]


def quiet(data: bytes, s: int, e: int, indent: bytes, relevant: bool, triggers: Triggers) -> bool:
    """Whether data[s:e], whole lines of a block at `indent`, can only be pieces without
    facts, whatever their cut: no trigger, decorator or triple quote, no line shallower
    than the block, and in a class whose members are all read, no line at its
    indentation but a `def` or `class`."""
    if triggers.search(data, s, e) or DECORATOR.search(data, s, e):
        return False
    if any(quotes.search(data, s, e) for quotes in TRIPLE_QUOTES):
        return False
    for match in LINE_INDENT.finditer(data, s, e):
        depth = match.group(1)
        if not depth.startswith(indent):
            return False
        if relevant and len(depth) == len(indent) and not KEYWORD.match(data, match.end(2) - 1):
            return False
    return True
