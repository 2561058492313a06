"""The conditions the pipeline reports to its user; only the CLI turns them into exit codes."""


class DigestError(Exception):
    """Base class: a condition with a one-line message meant for the user."""

    exit_code = 1


class ConfigError(DigestError):
    """The configuration or the command line is wrong; the user must fix it."""

    exit_code = 2


class SourceUnavailable(DigestError):
    """A repository's commits could not be read now; a later run may succeed."""


class RecordCorrupt(DigestError):
    """A record file on disk cannot be read back as a day record."""


class NewerRecord(DigestError):
    """A record file was written by a newer commit-digest, in a format this one cannot read."""

    exit_code = 2


class AnalysisFailed(DigestError):
    """An analyzer could not produce an analysis for one commit."""


class OutputCollision(DigestError):
    """Two outputs of one run claimed the same path, or a path left the output folder."""


class RunLocked(DigestError):
    """Another run holds the archive's lock."""


class SourceExhausted(SourceUnavailable):
    """A source can answer nothing more in this run (an API rate limit is used up): the
    repository's remaining days wait for the next run."""


class NotFound(SourceUnavailable):
    """GitHub answered 404; `reason` is its message ("Not Found", "Branch not found")."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class SiteBuildFailed(DigestError):
    """The site engine (MkDocs) refused the pages or could not write the site."""
