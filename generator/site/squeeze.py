"""Built pages without the blank lines, indentation and line breaks between blocks that the
theme's templates and the Markdown leave.

mkdocs-material's templates put a line break and an indentation around every template tag,
so a built commit page was about 8% blank lines and leading spaces: 32 MB of a site of
50,000 commits. They are whitespace between tags, which a browser shows as nothing (or one
space, which a line break still is): removing them changes no page as it is read; so is a
line break between two block tags (`</li>\n<li>`, `</td>\n<td>`), about 2% of a commit
page, while one between inline elements is a space and stays; and so are the end tags of
list items and table rows, which HTML lets a page leave out. Text
whose whitespace is shown as written is kept byte for byte: `pre`, `textarea`, `code`
(printed as written), and `script` and `style`, which are not HTML.

This runs in the generator after MkDocs, not as a MkDocs hook, so that Zensical, which runs
no hooks, would get the same treatment from the same call.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.files import write_atomic
from generator.site.search import INDEX_FOLDER

_KEPT = re.compile(r"(<(pre|textarea|code|script|style)\b.*?</\2\s*>)", re.S | re.I)
_BLANK = re.compile(r"\n[ \t]*(?=\n)|(?<=\n)[ \t]+")
_BLOCK = (
    r"(?:p|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|h[1-6]|div|article|"
    r"section|main|header|footer|nav|aside|blockquote|hr|figure|head|body|html|meta|link|title)"
)
_BETWEEN_BLOCKS = re.compile(rf"(<{_BLOCK}\b[^<>]*>|</{_BLOCK}>)\n+(?=</?{_BLOCK}\b)", re.I)
"""A line break between two tags of elements laid out as blocks (or table parts, or the
head's), which a browser shows as nothing: about 130 of them in a commit page. Not between
inline elements (a link, a label, an icon), where a line break is a space a reader sees."""
_OPTIONAL_END = re.compile(r"</(?:li|tr|tbody)>", re.I)
"""End tags HTML lets a page leave out, the next item, row or the list's or table's end
closing the element just the same (the same document, as a browser or html5lib parses
it): about 500 bytes of a commit page with many files. Not `</td>` nor `</p>`, which
HTML lets go too but Pagefind's parser needs, to tell one cell's words from the next and
to find a paragraph's end."""


def squeeze(html: str) -> str:
    """`html` without blank lines, leading indentation and line breaks between block tags
    outside the kept elements."""
    pieces = _KEPT.split(html)
    # split() with two groups gives: text, element, element name, text, element, ...
    out = []
    for index in range(0, len(pieces), 3):
        text = _BETWEEN_BLOCKS.sub(r"\1", _BLANK.sub("", pieces[index]))
        out.append(_OPTIONAL_END.sub("", text))
        if index + 1 < len(pieces):
            out.append(pieces[index + 1])
    return "".join(out)


def squeeze_site(site_dir: Path, since_ns: int | None = None, atomic: bool = True) -> int:
    """Squeeze the HTML files of `site_dir` written at or after `since_ns` (all of them
    without); returns how many changed. `atomic` replaces each through a temporary file;
    a build from scratch, which is redone whole if it stops halfway, writes in place."""
    changed = 0
    for path in _html_files(site_dir, since_ns):
        text = path.read_text(encoding="utf-8")
        squeezed = squeeze(text)
        if squeezed == text:
            continue
        if atomic:
            write_atomic(path, squeezed, durable=False)
        else:
            path.write_text(squeezed, encoding="utf-8")
        changed += 1
    return changed


def _html_files(folder: Path, since_ns: int | None) -> list[Path]:
    """The HTML files under `folder` (not in the search index, which holds none)."""
    found = []
    index = str(folder / INDEX_FOLDER)
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path != index:
                        stack.append(entry.path)
                elif entry.name.endswith(".html") and (
                    since_ns is None or entry.stat(follow_symlinks=False).st_mtime_ns >= since_ns
                ):
                    found.append(Path(entry.path))
    return found
