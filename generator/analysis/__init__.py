"""Analyzers turn a commit's facts into an `Analysis`: tier, type, summary, scope, advice.

`make_analyzer` is the one place that chooses one from the config; `analyze` is the
pipeline's analysis step: it carries over what a previous record already holds,
analyses the rest (several at a time for an analyzer that waits on a network),
falls back to the rules analysis for a commit whose analyzer failed, and keeps
the day's overview in step with its commits.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from generator.errors import AnalysisFailed, ConfigError
from generator.fingerprint import PACKAGE, files_fingerprint
from generator.models import Analysis, Commit, DayRecord, Overview

if TYPE_CHECKING:
    from generator.analysis.llm import LlmSession
    from generator.config import Config, RepoConfig
    from generator.sources import Source


class Analyzer(Protocol):
    name: str
    """Stored in each analysis, e.g. `rules@2` or `llm:<model>@<prompt version>`."""
    concurrency: int
    """How many commits it may analyse at once."""
    fallback: Analyzer | None
    """What stands in when `analyze` raises AnalysisFailed."""

    def analyze(self, commit: Commit) -> Analysis:
        """The commit's analysis; `commit.analysis` holds the previous one, if any."""
        ...

    def is_current(self, analysis: Analysis) -> bool:
        """Whether a recorded analysis is what `analyze` would make now (same analyzer and
        version, language and importance settings); the pipeline re-analyses it if not."""
        ...

    def topics(self, commit: Commit) -> tuple[str, ...]:
        """The commit's topics as `analyze` would record them (the glossary's, from its facts);
        an analysis whose topics differ is not current either."""
        ...


@runtime_checkable
class OverviewWriter(Protocol):
    """An analyzer that also writes each repository-day's overview."""

    def overview(self, record: DayRecord) -> Overview | None: ...

    def overview_current(self, record: DayRecord) -> bool: ...


def open_llm_session(config: Config) -> LlmSession | None:
    """The run's connection to the configured LLM endpoint; None for the rules analyzer."""
    if config.analyzer != "llm" or config.llm is None:
        return None
    from generator.analysis.llm import LlmSession
    from generator.analysis.llm_client import ChatClient

    variable = config.llm.api_key_env
    key = os.environ.get(variable) if variable else None
    if variable and not key:
        raise ConfigError(
            f"llm.api_key_env: the environment variable {variable} is not set; set it to the "
            "endpoint's key (a repository secret in GitHub Actions), or set api_key_env: null "
            "for an endpoint that needs no key"
        )
    return LlmSession(config.llm, config.language, ChatClient(config.llm, key))


def make_analyzer(
    config: Config, repo: RepoConfig, source: Source | None, session: LlmSession | None
) -> Analyzer:
    """The configured analyzer for one repository."""
    from generator.analysis.rules import RulesAnalyzer
    from generator.analysis.topics import load_glossary

    glossary = load_glossary(config.glossary)
    rules = RulesAnalyzer(
        config.language, repo.critical_paths, config.importance, glossary, repo.name, repo.ignore
    )
    if session is None:
        return rules
    from generator.analysis.llm import LlmAnalyzer

    return LlmAnalyzer(session, rules, source, repo.name)


def needs_work(record: DayRecord, analyzer: Analyzer) -> bool:
    """Whether `analyze` would change anything in a recorded day."""
    stale = any(not _current(analyzer, c) for c in record.commits)
    if stale:
        return True
    return isinstance(analyzer, OverviewWriter) and not analyzer.overview_current(record)


def _current(analyzer: Analyzer, commit: Commit) -> bool:
    """Whether the commit's analysis is what the analyzer would make now, topics included: a
    glossary change re-analyses the commits whose topics it changes (an LLM's without a
    request, like a change of weights), and leaves the others' records as they are."""
    analysis = commit.analysis
    return (
        analysis is not None
        and analyzer.is_current(analysis)
        and analysis.topics == analyzer.topics(commit)
    )


def analysis_key(config: Config, repo: RepoConfig, analyzer: Analyzer) -> str:
    """A hash of everything `needs_work` depends on besides the record itself: the
    analyzer and its version, the language, the importance settings, the repository's
    critical paths and noise rules, the glossary, the LLM settings, and the code of the
    analysis and the record types.
    A record that needed no work under one key needs none under it again, as long as its
    file is unchanged (recordcache.py); any other change of these makes every record be
    checked again, as the check always did."""
    inputs = {
        "analyzer": [type(analyzer).__qualname__, analyzer.name],
        "language": config.language,
        "importance": config.importance.model_dump(mode="json"),
        "critical_paths": sorted(repo.critical_paths),
        "glossary": _glossary_fingerprint(config),
        "ignore": repo.ignore.model_dump(mode="json"),
        "llm": config.llm.model_dump(mode="json")
        if config.analyzer == "llm" and config.llm
        else None,
        "code": _code_digest(),
    }
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _glossary_fingerprint(config: Config) -> str:
    from generator.analysis.topics import load_glossary

    return load_glossary(config.glossary).fingerprint()


@cache
def _code_digest() -> str:
    """The analysis package (rules, phrases, prompts, data) and models.py, hashed: a new
    version of the generator re-checks every record once."""
    here = PACKAGE / "analysis"
    files = [p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files_fingerprint([*files, PACKAGE / "models.py"])


def analyze(
    record: DayRecord,
    analyzer: Analyzer,
    previous: DayRecord | None = None,
    force: bool = False,
) -> DayRecord:
    """Every commit of `record` analysed: a current analysis (from `record` or, by sha,
    from `previous`) is kept, unless `force`; the rest are analysed anew."""
    before = {c.sha: c.analysis for c in (previous.commits if previous else ())}
    commits = [
        c if c.analysis else c.model_copy(update={"analysis": before.get(c.sha)})
        for c in record.commits
    ]
    if force:
        commits = [c.model_copy(update={"analysis": None}) for c in commits]
    todo = [i for i, c in enumerate(commits) if not _current(analyzer, c)]
    workers = min(analyzer.concurrency, len(todo))
    if workers <= 1:  # no thread to start and wait for (the rules analyzer: a backfill's days)
        done = [_one(analyzer, commits[i]) for i in todo]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(lambda i: _one(analyzer, commits[i]), todo))
    for i, analysis in zip(todo, done, strict=True):
        commits[i] = commits[i].model_copy(update={"analysis": analysis})
    result = record.model_copy(update={"commits": tuple(commits)})
    if isinstance(analyzer, OverviewWriter):
        kept = record.overview or (previous.overview if previous else None)
        overview = analyzer.overview(result.model_copy(update={"overview": kept}))
        result = result.model_copy(update={"overview": overview})
    return result


def _one(analyzer: Analyzer, commit: Commit) -> Analysis:
    try:
        return analyzer.analyze(commit)
    except AnalysisFailed as exc:
        if analyzer.fallback is None:
            raise
        analysis = analyzer.fallback.analyze(commit.model_copy(update={"analysis": None}))
        return analysis.model_copy(update={"fallback_reason": str(exc)})
