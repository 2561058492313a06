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
import multiprocessing
import queue
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

from generator.errors import SourceUnavailable
from generator.interfaces import CommitInterfaces, Extractor, FileRevision, Rule
from generator.sources.gitbatch import GitProcess, ProcessFailed, cat_file, diff_tree
from generator.sources.gitparse import Revisions, parse_batch, parse_diff_tree


class Declared:
    """A source's interface extraction: the extractor with its caches, and its `cat-file`."""

    def __init__(self, path: Path, env: Mapping[str, str], rules: Sequence[Rule], label: str):
        self.extractor = Extractor(rules)
        self._path, self._env, self._label = path, dict(env), label
        self._cat: GitProcess | None = None

    def changes(
        self,
        shas: Sequence[str],
        revisions: Mapping[str, Sequence[FileRevision]],
        read: Mapping[str, bytes] | None = None,
    ) -> dict[str, CommitInterfaces]:
        """Each commit's changes; `shas` newest first, as a day lists them. `read` holds
        blobs read already; the others are read here."""
        reader = self._read if read is None else partial(self._read_first, read)
        found: dict[str, CommitInterfaces] = {}
        for sha in reversed(shas):
            files = revisions.get(sha, ())
            found[sha] = self.extractor.changes(files, reader) if files else CommitInterfaces()
        return found

    def close(self) -> None:
        cat, self._cat = self._cat, None
        if cat is not None:
            cat.close()

    def _read_first(self, read: Mapping[str, bytes], ids: Sequence[str]) -> dict[str, bytes]:
        found = {i: read[i] for i in ids if i in read}
        missing = [i for i in ids if i not in found]
        return found | self._read(missing) if missing else found

    def _read(self, ids: Sequence[str]) -> dict[str, bytes]:
        if self._cat is None:
            self._cat = cat_file(self._path, self._env)
        try:
            return parse_batch(self._cat.ask("".join(f"{i}\n" for i in ids).encode()))
        except ProcessFailed as exc:
            raise SourceUnavailable(f"{self._label}: git cat-file failed: {exc}") from None


class DeclaredWorker:
    """The same extraction in a process of its own, for a backfill: it is told every day's
    commits up front, lists their files itself (`diff-tree --raw` without line counts takes
    a second for a year) and extracts day after day, while the pipeline reads, analyses
    and records the same days: two cores instead of one taking turns. Each answer carries
    its day's number, so one that is never taken (reading ahead stopped) is skipped.
    """

    def __init__(
        self,
        path: Path,
        env: Mapping[str, str],
        rules: Sequence[Rule],
        label: str,
        days: Sequence[Sequence[str]],
    ) -> None:
        context = multiprocessing.get_context("spawn")  # the parent has threads: no fork
        stop, self._stop = context.Pipe(duplex=False)  # (reading end, writing end)
        self._answers, answers = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(
                stop,
                answers,
                _Job(path, dict(env), tuple(rules), label, [list(d) for d in days]),
            ),
            daemon=True,
        )
        self._process.start()
        stop.close()
        answers.close()
        self._day_of = {day[0]: n for n, day in enumerate(days) if day}
        self._label = label

    def pending(self, shas: Sequence[str]) -> Callable[[], dict[str, CommitInterfaces]]:
        """The changes of a day told up front, by its commits (newest first)."""
        day = self._day_of.get(shas[0]) if shas else None
        if day is None:
            raise SourceUnavailable(f"{self._label}: a day the interface reader was not told")
        return lambda: self._take(day)

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stop.send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._stop.close()
        self._answers.close()

    def _take(self, day: int) -> dict[str, CommitInterfaces]:
        while True:
            try:
                got, answer = self._answers.recv()
            except (EOFError, OSError):
                raise SourceUnavailable(f"{self._label}: the interface reader stopped") from None
            if got == day:
                if isinstance(answer, Exception):
                    raise answer
                return answer  # type: ignore[no-any-return]


RAW = ["-z", "-r", "-M", "--raw", "--root"]
BATCH = 16
"""Days listed by one `diff-tree` request."""


@dataclass(frozen=True)
class _Job:
    """What the worker process is given: where to read, and every day's commits."""

    path: Path
    env: dict[str, str]
    rules: tuple[Rule, ...]
    label: str
    days: Sequence[Sequence[str]]


def _serve(stop: Connection, answers: Connection, job: _Job) -> None:
    declared = Declared(job.path, job.env, job.rules, job.label)
    days: queue.Queue[_Read] = queue.Queue(maxsize=2)
    done = threading.Event()
    ahead = threading.Thread(target=_read_days, args=(days, done, job), daemon=True)
    ahead.start()
    try:
        for n, day in enumerate(job.days):
            read = _next(days, ahead, job.label)
            if stop.poll():
                return
            try:
                if isinstance(read, Exception):
                    raise read
                answer: object = declared.changes(day, *read)
            except Exception as exc:  # raised where the day is taken
                answer = exc
            answers.send((n, answer))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the source closed, or the run was interrupted
    finally:
        done.set()
        declared.close()


_Read = tuple[Revisions, dict[str, bytes]] | SourceUnavailable
"""A day's commits' files and the blobs of those that may declare, or why git failed."""


def _next(days: queue.Queue[_Read], ahead: threading.Thread, label: str) -> _Read:
    while True:
        try:
            return days.get(timeout=0.5)
        except queue.Empty:
            if not ahead.is_alive():  # it died of something unforeseen: no day will come
                return SourceUnavailable(f"{label}: the interface reader stopped")


def _read_days(days: queue.Queue[_Read], done: threading.Event, job: _Job) -> None:
    """In a thread of the worker: each day's files (`diff-tree --raw`, `BATCH` days a
    request) and blobs (`cat-file`), a few days ahead, so that git reads while the
    extractor parses (git waits in the kernel, which lets the extractor run). A day's
    blobs are read on their own: a batch's can be 70 MB."""
    diff, cat = diff_tree(job.path, job.env, RAW), cat_file(job.path, job.env)
    wanted = Extractor(job.rules)  # only its memo of which paths may declare
    failed: SourceUnavailable | None = None
    try:
        try:
            parents = _first_parents(job.path, job.env, [sha for d in job.days for sha in d])
        except (OSError, subprocess.CalledProcessError) as exc:
            failed = SourceUnavailable(f"{job.label}: git rev-list failed: {exc}")
            parents = {}
        for start in range(0, len(job.days), BATCH):
            batch = job.days[start : start + BATCH]
            try:
                listed = failed or _revisions(diff, parents, batch)
            except ProcessFailed:
                listed = None  # a commit git cannot diff: the batch's days one by one
            for day in batch:
                revisions = listed
                if revisions is None:
                    try:
                        revisions = _revisions(diff, parents, [day])
                    except ProcessFailed as exc:
                        revisions = SourceUnavailable(f"{job.label}: git diff-tree failed: {exc}")
                item: _Read = (
                    revisions
                    if isinstance(revisions, SourceUnavailable)
                    else (revisions, _blobs(cat, wanted, day, revisions))
                )
                while not done.is_set():
                    try:
                        days.put(item, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if done.is_set():
                    return
    finally:
        diff.close()
        cat.close()


def _revisions(
    diff: GitProcess, parents: Mapping[str, str | None], days: Sequence[Sequence[str]]
) -> Revisions:
    request = "".join(
        f"{sha} {parents[sha]}\n" if parents.get(sha) else f"{sha}\n" for day in days for sha in day
    )
    return parse_diff_tree(diff.ask(request.encode()))[1] if request else {}


def _blobs(
    cat: GitProcess, wanted: Extractor, day: Sequence[str], revisions: Revisions
) -> dict[str, bytes]:
    ids = dict.fromkeys(
        blob
        for sha in day
        for f in wanted.candidates(revisions.get(sha, ()))
        for blob in (f.old_blob, f.new_blob)
        if blob and blob.strip("0")
    )
    try:
        return parse_batch(cat.ask("".join(f"{i}\n" for i in ids).encode())) if ids else {}
    except ProcessFailed:
        return {}  # the day reads its blobs again itself, and fails alone if it must


def _first_parents(path: Path, env: Mapping[str, str], shas: list[str]) -> dict[str, str | None]:
    done = subprocess.run(
        ["git", "rev-list", "--no-walk=unsorted", "--parents", "--stdin"],
        cwd=path,
        env=env,
        input="".join(f"{sha}\n" for sha in shas).encode(),
        capture_output=True,
        check=True,
    )
    found: dict[str, str | None] = {}
    for line in done.stdout.decode().splitlines():
        sha, *parents = line.split()
        found[sha] = parents[0] if parents else None
    return found
