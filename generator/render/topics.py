"""A commit's topics as the pages show them: a line of chips under its badges.

The topics (`Analysis.topics`, names from the glossary and the config) are written as one
raw HTML paragraph, `<p class="cd-topics"><strong>主题</strong> <span>量化</span> …</p>`: one span
a chip (and no label on a day page), so that a day page listing 54 commits stays light, and
every name escaped here (Markdown leaves a raw HTML block alone, so nothing in a name is read
as Markdown either).
What search makes of them (`generator.site.search`):

- the chips' text is indexed like the rest of the article, so `量化` finds a commit whose
  subject says `Quantization`; the label is not (`.cd-topics strong` is excluded), or a search
  for 主题 would find every commit;
- on a commit page each chip is also a value of the `topic` filter
  (`data-pagefind-filter="topic"`), the one filter the search box takes from the page's
  body rather than its front matter;
- a topic's other Chinese names (推测解码 for 投机解码, 内核 for 算子) are not on the pages:
  they would cost a commit page about 200 bytes with their index. The search box reads
  them as the topic's name instead (`search_synonyms`, in the search manifest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from generator.analysis.topics import load_glossary
from generator.render.i18n import Labels
from generator.render.mdtext import Md
from generator.render.settings import SiteSettings
from generator.text import one_line

FILTER = "topic"
"""The search filter the chips of a commit page are values of."""


class TopicChips:
    """Builds the topic line of day and commit pages in the site's language."""

    def __init__(self, labels: Labels) -> None:
        self.label = f"<strong>{_text(labels('topics'))}</strong>"

    def line(self, topics: Sequence[str], *, commit_page: bool) -> Md | None:
        """The paragraph of chips; None without topics. On a `commit_page` the chips are
        also the values of the search's topic filter."""
        if not topics:
            return None
        tag = f' data-pagefind-filter="{FILTER}"' if commit_page else ""
        chips = " ".join(f"<span{tag}>{_text(topic)}</span>" for topic in topics)
        # A day page's chips are unlabelled: one line of them under each of dozens of commits,
        # whose pages say what they are.
        label = f"{self.label} " if commit_page else ""
        return Md(f'<p class="cd-topics">{label}{chips}</p>')


def in_glossary_order(topics: Iterable[str], settings: SiteSettings) -> list[str]:
    """`topics` as the search box offers them: in the glossary's order, which groups them by
    field (serving, attention, kernels, quantization, parallelism, hardware, models …); a name
    the glossary no longer has (in records not yet analysed again) comes last."""
    order = load_glossary(settings.glossary).order(settings.language)
    return sorted(set(topics), key=lambda topic: (order.get(topic, len(order)), topic))


def search_synonyms(topics: Iterable[str], settings: SiteSettings) -> dict[str, str]:
    """Another name of a topic → its name, for the topics in `topics`: in a Chinese archive a
    query word 推测解码 is searched as 投机解码, the name its commits' chips show (a commit
    whose subject says 推测解码 has that topic). Empty in English (`Glossary.also_named`)."""
    also = load_glossary(settings.glossary).also_named(settings.language)
    found = {}
    for topic in in_glossary_order(topics, settings):
        for other in also.get(topic, ()):
            found.setdefault(one_line(other).casefold(), topic)
    return found


def _text(name: str) -> str:
    return escape(one_line(name), quote=False)
