"""A commit's topics: the field's terms its subject, pull request and paths name, in the
archive's language.

The glossary (`glossary.yml` beside this module, plus the config's `glossary:` entries) maps
each topic's English term, abbreviations and spellings, and its Chinese names, to one topic.
A commit written in English then carries `量化` in a Chinese archive, and one written in
Chinese carries `quantization` in an English archive, so a reader's search in the archive's
language finds it.

Matching, the same for every text:

- English is matched on whole tokens. Text is split on everything but ASCII letters and
  digits, between letters and digits and at camelCase humps (`FusedMoE` → fused, mo, e;
  `fp8_kernel.py` → fp, 8, kernel, py; `TP4` → tp, 4), lower-cased. A variant matches a run
  of consecutive tokens whose concatenation is the variant with its separators removed:
  `spec decode` matches `spec_decode`, `SpecDecode` and `specdecode`; `moe` matches `MoE`;
  `fp8` matches `FP8` and `w8a8_fp8`; `tp` matches `tp_size` and `TP4` but not `step` or
  `tps`. A variant of four letters or more also matches its plural (`kernels`); other
  inflections are listed as variants, so `quant` never matches `quantity`.
- Chinese (any name with a CJK character) is matched as a substring, case-insensitively:
  `修复量化内核的bug` names 量化 and 内核.
- Leftmost-longest: where two variants overlap, the longer one wins and the shorter one does
  not count, so `speculative decoding` gives 投机解码 and not also 解码, and `kv cache` is
  not also `cache`.

Sources and order: the subject, then the pull request's title, then its labels (workflow
labels such as `run-ci` or `high priority` skipped), in order of first occurrence; then the
topics named only by changed paths (every directory and file-name segment), named by at least
PATH_SHARE of the files, the ones most files name first, ties in order of first occurrence. At most
MAX_TOPICS are kept: what the author wrote comes before what the files suggest. The topic
that is the repository itself (FlashInfer in flashinfer-ai/flashinfer) is left out: every
commit of that archive is about it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

import yaml

from generator.models import Commit
from generator.text import Language

MAX_TOPICS = 5
PATH_SHARE = 0.25
"""A topic that only paths name needs at least this share of the commit's files: a feature
that also touches `scheduler.py` is not about scheduling, a commit to `scheduler.py` is."""
_IGNORED = -1
MATCHER_VERSION = 1
"""Part of the fingerprint: bump it when a change to the matching changes what it finds."""

# ASCII words only: CJK text is matched by substring, and `量化bug` still yields `bug`.
# An acronym's plural (`GPUs`, `PRs`, `TPs`) is the acronym: its `s` is no word of its own.
_TOKEN = re.compile(
    r"(?P<acronym>[A-Z]{2,})s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALNUM = re.compile(r"[a-z0-9]")
# What may stand between two tokens of one spelling: `spec decode`, `spec_decode`, `p/d`.
_JOINER = re.compile(r"[ \t_./-]{0,3}")
# Labels that steer the review workflow rather than say what the change is about.
_WORKFLOW_LABEL_WORDS = frozenset({
    "run", "ready", "rebase", "merge", "merged", "priority", "stale", "unstale", "wip", "lgtm",
    "approved", "triage", "duplicate", "invalid", "wontfix", "keep", "needs", "blocked", "hold",
    "skip", "express", "lane",
})  # fmt: skip


class EntryLike(Protocol):
    """A glossary entry as the config gives it (generator.config.glossary.GlossaryEntry)."""

    @property
    def term(self) -> str: ...
    @property
    def zh(self) -> str | None: ...
    @property
    def variants(self) -> Sequence[str]: ...
    @property
    def zh_variants(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Entry:
    """One topic: its English term, its Chinese name, and the other ways to write it."""

    term: str
    zh: str
    variants: tuple[str, ...] = ()
    zh_variants: tuple[str, ...] = ()

    def name(self, language: Language) -> str:
        return self.zh if language == "zh" else self.term

    def spellings(self) -> tuple[str, ...]:
        """Every string that names the topic, names first."""
        return (self.term, self.zh, *self.variants, *self.zh_variants)

    @classmethod
    def of(cls, entry: EntryLike) -> Entry:
        return cls(
            term=entry.term,
            zh=entry.zh or entry.term,
            variants=tuple(entry.variants),
            zh_variants=tuple(entry.zh_variants),
        )


def tokens(text: str) -> list[str]:
    """The lower-cased ASCII words of `text`, split as the module docstring says."""
    return [_word(m) for m in _TOKEN.finditer(text)]


def _word(match: re.Match[str]) -> str:
    return (match.group("acronym") or match.group()).lower()


def joined(spelling: str) -> str:
    """The key an English spelling is matched by: its tokens without separators."""
    return "".join(tokens(spelling))


def _plurals(key: str) -> tuple[str, ...]:
    if len(key) < 4 or not key[-1].isalpha():
        return ()
    if key.endswith(("s", "x", "z", "ch", "sh")):
        return (key + "es",)
    if key.endswith("y") and key[-2] not in "aeiou":
        return (key[:-1] + "ies", key + "s")
    return (key + "s",)


class Glossary:
    """The effective glossary: shipped entries, with the config's replacing or added."""

    def __init__(
        self,
        entries: Sequence[Entry],
        preferred: Iterable[Entry] = (),
        ignored: Iterable[str] = (),
    ) -> None:
        """`preferred` entries (the config's) keep a spelling that another entry also lists;
        `ignored` phrases name no topic and hide the shorter names inside them
        (`tokenizer manager` is a request handler, not about tokenizers)."""
        self.entries = tuple(entries)
        self.ignored = tuple(ignored)
        self._words: dict[str, int] = {joined(phrase): _IGNORED for phrase in self.ignored}
        """English key (joined tokens) → entry index; explicit spellings before plurals."""
        cjk: dict[str, int] = {}
        first = set(preferred)
        order = sorted(range(len(self.entries)), key=lambda i: self.entries[i] not in first)
        for index in order:
            entry = self.entries[index]
            for spelling in entry.spellings():
                if _CJK.search(spelling):
                    for form in {spelling.lower(), spelling.lower().replace(" ", "")}:
                        cjk.setdefault(form, index)
                elif len(key := joined(spelling)) >= 2:  # `C++` is a name, `c` no word
                    self._words.setdefault(key, index)
        for key, index in list(self._words.items()):
            for plural in _plurals(key):
                self._words.setdefault(plural, index)
        self._prefixes = {key[:i] for key in self._words for i in range(1, len(key) + 1)}
        # Longest first: at each position the alternation then takes the longest name.
        alternatives = [_bounded(form) for form in sorted(cjk, key=lambda f: (-len(f), f))]
        self._cjk = re.compile("|".join(alternatives)) if alternatives else None
        self._cjk_index = cjk
        self._segments: dict[str, tuple[int, ...]] = {}

    def fingerprint(self) -> str:
        """A short hash of the entries and the matcher: a record's topics made with another
        fingerprint are out of date."""
        entries = [[e.term, e.zh, e.variants, e.zh_variants] for e in self.entries]
        data = [MATCHER_VERSION, MAX_TOPICS, PATH_SHARE, self.ignored, entries]
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def also_named(self, language: Language) -> dict[str, tuple[str, ...]]:
        """Each topic's name in `language` → the other names a reader of that language may
        search it by: the Chinese variants in Chinese (推测解码 for 投机解码). None in English:
        the English variants include narrower terms (`fp8` is quantization, not every
        quantization commit is about fp8), and they are matched in the text anyway."""
        if language != "zh":
            return {}
        found: dict[str, tuple[str, ...]] = {}
        for entry in self.entries:
            others = tuple(v for v in entry.zh_variants if v != entry.zh)
            if others:
                found.setdefault(entry.zh, others)
        return found

    def order(self, language: Language) -> dict[str, int]:
        """Each topic's name in `language` → its place in the glossary (the order a list of
        topics is offered in: by field, as the glossary groups them)."""
        order: dict[str, int] = {}
        for index, entry in enumerate(self.entries):
            order.setdefault(entry.name(language), index)
        return order

    def topics(
        self,
        subject: str,
        pr_title: str = "",
        labels: Iterable[str] = (),
        paths: Iterable[str] = (),
        language: Language = "zh",
        *,
        repo: str = "",
    ) -> tuple[str, ...]:
        """The topics a commit names, as their names in `language`; see the module docstring
        for the order. `repo` (`owner/name`): the topic its name names is left out."""
        own = self._words.get(joined(repo.rsplit("/", 1)[-1]), _IGNORED) if repo else _IGNORED
        found: dict[int, None] = {}
        texts = [subject, pr_title, *(label for label in labels if not _workflow(label))]
        for text in texts:
            found.update(dict.fromkeys(i for i in self.matches(text) if i != own))
        files: Counter[int] = Counter()
        paths = list(paths)
        for path in paths:
            for index in dict.fromkeys(i for part in path.split("/") for i in self._of(part)):
                files[index] += 1
        least = math.ceil(len(paths) * PATH_SHARE)
        # Stable: among topics as many files name, the one named first comes first.
        by_files = sorted(
            (i for i, n in files.items() if n >= least and i not in found and i != own),
            key=lambda i: -files[i],
        )
        names: dict[str, None] = {}
        for index in [*found, *by_files]:
            names[self.entries[index].name(language)] = None
            if len(names) == MAX_TOPICS:
                break
        return tuple(names)

    def matches(self, text: str) -> list[int]:
        """The entries `text` names, in order of first occurrence (leftmost-longest)."""
        hits: list[tuple[int, int, int]] = []  # (start, end, entry), English and CJK
        spans = [(m.start(), m.end(), _word(m)) for m in _TOKEN.finditer(text)]
        i = 0
        while i < len(spans):
            key, best = "", None
            for j in range(i, len(spans)):
                if j > i and not _JOINER.fullmatch(text, spans[j - 1][1], spans[j][0]):
                    break
                key += spans[j][2]
                if key not in self._prefixes:
                    break
                if key in self._words:
                    best = (j, self._words[key])
            if best is None:
                i += 1
                continue
            hits.append((spans[i][0], spans[best[0]][1], best[1]))
            i = best[0] + 1
        if self._cjk is not None and _CJK.search(text):
            lowered = text.lower()
            for m in self._cjk.finditer(lowered):
                # An English match inside a Chinese one (`kv` in `KV缓存`) gives way to it.
                hits = [h for h in hits if h[1] <= m.start() or h[0] >= m.end()]
                hits.append((m.start(), m.end(), self._cjk_index[m.group()]))
        order = dict.fromkeys(index for _, _, index in sorted(hits) if index != _IGNORED)
        return list(order)

    def _of(self, segment: str) -> tuple[int, ...]:
        """The entries a path segment names, cached: every commit touches the same paths."""
        cached = self._segments.get(segment)
        if cached is None:
            cached = self._segments[segment] = tuple(self.matches(segment))
        return cached


def _bounded(form: str) -> str:
    """A CJK name as a pattern; an ASCII end (`kv缓存`) must not sit inside a word."""
    before = r"(?<![a-z0-9])" if _ALNUM.match(form[0]) else ""
    after = r"(?![a-z0-9])" if _ALNUM.match(form[-1]) else ""
    return before + re.escape(form) + after


def _workflow(label: str) -> bool:
    return any(word in _WORKFLOW_LABEL_WORDS for word in tokens(label))


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("glossary.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def shipped_entries() -> tuple[Entry, ...]:
    """The glossary shipped with the package, in file order."""
    return tuple(
        Entry(
            term=item["term"],
            zh=item.get("zh") or item["term"],
            variants=tuple(item.get("variants", ())),
            zh_variants=tuple(item.get("zh_variants", ())),
        )
        for item in _shipped()["entries"]
    )


def shipped_ignored() -> tuple[str, ...]:
    """Phrases that name no topic although a shorter name sits inside them."""
    return tuple(_shipped().get("ignore", ()))


def merged(extra: Iterable[Entry]) -> tuple[Entry, ...]:
    """Shipped entries with `extra` merged in: one whose term equals a shipped term
    (case-insensitively) replaces it in place; the others are appended in their order."""
    extra = tuple(extra)
    replacing = {e.term.casefold(): e for e in extra}
    shipped = shipped_entries()
    known = {e.term.casefold() for e in shipped}
    kept = tuple(replacing.get(e.term.casefold(), e) for e in shipped)
    return kept + tuple(e for e in extra if e.term.casefold() not in known)


@cache
def _glossary(extra: tuple[Entry, ...]) -> Glossary:
    return Glossary(merged(extra), preferred=extra, ignored=shipped_ignored())


def load_glossary(extra: Iterable[EntryLike] = ()) -> Glossary:
    """The effective glossary for a config's `glossary:` entries, built once per set of
    entries. Where a config entry and a shipped one list the same spelling, the config's
    entry has it."""
    return _glossary(tuple(Entry.of(e) for e in extra))


def topics(
    subject: str,
    pr_title: str = "",
    labels: Iterable[str] = (),
    paths: Iterable[str] = (),
    language: Language = "zh",
    *,
    glossary: Glossary | None = None,
    repo: str = "",
) -> tuple[str, ...]:
    """A commit's topics in `language` by the shipped glossary, or by `glossary`."""
    return (glossary or load_glossary()).topics(
        subject, pr_title, labels, paths, language, repo=repo
    )


def commit_topics(
    commit: Commit, language: Language, glossary: Glossary | None = None, repo: str = ""
) -> tuple[str, ...]:
    """A recorded commit's topics: its subject, its pull request's title and labels, and the
    paths of its files (sorted: the order a source lists them in changes nothing)."""
    pull = commit.pull_request
    return (glossary or load_glossary()).topics(
        commit.subject,
        pull.title if pull else "",
        pull.labels if pull else (),
        sorted(f.path for f in commit.files),
        language,
        repo=repo,
    )


def fingerprint(glossary: Glossary | None = None) -> str:
    """The fingerprint of `glossary`, or of the shipped one."""
    return (glossary or load_glossary()).fingerprint()
