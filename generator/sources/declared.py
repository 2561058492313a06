"""Interface changes for the commits a clone yields (README: Interface changes).

`diff-tree --raw` (beside `--numstat`, in the same long-lived process) gives each file's
blob ids at the commit and its first parent; one more long-lived `cat-file --batch`
reads the blobs of the files that can declare, and one `Extractor` per source keeps
what it read, so a file's new revision is the old revision of the next commit that
touches it, and only the pieces a commit changed are parsed again. A day's commits are
extracted oldest first, the order in which each derives from the one before.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from generator.errors import SourceUnavailable
from generator.interfaces import CommitInterfaces, Extractor, FileRevision, Rule
from generator.sources.gitbatch import GitProcess, ProcessFailed, cat_file
from generator.sources.gitparse import parse_batch


class Declared:
    """A source's interface extraction: the extractor with its caches, and its `cat-file`."""

    def __init__(self, path: Path, env: Mapping[str, str], rules: Sequence[Rule], label: str):
        self.extractor = Extractor(rules)
        self._path, self._env, self._label = path, dict(env), label
        self._cat: GitProcess | None = None

    def changes(
        self, shas: Sequence[str], revisions: Mapping[str, Sequence[FileRevision]]
    ) -> dict[str, CommitInterfaces]:
        """Each commit's changes; `shas` newest first, as a day lists them."""
        found: dict[str, CommitInterfaces] = {}
        for sha in reversed(shas):
            files = revisions.get(sha, ())
            found[sha] = self.extractor.changes(files, self._read) if files else CommitInterfaces()
        return found

    def close(self) -> None:
        cat, self._cat = self._cat, None
        if cat is not None:
            cat.close()

    def _read(self, ids: Sequence[str]) -> dict[str, bytes]:
        if self._cat is None:
            self._cat = cat_file(self._path, self._env)
        try:
            return parse_batch(self._cat.ask("".join(f"{i}\n" for i in ids).encode()))
        except ProcessFailed as exc:
            raise SourceUnavailable(f"{self._label}: git cat-file failed: {exc}") from None


class DeclaredWorker:
    """The same extraction in a process of its own, for a backfill: the pipeline's Python
    (analysis, records) and the extractor's (parsing the declaring files) then run on two
    cores instead of taking turns on one. Days are submitted in order by the thread that
    reads ahead and taken in order by the pipeline; each answer carries its ticket, so one
    that is never taken (reading ahead stopped early) is skipped, not mistaken for another.
    """

    def __init__(self, path: Path, env: Mapping[str, str], rules: Sequence[Rule], label: str):
        context = multiprocessing.get_context("spawn")  # the parent has threads: no fork
        requests, self._requests = context.Pipe(duplex=False)  # (reading end, writing end)
        self._answers, answers = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(requests, answers, path, dict(env), tuple(rules), label),
            daemon=True,
        )
        self._process.start()
        requests.close()
        answers.close()
        self._tickets = itertools.count()
        self._label = label

    def submit(
        self, shas: Sequence[str], revisions: Mapping[str, Sequence[FileRevision]]
    ) -> Callable[[], dict[str, CommitInterfaces]]:
        """Queue a day's commits; the callable returns their changes (call it once)."""
        ticket = next(self._tickets)
        try:
            self._requests.send((ticket, list(shas), dict(revisions)))
        except (OSError, ValueError):
            raise SourceUnavailable(f"{self._label}: the interface reader stopped") from None
        return lambda: self._take(ticket)

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._requests.send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._requests.close()
        self._answers.close()

    def _take(self, ticket: int) -> dict[str, CommitInterfaces]:
        while True:
            try:
                got, answer = self._answers.recv()
            except (EOFError, OSError):
                raise SourceUnavailable(f"{self._label}: the interface reader stopped") from None
            if got == ticket:
                if isinstance(answer, Exception):
                    raise answer
                return answer  # type: ignore[no-any-return]


def _serve(
    requests: Connection,
    answers: Connection,
    path: Path,
    env: dict[str, str],
    rules: tuple[Rule, ...],
    label: str,
) -> None:
    declared = Declared(path, env, rules, label)
    try:
        while (request := requests.recv()) is not None:
            ticket, shas, revisions = request
            try:
                answer: object = declared.changes(shas, revisions)
            except Exception as exc:  # raised where the day is taken
                answer = exc
            answers.send((ticket, answer))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the source closed, or the run was interrupted
    finally:
        declared.close()
