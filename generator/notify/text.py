"""Strangers' text (subjects, author names, analyses) made inert for each kind of channel.

Chat clients act on text in three ways besides showing it: markup (Slack's `<!channel>`,
Markdown's `[x](y)` and `**b**`, WeCom's `<@userid>` and `<font>`), mentions (`@all`,
`@here`) and links they make of anything that looks like a URL. Markup is escaped the
way each format documents; mentions and bare URLs are broken with an invisible WORD
JOINER (U+2060) after the sign (`generator.text.neutral`, as the GitHub issue report
keeps `@name` from notifying). The text is first made one line (`generator.text.one_line`).
"""

from __future__ import annotations

import re

from generator.text import WORD_JOINER, neutral


def slack(text: str) -> str:
    """Text for Slack's mrkdwn: `&`, `<` and `>` as the HTML entities Slack documents
    (so no `<!channel>`, `<@U…>` or `<url|label>`), `#channel` and the formatting signs
    (`*`, `_`, `~`, backtick) followed by a word joiner so they open nothing."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([*_~`#])", "\\1" + WORD_JOINER, text)
    return neutral(text)


# `_` between letters or digits (`fused_moe`) opens no emphasis: it stays as it is, so a
# client without backslash escapes shows fewer backslashes.
_MARKDOWN = re.compile(r"([\\`*\[\]~|]|(?<![^\W_])_|_(?![^\W_]))")


def markdown(text: str) -> str:
    """Text for the Markdown of DingTalk and WeCom robots: Markdown's punctuation
    backslash-escaped (no link, emphasis or code), and `<` and `&` followed by a word
    joiner, so neither HTML (`<font>`, `<script>`), WeCom's `<@userid>` mention nor an
    entity starts there."""
    text = _MARKDOWN.sub(r"\\\1", text)
    text = re.sub(r"([<&])", "\\1" + WORD_JOINER, text)
    return neutral(text)


def without_joiners(text: str) -> str:
    """What a reader sees: the text with the word joiners taken out (for tests)."""
    return text.replace(WORD_JOINER, "")
