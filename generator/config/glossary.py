"""The `glossary:` section: topics added to the shipped glossary, or replacing its entries.

```yaml
glossary:
  - term: quantization          # same term as a shipped entry: replaces it
    zh: 量化
    variants: [quant, fp8, int4, awq, gptq, nvfp4]
  - term: HiCache               # a new topic
    zh: 分层缓存
    variants: [hierarchical cache, hiradix]
    zh_variants: [多级缓存]
```
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from generator.config.base import Strict

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def _letters(spelling: str) -> int:
    """The ASCII letters and digits an English spelling is matched by (analysis.topics)."""
    return len(_ALNUM.findall(spelling))


def _matchable(spelling: str) -> str:
    spelling = spelling.strip()
    if not _CJK.search(spelling) and _letters(spelling) < 2:
        raise ValueError(
            f"{spelling!r} cannot be matched: a spelling needs two ASCII letters or digits,"
            " or a Chinese character"
        )
    return spelling


Spelling = Annotated[str, AfterValidator(_matchable)]


class GlossaryEntry(Strict):
    """One topic of the glossary (README: Topics)."""

    term: str = Field(min_length=1)
    """The topic's English name, shown in an English archive and matched like a variant. An
    entry whose term equals a shipped entry's (ignoring case) replaces that entry."""
    zh: str | None = Field(None, min_length=1)
    """The topic's Chinese name, shown in a Chinese archive (default: `term`)."""
    variants: tuple[Spelling, ...] = ()
    """Other English spellings and abbreviations, matched as whole words, case-insensitively,
    separators optional: `spec decode` also matches `spec_decode` and `SpecDecode`."""
    zh_variants: tuple[Spelling, ...] = ()
    """Other Chinese names, matched anywhere in the text: `量化` in `修复量化bug`."""

    @model_validator(mode="after")
    def _names_something(self) -> GlossaryEntry:
        if not (
            self.variants
            or self.zh_variants
            or _letters(self.term) >= 2
            or _CJK.search(self.zh or "")
        ):
            raise ValueError(f"{self.term!r} names nothing that can be matched; add variants")
        return self


def unique_terms(entries: tuple[GlossaryEntry, ...]) -> tuple[GlossaryEntry, ...]:
    seen: set[str] = set()
    for entry in entries:
        if entry.term.casefold() in seen:
            raise ValueError(f"term {entry.term!r} is listed twice; merge the two entries")
        seen.add(entry.term.casefold())
    return entries


Glossary = Annotated[tuple[GlossaryEntry, ...], AfterValidator(unique_terms)]
