"""Interface changes as readers see them (README: Interface changes): the table on a commit
page, and the day's compact block that a day page and the GitHub issue report both show.

One builder makes the rows of each; the templates only lay them out. Names, defaults and
versions come from the repository's files, so they are untrusted text: a name is code, a
value is code cut to a readable length, and either is plain escaped text when it holds a
`|` (a table cell would end there).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.models import InterfaceChange
from generator.render.i18n import Labels
from generator.render.mdtext import Md, code, inline
from generator.text import cut

TABLE_ROWS = 40
"""Rows of a commit page's table; the rest is counted (a dependency sync can list 200)."""
DAY_ITEMS = 30
"""Items of a repository's block on a day page or in an issue."""
VALUE_CHARS = 60
"""A default's or version's text is cut here: a whole lambda says less than its start."""


@dataclass(frozen=True)
class InterfaceRow:
    kind: str
    name: Md
    change: str
    values: Md
    """`old → new`, or the one that exists; empty when neither does."""
    breaking: str | None
    """The mark a removal or a default change carries: users of it must act."""
    commit: Md | None = None
    """In a day's block: the link to the commit that made it."""


@dataclass(frozen=True)
class InterfaceBlock:
    rows: tuple[InterfaceRow, ...]
    more: str | None
    """`12 more interface changes not listed.` when the rows were cut."""
    title: str


def breaking(change: InterfaceChange) -> bool:
    """A removal or a default change may break a deployment that relies on it."""
    return change.change in ("removed", "default")


def interface_row(
    change: InterfaceChange, labels: Labels, commit: Md | None = None
) -> InterfaceRow:
    values = [_value(v) for v in (change.old, change.new) if v is not None]
    return InterfaceRow(
        kind=labels(f"interface.{change.kind}"),
        name=_code(change.name),
        change=labels(f"interface.{change.change}"),
        values=Md(" → ".join(values)),
        breaking=labels("interface.breaking") if breaking(change) else None,
        commit=commit,
    )


def interface_table(
    changes: Sequence[InterfaceChange] | None, labels: Labels
) -> InterfaceBlock | None:
    """A commit page's section; None when the commit changes no interface (or it is not
    known: a record made before interface changes were)."""
    if not changes:
        return None
    rows = tuple(interface_row(c, labels) for c in changes[:TABLE_ROWS])
    return InterfaceBlock(
        rows, _more(len(changes) - len(rows), labels), labels("interface_changes")
    )


Linked = tuple[Sequence[InterfaceChange] | None, Md]
"""A commit's changes and the link to it from the page being built."""


def interface_day(commits: Sequence[Linked], labels: Labels) -> InterfaceBlock | None:
    """A repository's block of the day: every change, newest commit first as the day lists
    them, the breaking ones before the others of each commit."""
    found = [
        (change, link)
        for changes, link in commits
        for change in sorted(changes or (), key=lambda c: not breaking(c))
    ]
    if not found:
        return None
    rows = tuple(interface_row(c, labels, link) for c, link in found[:DAY_ITEMS])
    title = labels("interface.day", count=len(found))
    return InterfaceBlock(rows, _more(len(found) - len(rows), labels), title)


def _more(count: int, labels: Labels) -> str | None:
    return labels("interface.more", total=count) if count > 0 else None


def _code(text: str, shown: Callable[[str], str] = lambda t: t) -> Md:
    text = shown(text)
    return inline(text) if "|" in text else code(text)


def _value(text: str) -> Md:
    return _code(text, lambda t: cut(" ".join(t.split()), VALUE_CHARS))


def interface_html(changes: Sequence[InterfaceChange] | None, labels: Labels) -> str | None:
    """A feed item's list of the changes, as escaped HTML; None when there are none."""
    if not changes:
        return None
    items = []
    for change in changes[:TABLE_ROWS]:
        values = [cut(" ".join(v.split()), VALUE_CHARS) for v in (change.old, change.new) if v]
        parts = [
            html.escape(labels(f"interface.{change.kind}")),
            f"<code>{html.escape(change.name)}</code>",
            html.escape(labels(f"interface.{change.change}")),
        ]
        if values:
            parts.append(" → ".join(f"<code>{html.escape(v)}</code>" for v in values))
        if breaking(change):
            parts.append(f"<strong>{html.escape(labels('interface.breaking'))}</strong>")
        items.append("<li>" + " ".join(parts) + "</li>")
    more = len(changes) - len(items)
    tail = f"<p>{html.escape(labels('interface.more', total=more))}</p>" if more > 0 else ""
    title = html.escape(labels("interface_changes"))
    return f"<p><strong>{title}</strong></p><ul>{''.join(items)}</ul>{tail}"
