"""The LLM analyzer: the importance score decides the tier, a model writes the analysis.

Each commit is sent once. The rules analyzer runs first: its tier and score (and
their reasons) go into the prompt, so the model writes at the depth the tier
calls for, as the reports this project grew from did; with `decides_tier` the
model's own tier stands and the score stays beside it. A reply that is not the
JSON asked for gets one repair request; after that, or when the endpoint fails,
the commit keeps the rules analysis with `fallback_reason` set, and a later run
sends it again. Nothing empty is ever published.

An analysis an LLM wrote is kept as long as it is in the site's language: a
change of model or prompt does not re-send the archive (`--reanalyze` does);
a change of the importance score re-tiers it, and one of the glossary gives it the
new topics, without a request. The topics are facts (the rules analyzer's), told to
the model like the tier.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.analysis.diffpack import pack
from generator.analysis.llm_client import ChatClient, Completion, RequestFailed
from generator.analysis.llm_reply import (
    CommitReply,
    InvalidReply,
    OverviewReply,
    commit_analysis,
    overview_text,
    parse,
)
from generator.analysis.prompts import PROMPT_VERSION
from generator.analysis.rubric import DEPTH, RUBRIC
from generator.analysis.rules import RulesAnalyzer
from generator.analysis.scoreline import score_line
from generator.analysis.tokens import Counter, counter_for
from generator.config import LlmConfig
from generator.errors import AnalysisFailed
from generator.models import TIERS, Analysis, Commit, DayRecord, InterfaceChange, Overview
from generator.sources import Source
from generator.text import clean, cut, one_line

PATCH_CAP = 8_000_000
"""Bytes of diff read per commit: all of it for any real commit, so that packing can
choose by file kind rather than take whatever comes first."""
FILES_LISTED = 200
INTERFACES_LISTED = 40
"""Interface changes told in a prompt; a dependency sync can make hundreds."""
BODY_LIMIT = 6000
OVERVIEW_COMMITS = 60
MARGIN = 64
"""Tokens kept free of the input budget for the chat format's own framing."""


DEFERRED = {
    "en": "waiting for a later run (over max_commits_per_run)",
    "zh": "超出本次运行的额度（max_commits_per_run），留待之后的运行",
}
INVALID = {
    "en": "the model's reply was not usable after a repair request: {problem}",
    "zh": "模型的回复在要求修正后仍无法使用：{problem}",
}


@dataclass
class LlmStats:
    requests: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_hits: int = 0
    fallbacks: int = 0

    def line(self) -> str:
        return (
            f"LLM: {self.requests} requests, {self.tokens_in} tokens in / {self.tokens_out} out, "
            f"{self.cache_hits} cache hits, {self.fallbacks} fallbacks"
        )


class LlmSession:
    """One run's use of the endpoint: the client, the per-run budget and the counts,
    shared by the analyzers of every repository."""

    def __init__(self, config: LlmConfig, language: str, client: ChatClient) -> None:
        self.config = config
        self.language = language
        self.client = client
        self.count: Counter = counter_for(config.model)[0]
        self.stats = LlmStats()
        self._left = config.max_commits_per_run
        self._lock = threading.Lock()
        self.templates = Environment(
            loader=PackageLoader("generator.analysis", "prompts"),
            undefined=StrictUndefined,
            autoescape=False,  # prompts are plain text; nothing here is ever rendered as HTML
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def prompt(self, name: str, **values: object) -> str:
        return self.templates.get_template(f"{self.language}/{name}.j2").render(**values)

    def take(self) -> bool:
        """One commit's worth of the run's budget, if any is left."""
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True

    def note(self, completion: Completion, sent: str) -> tuple[int, int]:
        tokens_in = completion.tokens_in or self.count(sent)
        tokens_out = completion.tokens_out or self.count(completion.text)
        with self._lock:
            self.stats.tokens_in += tokens_in
            self.stats.tokens_out += tokens_out
        return tokens_in, tokens_out

    def tally_fallback(self) -> None:
        with self._lock:
            self.stats.fallbacks += 1

    def close(self) -> None:
        self.stats.requests = self.client.requests
        self.client.close()


class LlmAnalyzer:
    def __init__(
        self, session: LlmSession, rules: RulesAnalyzer, source: Source | None, repo: str
    ) -> None:
        self.session = session
        self.config = session.config
        self.language = session.language
        self.rules = rules
        self.source = source
        self.repo = repo
        self.name = f"llm:{self.config.model}@{PROMPT_VERSION}"
        self.concurrency = self.config.concurrency
        self.fallback = rules

    # -- what can be kept ----------------------------------------------------------------

    def written(self, analysis: Analysis | None) -> bool:
        """An analysis an LLM wrote in the site's language, whatever its model or prompt."""
        return (
            analysis is not None
            and analysis.analyzer.startswith("llm:")
            and analysis.fallback_reason is None
            and analysis.language == self.language
        )

    def is_current(self, analysis: Analysis) -> bool:
        if analysis.ignored is not None:
            return self.rules.is_current(analysis)  # noise: the rules analysis stands
        if not self.written(analysis):
            return False
        if self.config.decides_tier:
            return self.rules.same_noise_rules(analysis)
        return self.rules.scores_alike(analysis)

    def topics(self, commit: Commit) -> tuple[str, ...]:
        return self.rules.topics(commit)

    # -- one commit ----------------------------------------------------------------------

    def analyze(self, commit: Commit) -> Analysis:
        rules = self.rules.analyze(commit)
        if rules.ignored is not None:
            return rules  # a noise rule matched: nothing is sent, no token spent
        previous = commit.analysis
        if previous is not None and self.written(previous):
            return self._retier(previous, rules)
        if not self.session.take():
            raise self._failed(DEFERRED[self.language])
        try:
            return self._ask(commit, rules)
        except RequestFailed as exc:
            raise self._failed(exc.describe(self.language)) from None
        except InvalidReply as exc:
            raise self._failed(INVALID[self.language].format(problem=exc)) from None

    def _retier(self, analysis: Analysis, rules: Analysis) -> Analysis:
        """The written analysis with the current topics and, when the score decides, the
        score's current verdict."""
        if self.config.decides_tier:
            return analysis.model_copy(update={"settings": rules.settings, "topics": rules.topics})
        fields = (*SCORE_FIELDS, "topics")
        return analysis.model_copy(update={key: getattr(rules, key) for key in fields})

    def _failed(self, reason: str) -> AnalysisFailed:
        self.session.tally_fallback()
        return AnalysisFailed(reason)

    def _ask(self, commit: Commit, rules: Analysis) -> Analysis:
        system = self.session.prompt("system", rubric=RUBRIC[self.language])  # type: ignore[index]
        user = self._commit_prompt(commit, rules, system)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        budget = self.config.output_budget(rules.tier)
        client = self.session.client
        completion = client.complete(messages, budget)
        spent = self.session.note(completion, system + user)
        try:
            reply = parse(completion.text, CommitReply)
            analysis = self._accept(reply, commit, rules)
        except InvalidReply as problem:
            messages += [
                {"role": "assistant", "content": completion.text},
                {"role": "user", "content": self.session.prompt("repair", problem=str(problem))},
            ]
            completion = client.complete(messages, budget)
            more = self.session.note(completion, "".join(m["content"] for m in messages))
            spent = (spent[0] + more[0], spent[1] + more[1])
            analysis = self._accept(parse(completion.text, CommitReply), commit, rules)
        return analysis.model_copy(
            update={
                "analyzer": self.name,
                "language": self.language,
                "input_hash": _hash(system, user),
                "tokens_in": spent[0],
                "tokens_out": spent[1],
            }
        )

    def _accept(self, reply: CommitReply, commit: Commit, rules: Analysis) -> Analysis:
        return commit_analysis(
            reply, commit, rules, self.language, decides_tier=self.config.decides_tier
        )

    # -- the prompt ----------------------------------------------------------------------

    def _commit_prompt(self, commit: Commit, rules: Analysis, system: str) -> str:
        """The user message, its diff packed so that system + user fit max_input_tokens."""
        count = self.session.count
        values = self._facts(commit, rules, BODY_LIMIT, FILES_LISTED)
        fixed = count(system) + count(self.session.prompt("commit", **values))
        if fixed + MARGIN > self.config.max_input_tokens:
            # A giant message or file list: keep their start, the diff needs room too.
            values = self._facts(commit, rules, BODY_LIMIT // 6, FILES_LISTED // 8)
            fixed = count(system) + count(self.session.prompt("commit", **values))
        patch = self._patch(commit)
        budget = self.config.max_input_tokens - fixed - MARGIN
        while True:
            packed = pack(patch, max(budget, 0), count)
            diff = {"diff": packed.text.rstrip("\n"), "left_out": packed.left_out}
            user = self.session.prompt("commit", **{**values, **diff, "partial": packed.partial})
            excess = count(system) + count(user) + MARGIN - self.config.max_input_tokens
            if excess <= 0 or not packed.text:
                return user
            budget -= excess + MARGIN  # the lists of left-out files took their share too

    def _patch(self, commit: Commit) -> str:
        if self.source is None or not commit.files:
            return ""
        try:
            return self.source.patch(commit.sha, max_bytes=PATCH_CAP)
        except Exception:
            return ""

    def _facts(
        self, commit: Commit, rules: Analysis, body_limit: int, files_listed: int
    ) -> dict[str, object]:
        files = sorted(commit.files, key=lambda f: (-f.changed_lines, f.path))
        lines = []
        for change in files[:files_listed]:
            name = f"{change.old_path} → {change.path}" if change.old_path else change.path
            counts = "binary" if change.binary else f"+{change.additions}/−{change.deletions}"
            lines.append(f"{name} ({counts})")
        pr = commit.pull_request
        changes = commit.interface_changes or ()
        return {
            "repo": self.repo,
            "sha": commit.sha,
            "subject": clean(commit.subject),
            "body": clean(commit.body)[:body_limit],
            "pr": pr.model_copy(update={"title": clean(pr.title), "body": clean(pr.body)})
            if pr
            else None,
            "tier": rules.tier,
            "topics": rules.topics,
            "interfaces": [interface_fact(c) for c in changes[:INTERFACES_LISTED]],
            "interfaces_more": max(len(changes) - INTERFACES_LISTED, 0),
            "score_line": score_line(rules.score or 0, rules.score_parts, self.language),
            "depth": DEPTH[self.language],  # type: ignore[index]
            "decides_tier": self.config.decides_tier,
            "file_count": len(commit.files),
            "additions": commit.additions,
            "deletions": commit.deletions,
            "files": lines,
            "files_more": max(len(files) - files_listed, 0),
            "diff": "",
            "left_out": (),
            "partial": (),
        }

    # -- one repository-day --------------------------------------------------------------

    def overview(self, record: DayRecord) -> Overview | None:
        """The day's paragraph: kept while its commits' analyses are unchanged, asked for
        when they change, None when the model could not write one (the next run asks)."""
        if not self.config.overview or not record.commits or not record.complete:
            return record.overview
        if not _not_ignored(record):
            return None  # noise only: nothing worth a paragraph, nothing sent
        prompt = self._overview_prompt(record)
        input_hash = _hash(prompt)
        previous = record.overview
        if previous and previous.input_hash == input_hash and previous.language == self.language:
            return previous
        return self.ask_overview(prompt)

    def ask_overview(self, prompt: str) -> Overview | None:
        """The overview the model writes for `prompt` (a day's, or a week's:
        `analysis.weekly`); None when the request fails or the reply is not one."""
        messages = [{"role": "user", "content": prompt}]
        try:
            completion = self.session.client.complete(messages, self.config.output_budget("high"))
            text = overview_text(parse(completion.text, OverviewReply))
        except (RequestFailed, InvalidReply):
            return None
        tokens_in, tokens_out = self.session.note(completion, prompt)
        return Overview(
            text=text,
            analyzer=self.name,
            language=self.language,  # type: ignore[arg-type]
            input_hash=_hash(prompt),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )

    def overview_current(self, record: DayRecord) -> bool:
        if not self.config.overview or not record.commits or not record.complete:
            return True
        if not _not_ignored(record):
            return record.overview is None
        previous = record.overview
        return bool(previous) and previous.input_hash == _hash(self._overview_prompt(record))

    def _overview_prompt(self, record: DayRecord) -> str:
        heard = _not_ignored(record)
        ranked = sorted(heard, key=lambda c: TIERS.index(c.tier))[:OVERVIEW_COMMITS]
        commits = [
            {
                "tier": c.tier,
                "subject": clean(c.subject),
                "summary": clean(c.analysis.summary if c.analysis else "")[:300],
            }
            for c in ranked
        ]
        return self.session.prompt(
            "overview", repo=self.repo, day=_iso(record.day), count=len(heard),
            commits=commits,
        )  # fmt: skip


def _not_ignored(record: DayRecord) -> list[Commit]:
    """The day's commits an LLM may read: none a noise rule matched."""
    return [c for c in record.commits if not (c.analysis and c.analysis.ignored)]


def _iso(day: date) -> str:
    return day.isoformat()


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]


SCORE_FIELDS: Sequence[str] = ("tier", "change_type", "score", "score_parts", "settings")
"""What the importance score decides in an analysis: re-tiering copies exactly these."""


def interface_fact(change: InterfaceChange) -> str:
    """`option tp_size: default 1 → 2 (python/sglang/srt/server_args.py)`, values cut."""
    values = [cut(one_line(v), 80) for v in (change.old, change.new) if v is not None]
    shown = f" {' → '.join(values)}" if values else ""
    return (
        f"{change.kind} {one_line(change.name)}: {change.change}{shown} ({one_line(change.file)})"
    )
