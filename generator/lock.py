"""One run at a time per archive: a second run stops with a clear line instead of racing."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import RunLocked

LOCK_NAME = ".digest.lock"


@contextmanager
def archive_lock(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `data_dir/.digest.lock` for the duration of a run.

    flock is released by the kernel when the process dies, so a killed run
    never leaves a stale lock behind.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_NAME
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RunLocked(
                f"another run ({holder}) is writing {data_dir}; wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
