"""Text and language, at the bottom of every layer: what models, sources, analysis and pages
all need to say things the same way.

- `Language` and the two vocabularies shared by every output (tier emoji, change-type names);
- `clean` and `one_line`: strangers' text made plain (no control characters, one line),
  `cut` to a length;
- `neutral`: text no reader turns into a mention, a reference or a link (issues, chats);
- `pr_number`: the pull request a squash-merged subject names.

Escaping for a particular output (Markdown, HTML, a chat service) is not here: each output
does its own, on top of `clean`.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

TIER_EMOJI = {"high": "🔴", "medium": "🟡", "low": "🟢"}

CHANGE_TYPE_LABELS: dict[Language, dict[str, str]] = {
    "zh": {
        "feature": "功能增强",
        "fix": "问题修复",
        "performance": "性能优化",
        "refactor": "代码重构",
        "docs": "文档更新",
        "test": "测试",
        "ci": "持续集成",
        "build": "构建与依赖",
        "chore": "日常维护",
        "revert": "回滚",
    },
    "en": {
        "feature": "Feature",
        "fix": "Fix",
        "performance": "Performance",
        "refactor": "Refactor",
        "docs": "Docs",
        "test": "Tests",
        "ci": "CI",
        "build": "Build & dependencies",
        "chore": "Chore",
        "revert": "Revert",
    },
}
"""The one vocabulary of change types: badges, feeds and the analysis text all use it."""

# C0/C1 controls (but tab and newline), and line/paragraph separators, which
# Markdown and feed readers treat inconsistently. Bidi overrides could make a
# table cell display reversed text of another cell ("Trojan source"), so they go too.
# U+FFFE/U+FFFF and lone surrogates are not text at all: YAML front matter and
# XML refuse them, and MkDocs then silently shows the front matter as page text.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    r"\ufffe\uffff\ud800-\udfff]"
)
_PR_NUMBER = re.compile(r"\(#(\d+)\)\s*$")
WORD_JOINER = "\u2060"
_REFERENCE = re.compile(
    r"(?<=[@＠])(?=\S)"  # @all, @here, @someone (or the full-width sign), an e-mail's domain
    r"|(?<=(?<!&)#)(?=[0-9])"  # #123, an issue on GitHub (not an entity's &#126;)
    r"|(?<=\bGH)(?=-[0-9])"  # GH-123, another way GitHub writes one
    r"|(?<=:)(?=//)"  # scheme://
    r"|(?<=\bwww)(?=\.)",  # www.example.org
    re.IGNORECASE,
)


_LINE_BREAKS = re.compile(r"[\n\t]")


def clean(text: str) -> str:
    """Plain text without control characters, with `\\n` line ends."""
    if text.isprintable():  # the common case: every character _CONTROL takes is "Other"
        return text  # or a "Separator" in Unicode, which isprintable() refuses
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """The text on one line; inner spacing is kept, as the subject was written."""
    if text.isprintable():
        return text.strip()
    return _LINE_BREAKS.sub(" ", clean(text)).strip()


def pr_number(subject: str) -> int | None:
    """The PR a squash-merged subject names, as GitHub writes it: `... (#1234)`."""
    match = _PR_NUMBER.search(subject)
    return int(match.group(1)) if match else None


def cut(text: str, limit: int) -> str:
    """At most `limit` characters: cut with an ellipsis when longer."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def neutral(text: str) -> str:
    """The text with an invisible WORD JOINER (U+2060) after each sign a reader would act
    on: `@all` and `@name` notify nobody, `#123` and `GH-123` link no issue, `scheme://` and
    `www.` make no link. Every client shows the joiner as nothing. Escaping for the output's
    own markup (Markdown, HTML, Slack's `<…>`) is the output's, before or after this."""
    return _REFERENCE.sub(WORD_JOINER, text)
