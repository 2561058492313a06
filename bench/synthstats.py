"""How a generated history compares with the real commits it imitates: a Markdown table.

Read from the plan synthrepo.py writes (one line per commit: time, subject, changes), so
it costs seconds even at 50,000 commits; `python bench/synthrepo.py OUT --stats`.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from synthdata import PR_SUFFIX, Shapes

TZ = ZoneInfo("Asia/Shanghai")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Tally:
    """The numbers of one history, commit by commit."""

    def __init__(self) -> None:
        self.files: list[int] = []
        self.lines: list[int] = []
        self.changes = self.renames = self.chinese = self.numbered = 0
        self.per_day: Counter[str] = Counter()
        self.hours: Counter[int] = Counter()

    def add(self, subject: str, changes: Sequence[tuple[int, int, bool]], day: str) -> None:
        """`changes`: (lines added + deleted, renamed, binary) per file."""
        self.files.append(len(changes))
        self.lines.append(sum(c[0] for c in changes))
        self.changes += len(changes)
        self.renames += sum(1 for c in changes if c[1])
        self.chinese += bool(CHINESE.search(subject))
        self.numbered += bool(PR_SUFFIX.search(subject))
        self.per_day[day] += 1

    def row(self) -> list[str]:
        n = len(self.files)
        weekday = [c for d, c in self.per_day.items() if _weekday(d) < 5]
        weekend = [[c for d, c in self.per_day.items() if _weekday(d) == w] for w in (5, 6)]
        early = sum(self.hours[h] for h in range(8)) / max(1, sum(self.hours.values()))
        return [
            f"{n:,}",
            " / ".join(f"{statistics.mean(v):.0f}" if v else "-" for v in [weekday, *weekend]),
            f"{100 * self.files.count(1) / n:.0f}% / {_q(self.files, 0.5)} / "
            f"{statistics.mean(self.files):.1f} / {_q(self.files, 0.9)} / {max(self.files)}",
            f"{_q(self.lines, 0.5)} / {statistics.mean(self.lines):.0f} / {_q(self.lines, 0.9)}",
            f"{100 * self.renames / self.changes:.1f}",
            f"{100 * self.numbered / n:.0f}%",
            f"{100 * self.chinese / n:.0f}%",
            f"{100 * early:.0f}%",
        ]


def _weekday(day: str) -> int:
    return datetime.fromisoformat(day).weekday()


def _q(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def real(shapes: Shapes) -> Tally:
    tally = Tally()
    for template in shapes.templates:
        counts = [(f.additions + f.deletions, bool(f.old_path), f.binary) for f in template.files]
        suffix = " (#1)" if template.has_pr else ""
        tally.add(template.subject + suffix, counts, "")
    tally.per_day = Counter(shapes.day_counts)
    tally.hours = Counter(dict(enumerate(shapes.hours)))
    return tally


def synthetic(lines: Iterable[str]) -> Tally:
    tally = Tally()
    for line in lines:
        when, subject, rows = json.loads(line)
        moment = datetime.fromtimestamp(when, TZ)
        tally.add(subject, [(r[2] + r[3], bool(r[1]), r[4]) for r in rows], f"{moment:%Y-%m-%d}")
        tally.hours[moment.hour] += 1
    return tally


def compare(plan: Path, shapes: Shapes) -> str:
    with gzip.open(plan, "rt", encoding="utf-8") as lines:
        made = synthetic(lines)
    heads = [
        "commits",
        "a day: weekday / Sat / Sun",
        "files a commit: one file / median / mean / p90 / max",
        "lines a commit (+ and −): median / mean / p90",
        "renames per 100 files",
        "with a PR number",
        "Chinese subject",
        "committed 00–08 h Shanghai",
    ]
    rows = zip(heads, real(shapes).row(), made.row(), strict=True)
    out = ["| | real sglang (fixtures) | generated |", "|---|---|---|"]
    out += [f"| {head} | {a} | {b} |" for head, a, b in rows]
    return "\n".join(out)
