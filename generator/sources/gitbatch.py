"""Long-lived git processes, and a thread that reads a run's days ahead through them.

A backfill used to start `cat-file --batch` and `diff-tree --stdin` once per day: 3,384
processes for 1,692 days, each with cold object caches, and git idle while Python
analysed and wrote the day. Here one pair serves the whole run: each request ends with
a marker line the command answers right away (`cat-file` reports a random name missing,
`diff-tree` echoes a line that is not an object name and flushes), so the answer to a
request is exactly what comes before the marker's answer. `ReadAhead` asks for the
run's days in order on a thread, so git works on the next days while the pipeline
records this one: git and Python each get a core.
"""

from __future__ import annotations

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


class ProcessFailed(Exception):
    """The command exited before answering; the message is its stderr's first line."""

    def __init__(self, stderr: bytes) -> None:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        super().__init__(lines[0] if lines else "git failed without a message")


class GitProcess:
    """One git command that answers requests on stdin for as long as it runs.

    `marker` is written after each request and `answer` is how the command replies to
    it. A command that dies (a missing object is fatal to `diff-tree`) fails the request
    it was answering with ProcessFailed; the next request starts a fresh one."""

    def __init__(
        self, cwd: Path, args: list[str], env: Mapping[str, str], marker: bytes, answer: bytes
    ) -> None:
        self.cwd, self.args, self.env = cwd, args, dict(env)
        self.marker, self.answer = marker, answer
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def ask(self, request: bytes) -> bytes:
        """Everything the command writes in answer to `request`, the marker's answer left out."""
        proc = self._proc or self._start()
        assert proc.stdin is not None and proc.stdout is not None and self._stderr is not None
        errors_from = os.fstat(self._stderr.fileno()).st_size
        pending = memoryview(request + self.marker)
        out = bytearray()
        # Written and read at once: a large request must not wait for the reading of an
        # answer that fills the pipe the other way.
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            selector.register(proc.stdin, selectors.EVENT_WRITE)
            while True:
                for key, _ in selector.select():
                    if key.fileobj is proc.stdin:
                        try:
                            pending = pending[os.write(proc.stdin.fileno(), pending[:65536]) :]
                        except BlockingIOError:
                            continue
                        except BrokenPipeError:
                            pending = pending[:0]  # it died: reading tells why
                        if not pending:
                            selector.unregister(proc.stdin)
                        continue
                    chunk = os.read(proc.stdout.fileno(), 1 << 16)
                    if not chunk:
                        raise self._failed(errors_from)
                    out += chunk
                    if out.endswith(self.answer):
                        del out[-len(self.answer) :]
                        return bytes(out)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
            proc.kill()
            proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def kill(self) -> None:
        """Stop the command from another thread; the request it serves fails."""
        proc = self._proc
        if proc is not None:
            proc.kill()

    def _start(self) -> subprocess.Popen[bytes]:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
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
        except FileNotFoundError:
            self._stderr.close()
            self._stderr = None
            raise
        assert proc.stdin is not None
        os.set_blocking(proc.stdin.fileno(), False)
        self._proc = proc
        return proc

    def _failed(self, errors_from: int) -> ProcessFailed:
        assert self._proc is not None and self._stderr is not None
        self._proc.wait()
        self._stderr.seek(errors_from)
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


class ReadAhead(Generic[T, R]):
    """Reads the planned keys in order on a thread, `read(key, reader)` each, a few ahead
    of the consumer; `take(key)` hands over the next one (or raises what reading it
    raised). A key asked out of order gets None: the caller then reads it itself."""

    def __init__(
        self,
        keys: Sequence[T],
        read: Callable[[T, R], object],
        reader: R,
        stop_reader: Callable[[], None],
        close_reader: Callable[[], None],
        ahead: int = 32,
    ) -> None:
        self._keys = deque(keys)
        self._results: queue.Queue[tuple[T, object, bool]] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._stop_reader = stop_reader
        self._close_reader = close_reader
        self._thread = threading.Thread(
            target=self._work, args=(list(keys), read, reader), name="git-read-ahead", daemon=True
        )
        self._thread.start()

    def next_key(self) -> T | None:
        return self._keys[0] if self._keys else None

    def take(self, key: T) -> object | None:
        if not self._keys or self._keys[0] != key:
            return None
        self._keys.popleft()
        while True:
            try:
                got, result, failed = self._results.get(timeout=1)
                break
            except queue.Empty:
                if not self._thread.is_alive():
                    raise RuntimeError("the read-ahead thread ended early") from None
        assert got == key, (got, key)
        if failed:
            assert isinstance(result, BaseException)
            raise result
        return result

    def close(self) -> None:
        self._stop.set()
        self._stop_reader()  # a request under way ends now
        self._thread.join(timeout=30)
        self._keys.clear()

    def _work(self, keys: list[T], read: Callable[[T, R], object], reader: R) -> None:
        try:
            for key in keys:
                if self._stop.is_set():
                    return
                try:
                    result, failed = read(key, reader), False
                except Exception as exc:  # handed to the consumer, raised there
                    result, failed = exc, True
                while not self._stop.is_set():
                    try:
                        self._results.put((key, result, failed), timeout=0.1)
                        break
                    except queue.Full:
                        continue
        finally:
            self._close_reader()
