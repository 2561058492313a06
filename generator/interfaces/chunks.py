"""Python declarations without parsing whole files: statements parsed one by one, cached.

A file is cut into its top-level statements at lines that start at column 0; a long
class, function or dict display is cut again into its members at its body's
indentation. A cut is only a guess (a line of a multi-line string or bracket can start
at that column), so a piece is merged with the next while its triple quotes are odd, it
is only decorators, or (when it is parsed) it does not parse. A piece is parsed only
when it can declare something: it mentions the environment, a flag or a relevant class
(`trigger_pattern`), or it is a member of a class that may be a configuration class.
Its facts are cached by its text.

`update` derives a revision's pieces from another revision's: only the lines between
the first and the last changed byte are cut again, and there a piece whose text is
unchanged is taken as it was, and a long function or class that changed is updated the
same way inside. So a commit to a 10,000-line file costs the parse of the statements it
changed and a cut of the lines it spans.

The facts are those `ast.parse` of the whole file gives (facts.py); a piece that never
parses, even merged up to the end of its block, raises `Unparsed`, and the caller parses
the whole file to tell a syntax error from a guess gone wrong. A statement that cannot
declare anything is not parsed, so a syntax error there goes unnoticed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice

from generator.interfaces.facts import NO_FACTS, ClassFact, DictFact, Facts
from generator.interfaces.inert import Spans, carried, quiet
from generator.interfaces.pieces import (
    DICT_HEAD,
    DICT_TAIL,
    MODULE,
    SPLIT,
    TRIPLE_QUOTES,
    Body,
    Node,
    Triggers,
    combine,
    entry_pattern,
    header_end,
    keyword,
    mode_of,
    next_indent,
    parse_piece,
    start_pattern,
    triggers_for,
)
from generator.interfaces.regions import changed_lines, hunks
from generator.interfaces.resolve import Rule, relevant_class

FILLER = 2048
"""Bytes: consecutive pieces without facts are joined up to about this size (fewer nodes
to walk; small enough that an edit among them re-cuts little)."""
MAX_HUNKS = 4
"""More changed stretches than this are re-cut in one pass rather than one by one (each
one copies the file)."""
CACHE_ENTRIES = 100_000
"""Parsed pieces whose facts are kept, by text."""


class Unparsed(Exception):
    """A piece that must be parsed does not parse, even merged up to its block's end."""


class _Extend(Exception):
    """The re-cut lines end inside a statement: take in the next old piece too."""


class _Rebuild(Exception):
    """The change reaches beyond a node's members: cut the node again with its neighbours."""


class Engine:
    """Builds and updates the pieces of Python files; one per run, shared by all files
    (the parse cache is what makes revisions of a file cheap)."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, bytes], Facts | None] = {}

    def build(self, data: bytes, rules: Sequence[Rule] = ()) -> Node:
        """The pieces of a whole file. Raises Unparsed."""
        cut = _Cut(self, data, rules)
        if not cut.triggers.search(data):
            return Node(len(data), NO_FACTS)
        return combine(MODULE, cut.body(0, len(data), MODULE, final=True), len(data))

    def update(self, root: Node, old: bytes, new: bytes, rules: Sequence[Rule] = ()) -> Node:
        """The pieces of `new`, given `root`, the pieces of `old`. Raises Unparsed."""
        changes = hunks(old, new)
        triggers = _triggers(rules)
        if root.body is None:  # no trigger in old: new has one only if a change brings it
            if not any(triggers.search(new, c, d) for _, _, c, d in changes):
                return Node(len(new), NO_FACTS)
            return self.build(new, rules)
        if len(changes) > MAX_HUNKS:  # far apart revisions: one pass, kept pieces found by text
            lo, hi_old, hi_new = changes[0][0], changes[-1][1], changes[-1][3]
            return _Cut(self, new, rules).rebuild(root, old, 0, lo, hi_old, hi_new)
        text, shift = old, 0
        for a, b, c, d in changes:  # one change at a time: each re-cuts only its lines
            lo, hi = a + shift, b + shift
            after = text[:lo] + new[c:d] + text[hi:] if len(changes) > 1 else new
            root = _Cut(self, after, rules).rebuild(root, text, 0, lo, hi, lo + d - c)
            text, shift = after, shift + (d - c) - (b - a)
        return root

    def carried(
        self, root: Node, where: Spans, old: bytes, new: bytes, rules: Sequence[Rule] = ()
    ) -> Spans | None:
        """The spans of `new` when it surely declares what `old` (whose pieces are `root`
        and spans `where`) declares, found without cutting it (inert.py); else None."""
        triggers = _triggers(rules)
        if root.body is None:
            return (
                where
                if not any(triggers.search(new, c, d) for _, _, c, d in hunks(old, new))
                else None
            )
        return carried(where, old, new, hunks(old, new), triggers)

    def parse(self, mode: str, text: bytes) -> Facts | None:
        """The facts of a piece (None: it does not parse), cached by its text."""
        key = (mode, text)
        found = self._parsed.get(key, False)
        if found is not False:
            return found  # type: ignore[return-value]
        facts = parse_piece(mode, text)
        if len(self._parsed) >= CACHE_ENTRIES:
            for stale in list(islice(self._parsed, CACHE_ENTRIES // 2)):
                del self._parsed[stale]
        self._parsed[key] = facts
        return facts


@dataclass(frozen=True, slots=True)
class _Old:
    """The old pieces of the lines being cut again, to take back those that did not change."""

    text: bytes
    """The old text of the node being rebuilt."""
    same: dict[bytes, Node]
    """Old piece text → its node."""
    heads: dict[bytes, tuple[Node, int]]
    """A long class's, function's or dict's first lines → its node and offset in `text`."""


class _Cut:
    """Cutting one revision of a file (`data`) into pieces."""

    def __init__(self, engine: Engine, data: bytes, rules: Sequence[Rule]) -> None:
        self.engine, self.data, self.rules = engine, data, rules
        self.triggers = _triggers(rules)

    def body(
        self, start: int, end: int, block: Body, final: bool, old: _Old | None = None
    ) -> list[Node]:
        """The pieces of data[start:end], a run of members of `block`. `final`: `end` is
        the end of the block (else a piece still open there raises _Extend). Consecutive
        pieces without facts are joined into one."""
        if start >= end:
            return []
        data = self.data
        pattern = (entry_pattern if block.kind == "dict" else start_pattern)(block.indent)
        found = (m.start() + 1 for m in pattern.finditer(data, start, end))
        cuts = [start, *(cut for cut in found if cut < end), end]
        marks = _Marks(data, start, end, self.triggers)
        nodes: list[Node] = []
        i = 0
        while i < len(cuts) - 1:
            j = i + 1
            while True:
                last = j == len(cuts) - 1
                node = self.piece(cuts[i], cuts[j], block, final and last, old, marks)
                if node is not None:
                    break
                if last:
                    raise _Extend
                j += 1
            if nodes and _empty(node) and _empty(nodes[-1]) and nodes[-1].size < FILLER:
                nodes[-1] = Node(nodes[-1].size + node.size, NO_FACTS)
            else:
                nodes.append(node)
            i = j
        return nodes

    def piece(
        self, s: int, e: int, block: Body, final: bool, old: _Old | None, marks: _Marks
    ) -> Node | None:
        """The node for data[s:e], or None when it must take in the next piece."""
        data, indent = self.data, block.indent
        if not final and marks.odd_quotes(s, e):
            return None
        if old is not None and (same := old.same.get(data[s:e])) is not None:
            return same
        if block.kind == "dict":
            return self._parsed("entry", s, e, final)
        needs = marks.trigger(s, e)
        decorated = data.startswith(b"@", s + len(indent))
        if not needs and not decorated and not block.relevant:
            return Node(e - s, NO_FACTS)
        word = keyword(data, s, e, indent)
        if word is None and decorated:
            return self._parsed(mode_of(indent), s, e, final) if final else None
        if not needs and block.relevant:
            needs = word is None  # a method or nested class declares no member itself
        if not needs:
            return Node(e - s, NO_FACTS)
        if e - s > SPLIT:
            node = self._updated(s, e, old, word) or self.split(s, e, indent, word)
            if node is not None:
                return node
        return self._parsed(mode_of(indent), s, e, final)

    def _parsed(self, mode: str, s: int, e: int, final: bool) -> Node | None:
        facts = self.engine.parse(mode, self.data[s:e])
        if facts is None:
            if final:
                raise Unparsed
            return None
        return Node(e - s, facts)

    def _updated(
        self, s: int, e: int, old: _Old | None, word: re.Match[bytes] | None
    ) -> Node | None:
        """A long piece updated from the old one with the same first lines, if any."""
        if old is None or not old.heads:
            return None
        found = old.heads.get(_head_key(self.data, s, e, word))
        if found is None:
            return None
        node, at = found
        text = old.text[at : at + node.size]
        lo, hi_old, hi_new = changed_lines(text, self.data[s:e])
        try:
            return self.rebuild(node, text, s, lo, hi_old, hi_new)
        except (_Rebuild, _Extend, Unparsed):
            return None

    def split(self, s: int, e: int, indent: bytes, word: re.Match[bytes] | None) -> Node | None:
        """A long class, function or dict cut into its members; None when it is none of
        them or its members do not parse (the caller parses it whole)."""
        try:
            if word is not None:
                return self._split_def(s, e, indent, word)
            if not indent and (head := DICT_HEAD.match(self.data, s, e)):
                return self._split_dict(s, e, head.end())
        except (Unparsed, _Extend):
            return None
        return None

    def _split_def(self, s: int, e: int, indent: bytes, word: re.Match[bytes]) -> Node | None:
        found = header_end(self.data, word.end(), e, indent)
        if found is None:
            return None
        head, body_indent = found
        header = self.engine.parse(mode_of(indent), self.data[s:head] + body_indent + b"pass\n")
        if header is None:
            return None
        if word.group(0).endswith(b"class"):
            shell = header.structural[0] if header.structural else None
            if not isinstance(shell, ClassFact):
                return None
            relevant = relevant_class(shell.name, self.rules)
            block = Body("class", head - s, 0, body_indent, relevant, header)
        else:
            block = Body("def", head - s, 0, body_indent, False, header)
        return combine(block, self.body(head, e, block, final=True), e - s)

    def _split_dict(self, s: int, e: int, head: int) -> Node | None:
        data = self.data
        tail = data.rfind(b"\n}", s, e) + 1
        if tail <= head or not DICT_TAIL.fullmatch(data, tail, e):
            return None
        header = self.engine.parse("stmt", data[s:head] + b"}\n")
        shell = next((f for f in (header or NO_FACTS).structural if isinstance(f, DictFact)), None)
        entry_indent = next_indent(data, head, tail)
        if header is None or shell is None or not entry_indent:
            return None
        block = Body("dict", head - s, e - tail, entry_indent, True, Facts((shell,), header.reads))
        return combine(block, self.body(head, tail, block, final=True), e - s)

    def rebuild(
        self, node: Node, old_text: bytes, base: int, lo: int, hi_old: int, hi_new: int
    ) -> Node:
        """The node for data[base:...], the new text of `node`, whose old text is
        `old_text`, given that old_text[lo:hi_old] became data[base+lo:base+hi_new]."""
        delta = hi_new - hi_old
        block = node.body
        if block is None or lo < block.head or hi_old > node.size - block.tail:
            raise _Rebuild
        children = list(block.children)
        starts, pos = [], block.head
        for child in children:
            starts.append(pos)
            pos += child.size
        touching = [
            k for k, at in enumerate(starts) if at <= hi_old and at + children[k].size >= lo
        ]
        if len(touching) == 1:
            k = touching[0]
            child, at = children[k], starts[k]
            if child.body is not None and at < lo and hi_old < at + child.size:
                text = old_text[at : at + child.size]
                try:
                    children[k] = self.rebuild(
                        child, text, base + at, lo - at, hi_old - at, hi_new - at
                    )
                except (_Rebuild, _Extend, Unparsed):
                    pass
                else:
                    if children[k].facts is child.facts:  # nothing it declares changed
                        body = replace(block, children=tuple(children))
                        return Node(node.size + delta, node.facts, body)
                    return combine(block, children, node.size + delta)
        i = max(touching[0] - 1, 0) if touching else 0
        j = min(touching[-1] + 1, len(children) - 1) if touching else len(children) - 1
        while True:
            try:
                pieces = self._recut(block, old_text, base, starts, children, i, j, delta)
                break
            except _Extend:
                j += 1
        replaced = [c for c in children[i : j + 1] if not _empty(c)]
        kept = [c for c in pieces if not _empty(c)]
        children[i : j + 1] = pieces
        if len(replaced) == len(kept) and all(a is b for a, b in zip(replaced, kept, strict=True)):
            return Node(node.size + delta, node.facts, replace(block, children=tuple(children)))
        return combine(block, children, node.size + delta)

    def _recut(
        self,
        block: Body,
        old_text: bytes,
        base: int,
        starts: list[int],
        children: list[Node],
        i: int,
        j: int,
        delta: int,
    ) -> list[Node]:
        """The new pieces in place of old children i..j: an old piece found whole at a cut
        of the new text is kept, the lines between those are cut again."""
        data = self.data
        pattern = (entry_pattern if block.kind == "dict" else start_pattern)(block.indent)
        texts = [old_text[starts[k] : starts[k] + children[k].size] for k in range(i, j + 1)]
        final = j == len(children) - 1
        end = base + starts[j] + children[j].size + delta
        pos, k, out = base + starts[i], i, []

        def cut_at(at: int) -> bool:
            return at == end or pattern.match(data, at - 1) is not None

        while k <= j:
            text = texts[k - i]
            if data.startswith(text, pos) and pos + len(text) <= end and cut_at(pos + len(text)):
                out.append(children[k])
                pos, k = pos + len(text), k + 1
                continue
            for m in range(k + 1, j + 1):
                at = data.find(texts[m - i], pos, end)
                while at >= 0 and not pattern.match(data, at - 1):
                    at = data.find(texts[m - i], at + 1, end)
                if at < 0:
                    continue
                old = _old_pieces(old_text, starts, children, k, m - 1, block.indent)
                try:
                    out += self._gap(pos, at, block, False, old)
                except _Extend:
                    continue
                pos, k = at, m
                break
            else:
                old = _old_pieces(old_text, starts, children, k, j, block.indent)
                out += self._gap(pos, end, block, final, old)
                pos, k = end, j + 1
        if pos < end:
            old = _old_pieces(old_text, starts, children, i, j, block.indent)
            out += self._gap(pos, end, block, final, old)
        return out

    def _gap(self, s: int, e: int, block: Body, final: bool, old: _Old) -> list[Node]:
        """The pieces of changed lines between kept ones: one piece without facts when
        the lines cannot declare anything (inert.py), else cut."""
        if s >= e:
            return []
        data, triggers = self.data, self.triggers
        if block.kind != "dict" and quiet(data, s, e, block.indent, block.relevant, triggers):
            return [Node(e - s, NO_FACTS)]
        return self.body(s, e, block, final, old)


def _triggers(rules: Sequence[Rule]) -> Triggers:
    classes = tuple(sorted({r.class_ for r in rules if r.class_}))
    return triggers_for(classes, tuple(sorted({r.dict_ for r in rules if r.dict_})))


class _Marks:
    """Where triggers and triple quotes are in a run of pieces, found in one pass each."""

    __slots__ = ("double", "single", "triggers")

    def __init__(self, data: bytes, start: int, end: int, triggers: Triggers) -> None:
        self.triggers = triggers.positions(data, start, end)
        self.double, self.single = (
            [m.start() for m in quotes.finditer(data, start, end)] for quotes in TRIPLE_QUOTES
        )

    def trigger(self, s: int, e: int) -> bool:
        i = bisect_left(self.triggers, s)
        return i < len(self.triggers) and self.triggers[i] < e

    def odd_quotes(self, s: int, e: int) -> bool:
        """An odd number of `\"\"\"` or `'''`: the piece ends inside a string."""
        return any(
            (bisect_left(found, e) - bisect_left(found, s)) % 2
            for found in (self.double, self.single)
        )


def _empty(node: Node) -> bool:
    """A piece left unparsed: it cannot declare anything (a parsed piece without facts
    may, once edited)."""
    return node.body is None and node.facts is NO_FACTS


def _old_pieces(
    text: bytes, starts: list[int], children: list[Node], i: int, j: int, indent: bytes
) -> _Old:
    same: dict[bytes, Node] = {}
    heads: dict[bytes, tuple[Node, int]] = {}
    for k in range(i, j + 1):
        node, at = children[k], starts[k]
        same.setdefault(text[at : at + node.size], node)
        if node.body is not None and node.body.kind != "module":
            word = keyword(text, at, at + node.size, indent)
            heads.setdefault(_head_key(text, at, at + node.size, word), (node, at))
    return _Old(text, same, heads)


def _head_key(data: bytes, s: int, e: int, word: re.Match[bytes] | None) -> bytes:
    """A long piece's decorators and first line: how its old self is recognised."""
    eol = data.find(b"\n", word.end() if word is not None else s, e)
    return data[s : e if eol < 0 else eol]
