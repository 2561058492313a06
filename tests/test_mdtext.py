"""Untrusted text through mdtext and Python-Markdown (the site's extensions) shows as itself."""

from __future__ import annotations

import html5lib
import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.mdtext import block, code, inline, paragraph
from generator.text import clean, one_line

EXTENSIONS = ["toc", "tables", "attr_list"]
NS = "{http://www.w3.org/1999/xhtml}"

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<!-- comment --> after",
    "a | b | c",
    "# heading",
    "```\nfence\n```",
    "{{ config }} {% raw %}",
    "!!! note",
    '--8<-- "secrets.txt"',
    'word {: onclick="alert(1)" }',
    "*emph* _u_ **bold** `code`",
    "1. ordered",
    "- bullet",
    "> quote",
    "===",
    "&amp; &lt; &#x27;",
    "\\ backslash \\\\",
    "http://example.org <http://example.org>",
    "emoji 🔥 and RTL עברית العربية",
    "~~strike~~ ^^ins^^ ==mark==",
]


def rendered(md_text: str) -> tuple[str, list[str]]:
    """The text a reader sees and the element names, as a browser parses the HTML."""
    html = markdown.markdown(md_text, extensions=EXTENSIONS)
    tree = html5lib.parse(html)
    body = tree.find(f"{NS}body")
    tags = [el.tag.replace(NS, "") for el in body.iter()][1:]
    return "".join(body.itertext()), tags


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_inline_text_renders_literally(text):
    seen, tags = rendered(inline(text))
    assert seen == one_line(text)
    assert tags == ["p"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_a_table_cell_keeps_the_columns(text):
    table = f"| a | b |\n|---|---|\n| {inline(text)} | tail |\n"
    html = markdown.markdown(table, extensions=EXTENSIONS)
    cells = html5lib.parse(html).findall(f".//{NS}td")
    assert ["".join(c.itertext()) for c in cells] == [one_line(text), "tail"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_heading_keeps_its_id(text):
    html = markdown.markdown(f"#### {inline(text)} {{#safe-id}}", extensions=EXTENSIONS)
    heading = html5lib.parse(html).find(f".//{NS}h4")
    assert heading.get("id") == "safe-id"
    assert set(heading.keys()) == {"id"}
    assert "".join(heading.itertext()) == one_line(text)


def test_paragraph_keeps_lines_and_opens_no_blocks():
    text = "1. one\n- two\n# three\n===\n> four"
    seen, tags = rendered(paragraph(text))
    assert seen == "1. one\n- two\n# three\n===\n> four"
    assert set(tags) == {"p", "br"}


def test_block_is_literal_code():
    text = "```\n<b>x</b>\n    indented\n{{ y }}"
    seen, tags = rendered(block(text))
    assert seen.rstrip("\n") == text
    assert tags == ["pre", "code"]


@pytest.mark.parametrize("text", ["a`b", "`x", "``", "plain"])
def test_code_spans_hold_backticks(text):
    seen, tags = rendered(code(text))
    assert seen.strip() == text
    assert tags == ["p", "code"]


def test_control_characters_are_dropped():
    assert clean("a\x00b\x1bc\u202ed\r\ne") == "abcd\ne"


printable = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(printable)
def test_any_text_renders_as_itself(text):
    seen, tags = rendered(inline(text))
    assert seen == one_line(text)
    assert set(tags) <= {"p"}


@settings(max_examples=200, deadline=None)
@given(printable, printable)
def test_any_text_keeps_table_columns(left, right):
    table = f"| a | b |\n|---|---|\n| {inline(left)} | {inline(right)} |\n"
    cells = html5lib.parse(markdown.markdown(table, extensions=EXTENSIONS)).findall(f".//{NS}td")
    assert ["".join(c.itertext()) for c in cells] == [one_line(left), one_line(right)]
