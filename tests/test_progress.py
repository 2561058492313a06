from __future__ import annotations

import io

from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_in_logs():
    stream = io.StringIO()
    progress = Progress.for_stream(stream)
    progress.start(2)
    progress.step("2026-02-10 o/r: 3 commits")
    progress.step("2026-02-11 o/r: 0 commits")
    progress.finish()
    assert stream.getvalue() == "[1/2] 2026-02-10 o/r: 3 commits\n[2/2] 2026-02-11 o/r: 0 commits\n"


def test_a_bar_on_a_terminal():
    stream = Terminal()
    progress = Progress.for_stream(stream)
    progress.start(4)
    progress.step("2026-02-10 o/r")
    progress.finish()
    text = stream.getvalue()
    assert text.startswith("\r[" + "#" * 7 + "-" * 23 + "] 1/4 2026-02-10 o/r")
    assert text.endswith("\n") and text.count("\n") == 1
