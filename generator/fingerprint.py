"""What the output depends on besides the records: this generator's code and templates.

A cache of rendered pages or of a built site is only good for the code that made it.
Rather than trust a version number someone must remember to raise, the caches carry
a hash of the generator's own source files: any change of the code or a template
(an upgrade, a local edit) makes the next run start over from the records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCES = ("*.py", "*.j2")


@cache
def code_fingerprint() -> str:
    """A hash of every source file and template of the `generator` package."""
    return files_fingerprint(path for pattern in SOURCES for path in PACKAGE.rglob(pattern))


def files_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of files of the `generator` package: their names and their bytes."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(paths):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(*parts: str | bytes) -> str:
    """A short hash of `parts`, in order."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()
