"""Built pages lose the theme's blank lines and indentation, and nothing a reader sees."""

from __future__ import annotations

import os
import re

import html5lib

from generator.site.squeeze import squeeze, squeeze_site

PAGE = """<!doctype html>
<html>
  <head>
    <script>
      var s = `line one

          indented`;
    </script>
  </head>
  <body>
    \t
    <p>A commit   message</p>

    <pre><code>def f():

    return 1
</code></pre>
    <textarea>
  kept
</textarea>
    <p>inline <code>a
     b</code> code</p>
    <ul>
    <li><a href="a">one</a>
    <a href="b">two</a></li>
    <li>three</li>
    </ul>
    <table>
    <tr>
    <td>x</td>
    <td>y</td>
    </tr>
    </table>
  </body>
</html>
"""


BLOCKS = {"p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "pre", "textarea"}


def visible(html: str) -> str:
    """The text a browser lays out, whitespace collapsed as in normal flow, and each block
    (a paragraph, a list item, a table cell) apart from the next."""

    def text(element) -> str:
        inner = (element.text or "") + "".join(text(c) + (c.tail or "") for c in element)
        return f" {inner} " if element.tag in BLOCKS else inner

    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join(text(tree.find("body")).split())


def test_blank_lines_and_indentation_go_and_preformatted_text_stays():
    out = squeeze(PAGE)
    kept = (
        "<pre><code>def f():\n\n    return 1\n</code></pre>",
        "<textarea>\n  kept\n</textarea>",
        "<code>a\n     b</code>",
        "<script>\n      var s = `line one\n\n          indented`;\n    </script>",
    )
    rest = out
    for element in kept:
        assert element in out
        rest = rest.replace(element, "KEPT")
    assert "\n\n" not in rest
    assert not re.search(r"\n[ \t]", rest)
    # Between block tags a line break is nothing; between two links it is the space shown.
    assert '<ul><li><a href="a">one</a>\n<a href="b">two</a><li>three</ul>' in out
    assert "<table><tr><td>x</td><td>y</td></table>" in out
    assert visible(out) == visible(PAGE)
    assert squeeze(out) == out
    assert len(out) == len(PAGE) - 109


LISTS_AND_TABLES = """<article>
<ul>
<li>one <a href="x">link</a></li>
<li>two
<ul>
<li>nested</li>
</ul>
</li>
<li>three</li>
</ul>
<table>
<thead>
<tr>
<th>File</th>
<th>+</th>
</tr>
</thead>
<tbody>
<tr>
<td><code>a/b</code></td>
<td></td>
</tr>
<tr>
<td>c.py</td>
<td>3</td>
</tr>
</tbody>
</table>
<p>after</p>
</article>"""


def dom(html: str) -> list:
    """The document a browser builds, as nested lists; whitespace-only text is left out."""

    def node(element) -> list:
        found: list = [element.tag, sorted(element.attrib.items())]
        for child, text in [(None, element.text)] + [(c, c.tail) for c in element]:
            if child is not None:
                found.append(node(child))
            if text and text.strip():
                found.append(" ".join(text.split()))
        return found

    return node(html5lib.parse(html, namespaceHTMLElements=False))


def test_left_out_end_tags_and_line_breaks_leave_the_same_document():
    for html in (PAGE, LISTS_AND_TABLES):
        out = squeeze(html)
        assert dom(out) == dom(html)
        assert visible(out) == visible(html)
    out = squeeze(LISTS_AND_TABLES)
    assert "</li>" not in out and "</tr>" not in out and "</tbody>" not in out
    # Pagefind needs these to tell one cell's or paragraph's words from the next.
    assert out.count("</td>") == 4 and out.count("</p>") == 1


def test_a_dirty_build_squeezes_only_the_pages_it_wrote(tmp_path):
    old, new = tmp_path / "old" / "index.html", tmp_path / "new" / "index.html"
    for path in (old, new):
        path.parent.mkdir()
        path.write_text(PAGE, encoding="utf-8")
    os.utime(old, ns=(10**18, 10**18))
    os.utime(new, ns=(2 * 10**18, 2 * 10**18))
    assert squeeze_site(tmp_path, since_ns=15 * 10**17) == 1
    assert old.read_text(encoding="utf-8") == PAGE
    assert new.read_text(encoding="utf-8") == squeeze(PAGE)
    assert squeeze_site(tmp_path, atomic=False) == 1  # everything: the old one now
    assert squeeze_site(tmp_path) == 0
