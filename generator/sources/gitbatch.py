"""Long-lived git processes, and threads that read a run's days ahead through them.

A backfill used to start `cat-file --batch` and `diff-tree --stdin` once per day: 3,384
processes for 1,692 days, each with cold object caches, and git idle while Python
analysed and wrote the day. Here one pair serves the whole run. Each request ends with
a marker line the command answers at once (`cat-file` reports a random name missing,
`diff-tree` echoes a line that is no object name, and flushes), so the answer to a
request is exactly what comes before the marker's answer. `DayPrefetcher` keeps the next
days' requests queued in `diff-tree` while the pipeline records this one: git and
Python each get a core.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import secrets
import selectors
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
PIPE_SIZE = 1 << 20
"""Bytes a pipe to or from git may hold (Linux allows 1 MiB unprivileged): a few dozen
days of requests and answers, so neither side waits on the other's scheduling."""


class ProcessFailed(Exception):
    """The command exited before answering; the message is its stderr's first line."""

    def __init__(self, stderr: bytes) -> None:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        super().__init__(lines[0] if lines else "git failed without a message")


class GitProcess:
    """One git command that answers requests on stdin for as long as it runs.

    `marker` is written after each request and `answer` is how the command replies to
    it. A command that dies (a missing object is fatal to `diff-tree`) fails the request
    it was answering with ProcessFailed. `ask` writes a request and reads its answer;
    `send` and `receive` do each half, so that one thread can queue requests while
    another reads the answers in order."""

    def __init__(
        self, cwd: Path, args: list[str], env: Mapping[str, str], marker: bytes, answer: bytes
    ) -> None:
        self.cwd, self.args, self.env = cwd, args, dict(env)
        self.marker, self.answer = marker, answer
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._errors_at = 0
        """Where in stderr the answer being read began: its error is what follows."""
        self._unread = bytearray()
        """Answers to later requests, read with an earlier one (`send` queues several)."""

    def ask(self, request: bytes) -> bytes:
        """The answer to `request`, written and read at once: a large request must not
        wait for the reading of an answer that fills the pipe the other way. A command
        that died before is started again."""
        proc = self._proc or self.start()
        assert proc.stdin is not None and proc.stdout is not None
        pending = memoryview(request + self.marker)
        out = bytearray()
        os.set_blocking(proc.stdin.fileno(), False)
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(proc.stdout, selectors.EVENT_READ)
                selector.register(proc.stdin, selectors.EVENT_WRITE)
                while True:
                    for key, _ in selector.select():
                        if key.fileobj is proc.stdout:
                            if (done := self._read(out)) is not None:
                                return done
                            continue
                        try:
                            pending = pending[os.write(proc.stdin.fileno(), pending) :]
                        except BlockingIOError:
                            continue
                        except BrokenPipeError:
                            pending = pending[:0]  # it died: reading tells why
                        if not pending:
                            selector.unregister(proc.stdin)
        finally:
            if self._proc is not None and self._proc.stdin is not None:
                os.set_blocking(self._proc.stdin.fileno(), True)

    def send(self, request: bytes) -> None:
        """Queue a request (blocking while the pipe is full); ProcessFailed if it is gone."""
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise ProcessFailed(b"")
        try:
            proc.stdin.write(request + self.marker)
        except (OSError, ValueError):
            raise ProcessFailed(b"") from None

    def receive(self) -> bytes:
        """The answer to the oldest request not yet answered."""
        out = self._unread
        if (end := out.find(self.answer)) >= 0:  # it came with the previous one
            answer = bytes(out[:end])
            del out[: end + len(self.answer)]
            return answer
        while (done := self._read(out)) is None:
            pass
        return done

    def start(self) -> subprocess.Popen[bytes]:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._errors_at = 0
        self._unread = bytearray()
        try:
            proc = subprocess.Popen(
                ["git", "-c", "core.quotepath=off", *self.args],
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                bufsize=0,
            )
        except BaseException:
            self._stderr.close()
            self._stderr = None
            raise
        assert proc.stdin is not None and proc.stdout is not None
        for stream in (proc.stdin, proc.stdout):
            # Not Linux, or over the system's limit: the default size works too.
            with contextlib.suppress(AttributeError, OSError):
                fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self._proc = proc
        return proc

    def kill(self) -> None:
        """Stop the command from another thread; the request it serves fails."""
        proc = self._proc
        if proc is not None:
            proc.kill()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _read(self, out: bytearray) -> bytes | None:
        """Read what is there into `out`; once an answer has come whole, take it out of
        `out` and return it (what follows it belongs to the next request)."""
        proc = self._proc
        if proc is None or proc.stdout is None:
            raise ProcessFailed(b"")
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            raise self._failed()
        searched = max(len(out) - len(self.answer) + 1, 0)
        out += chunk
        end = out.find(self.answer, searched)
        if end < 0:
            return None
        assert self._stderr is not None
        self._errors_at = os.fstat(self._stderr.fileno()).st_size
        answer = bytes(out[:end])
        del out[: end + len(self.answer)]
        return answer

    def _failed(self) -> ProcessFailed:
        assert self._proc is not None and self._stderr is not None
        self._proc.wait()
        self._stderr.seek(self._errors_at)
        stderr = self._stderr.read()
        self.close()
        return ProcessFailed(stderr)


def cat_file(cwd: Path, env: Mapping[str, str]) -> GitProcess:
    """`git cat-file --batch`; a name that is no object is answered `<name> missing`."""
    name = secrets.token_hex(20).encode()
    return GitProcess(cwd, ["cat-file", "--batch"], env, name + b"\n", name + b" missing\n")


def diff_tree(cwd: Path, env: Mapping[str, str], args: list[str]) -> GitProcess:
    """`git diff-tree --stdin ...`: a line that is not an object name is echoed, flushed."""
    marker = b"~end " + secrets.token_hex(16).encode() + b"\n"
    return GitProcess(cwd, ["diff-tree", "--stdin", *args], env, marker, marker)


_STOPPED = object()
"""In place of a day's result: reading ahead ended early (git died)."""

Item = tuple[object, object, bool]
"""(day, result, whether the result is an exception to raise)."""


class DayPrefetcher(Generic[T, R]):
    """Reads the planned days in order, ahead of the consumer, on two threads.

    The feeder asks `objects(day)` for the day's commits and the `diff-tree` request that
    lists their files, and queues that request at once; the collector reads the answers
    in order and hands `files(commits, answer)` to `take(day)`. So `diff-tree` always has
    the next days queued and never waits for Python. (Two `diff-tree` processes taking
    turns were slower on 2 cores: the analysis needs the other one.)

    An error reading a day is raised by `take` for that day. When `diff-tree` dies (a
    missing object is fatal to it), `take` answers None from the day it was answering
    on: the caller reads those day by day, each with processes of its own, which fail
    (or not) exactly as they always did.
    """

    def __init__(
        self,
        days: Sequence[T],
        objects: Callable[[T], tuple[R, bytes]],
        files: Callable[[R, bytes], object],
        cat: GitProcess,
        diff: GitProcess,
        ahead: int = 64,
    ) -> None:
        self._days = deque(days)
        self._diff = diff
        self._processes = [cat, diff]
        self._sent: queue.Queue[Item] = queue.Queue(maxsize=ahead)
        self._results: queue.Queue[Item] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._halted = threading.Event()
        """diff-tree died: the feeder queues nothing more."""
        diff.start()
        self._feeder = threading.Thread(target=self._feed, args=(list(days), objects), daemon=True)
        self._collector = threading.Thread(target=self._collect, args=(files,), daemon=True)
        self._feeder.start()
        self._collector.start()

    @property
    def done(self) -> bool:
        """Every planned day was taken (or reading ahead stopped): time to close."""
        return not self._days

    def take(self, day: T) -> object | None:
        """The result for `day` if it is the next planned one; else None."""
        if not self._days or self._days[0] != day:
            return None
        self._days.popleft()
        got, result, failed = self._next()
        if result is _STOPPED:
            self._days.clear()
            return None
        assert got == day, (got, day)
        if failed:
            assert isinstance(result, BaseException)
            raise result
        return result

    def close(self) -> None:
        self._stop.set()
        for process in self._processes:
            process.kill()  # a request under way ends now
        self._feeder.join(timeout=30)
        self._collector.join(timeout=30)
        for process in self._processes:
            process.close()
        self._days.clear()

    def _next(self) -> Item:
        while True:
            try:
                return self._results.get(timeout=1)
            except queue.Empty:
                if not self._collector.is_alive() and self._results.empty():
                    return (None, _STOPPED, False)  # it ended early: day by day from here

    def _put(self, target: queue.Queue[Item], item: Item, *also: threading.Event) -> bool:
        """Put `item` once there is room; False if the reading stopped meanwhile."""
        while not (self._stop.is_set() or any(event.is_set() for event in also)):
            try:
                target.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _feed(self, days: list[T], objects: Callable[[T], tuple[R, bytes]]) -> None:
        for day in days:
            if self._stop.is_set() or self._halted.is_set():
                return
            try:
                found, request = objects(day)
            except Exception as exc:  # raised by take() for this day
                item: Item = (day, exc, True)
            else:
                if request:
                    with contextlib.suppress(ProcessFailed):  # the collector finds out
                        self._diff.send(request)
                item = (day, (found, bool(request)), False)
            if not self._put(self._sent, item, self._halted):
                return

    def _collect(self, files: Callable[[R, bytes], object]) -> None:
        while not self._stop.is_set():
            try:
                day, sent, failed = self._sent.get(timeout=0.1)
            except queue.Empty:
                if self._feeder.is_alive() or not self._sent.empty():
                    continue
                return
            if not failed:
                found, asked = sent  # type: ignore[misc]
                try:
                    answer = self._diff.receive() if asked else b""
                except ProcessFailed:
                    self._halted.set()
                    self._put(self._results, (day, _STOPPED, False))
                    return
                try:
                    sent, failed = files(found, answer), False
                except Exception as exc:
                    sent, failed = exc, True
            if not self._put(self._results, (day, sent, failed)):
                return
