"""Progress of a long run: a bar on a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None, bar: bool) -> None:
        self.stream = stream
        self.bar = bar
        self.total = 0
        self.done = 0

    @classmethod
    def for_stream(cls, stream: TextIO = sys.stderr) -> Progress:
        return cls(stream, bar=stream.isatty())

    @classmethod
    def quiet(cls) -> Progress:
        return cls(None, bar=False)

    def start(self, total: int) -> None:
        self.total, self.done = total, 0

    def step(self, line: str) -> None:
        self.done += 1
        if self.stream is None:
            return
        if self.bar:
            width = 30
            filled = width * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {line[:60]:<60}")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {line}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None and self.bar and self.total:
            self.stream.write("\n")
            self.stream.flush()
