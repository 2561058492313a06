"""The records: what one repository did on one local day, facts plus analysis.

A record file on disk is exactly `DayRecord` serialised, so both sources
(a local clone, the GitHub API) converge on these types and a test can
compare them field by field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from generator.text import Language, one_line

Tier = Literal["high", "medium", "low"]
TIERS: tuple[Tier, ...] = get_args(Tier)

ChangeType = Literal[
    "feature", "fix", "performance", "refactor", "docs", "test", "ci", "build", "chore", "revert"
]
CHANGE_TYPES: tuple[ChangeType, ...] = get_args(ChangeType)

FileKind = Literal["code", "test", "docs", "ci", "build", "generated", "other"]
"""What a file is, judged by its path (`analysis.paths.file_kind`). Only `code`, `build` and
`generated` files change what ships; `generated` files (lockfiles, vendored trees, generated
code) are written by tools."""
FILE_KINDS: tuple[FileKind, ...] = get_args(FileKind)

InsightKind = Literal["architecture", "performance", "security"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Record):
    name: str
    email: str
    login: str | None = None
    """The GitHub account git's name and email belong to, when GitHub knows it."""


PR_BODY_LIMIT = 4000


class PullRequest(_Record):
    """The pull request that brought a commit to the branch. All text is untrusted."""

    number: int
    title: str = ""
    url: str | None = None
    """None when only the number is known (from a squash-merge subject's `(#1234)`):
    title, labels and body then come from GitHub only."""
    labels: tuple[str, ...] = ()
    body: str = ""
    """The first PR_BODY_LIMIT characters of the description."""


class FileChange(_Record):
    """One file of a commit's diff against its first parent."""

    path: str
    additions: int
    deletions: int
    old_path: str | None = None
    """The path before a rename, when git detected one."""
    binary: bool = False
    """Binary files have no line counts; additions and deletions are 0."""

    @property
    def changed_lines(self) -> int:
        return self.additions + self.deletions


InterfaceKind = Literal["option", "env", "dependency"]
InterfaceChangeKind = Literal["added", "removed", "default"]


class InterfaceChange(_Record):
    """One declared interface of the project that a commit (or a release) changed: a
    command-line option or configuration field, an environment variable, a pinned
    dependency. Found by comparing the declarations at the commit and its first parent."""

    kind: InterfaceKind
    name: str
    """As declared: the field or variable (`SGLANG_USE_MODELSCOPE`), the flag for an option
    declared as one (`--max-running-requests`), the package for a dependency (`torch`)."""
    change: InterfaceChangeKind
    """`default`: the default's (or the version's) source text changed."""
    file: str
    """Where it is declared."""
    old: str | None = None
    new: str | None = None
    """The default or version text before and after (None where there is none)."""

    @model_serializer(mode="wrap")
    def _every_key(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Records drop None fields (`exclude_none`); a change keeps all six keys, `null`
        # where there is no default or version, so readers of the JSON see one shape.
        return dict.fromkeys(type(self).model_fields) | handler(self)


class Insight(_Record):
    kind: InsightKind
    text: str


class ScorePart(_Record):
    """One term of the importance score, kept structured so each page can say it in its language."""

    factor: str
    """`change_type`, `breaking`, `size`, `files`, `modules`, `file_kind`, `critical_path`,
    `interface_removed` or `interface_default`."""
    value: str
    """What was measured: the declared type, the line or file count, the majority kind."""
    points: int


class Analysis(_Record):
    """What an analyzer concluded about one commit. All text is plain text, never markup."""

    tier: Tier
    change_type: ChangeType
    summary: str
    modules: tuple[str, ...] = ()
    """Top modules by lines changed, most changed first."""
    key_files: tuple[str, ...] = ()
    insights: tuple[Insight, ...] = ()
    risks: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    analyzer: str
    """Which analyzer made it, e.g. `rules@1` or `llm:<model>@<prompt version>`."""
    language: Language
    fallback_reason: str | None = None
    """Set when the configured analyzer failed and another one stood in."""
    score: int | None = None
    """The importance score the tier was cut from (None in records made before rules@2)."""
    score_parts: tuple[ScorePart, ...] = ()
    """The terms of `score`, in the order the score line shows them."""
    settings: str | None = None
    """A short hash of the settings the score parts cannot show (the repository's critical
    paths); when it differs from the analyzer's current one, the commit is re-analysed."""
    input_hash: str | None = None
    """What an LLM was given (facts, tier, budget), hashed: the cache key of its analysis."""
    tokens_in: int | None = None
    tokens_out: int | None = None
    """Tokens an LLM read and wrote for this analysis, repair requests included."""
    topics: tuple[str, ...] = Field((), exclude_if=lambda topics: not topics)
    """The glossary's topics the commit's subject, pull request and paths name, in the
    analysis' language (`analysis.topics`): facts, whichever analyzer wrote the rest. Left
    out of the JSON when there are none, so a record of commits without topics is unchanged."""
    ignored: str | None = None
    """The repository's noise rule (`ignore:`) that matched, as `author dependabot[bot]`,
    `subject ^\\[Auto Sync\\]` or `paths docs/**`: the commit is rated low, never sent to an
    LLM, and left out of feeds, watches and notifications."""


class Overview(_Record):
    """A paragraph on what mattered most in one repository's day, written from its
    commits' analyses. Plain text, like every analysis."""

    text: str
    analyzer: str
    language: Language
    input_hash: str
    """The analyses it was written from, hashed: unchanged analyses keep the overview."""
    tokens_in: int | None = None
    tokens_out: int | None = None


class Commit(_Record):
    sha: str
    parents: tuple[str, ...]
    author: Person
    committer: Person
    authored_at: datetime
    committed_at: datetime
    """Selection is by committer date: it is when the commit landed on the branch."""
    subject: str
    body: str = ""
    files: tuple[FileChange, ...] = ()
    files_truncated: bool = False
    """The source listed only part of the files (GitHub stops at 3,000 per commit)."""
    pull_request: PullRequest | None = None
    interface_changes: tuple[InterfaceChange, ...] | None = None
    """The options, environment variables and dependencies it changed, sorted by file, kind
    and name; None when not known (recorded before they were, or its source could not say)."""
    interface_notes: tuple[str, ...] | None = None
    """Why some of them are not known: a declaring file that does not parse at one side."""
    analysis: Analysis | None = None
    dropped_at: datetime | None = None
    """When a re-fetch no longer found it on the branch (history rewritten upstream).
    Published commits are kept, marked, rather than silently disappearing."""

    @property
    def short_sha(self) -> str:
        return self.sha[:12]

    @property
    def title(self) -> str:
        """The subject as pages and feeds show it; the short sha when nothing printable
        is left of it (an empty message, or one of control characters only)."""
        return self.subject if one_line(self.subject) else self.short_sha

    @property
    def author_label(self) -> str:
        """The author's name, or the email when the name is empty."""
        return self.author.name if one_line(self.author.name) else self.author.email

    @property
    def tier(self) -> Tier:
        """The analysis' tier; a commit not analysed (yet) counts as low."""
        return self.analysis.tier if self.analysis else "low"

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def additions(self) -> int:
        return sum(f.additions for f in self.files)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.files)


RECORD_FORMAT = 1
"""The version of the record file's shape. A release that changes the shape raises it and
adds the step from the previous one to `recordformat.MIGRATIONS`, so older files are read
forward; a file of a higher format than this is refused (`NewerRecord`), never rewritten."""


class DayRecord(_Record):
    """One repository's commits in one local day, newest first."""

    repo: str
    branch: str
    day: date
    timezone: str
    window_start: datetime
    window_end: datetime
    """Exclusive: the next local midnight."""
    fetched_at: datetime
    complete: bool
    """False when the window had not ended when fetched, or the fetch failed."""
    error: str | None = None
    """Why the record is incomplete, when a fetch failed."""
    commits: tuple[Commit, ...] = ()
    overview: Overview | None = None
    format: int = Field(RECORD_FORMAT, ge=1, exclude_if=lambda version: version == 1)
    """`RECORD_FORMAT` when written. Format 1, the files written before formats were
    numbered, carries no key, so those files stay byte for byte what they were."""

    @property
    def status(self) -> Literal["complete", "failed", "open", "behind"]:
        """Why a record is not complete: its fetch failed, its day had not ended when it
        was fetched, or its source had not caught up with the upstream past the day's end
        (a clone not fetched since). The next run retries every one of them."""
        if self.complete:
            return "complete"
        if self.error:
            return "failed"
        return "open" if self.fetched_at < self.window_end else "behind"

    def tier_counts(self) -> dict[Tier, int]:
        """Commits per tier, high first."""
        tiers = [c.tier for c in self.commits]
        return {tier: tiers.count(tier) for tier in TIERS}

    def same_content(self, other: DayRecord) -> bool:
        """Equal apart from when it was fetched: re-running a day must not rewrite it."""
        return self.model_copy(update={"fetched_at": other.fetched_at}) == other
