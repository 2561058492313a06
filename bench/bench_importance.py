"""How well the importance score reproduces the tiers of the original daily reports.

    .venv/bin/python bench/bench_importance.py [--config digest.yml] [--data FILE ...]
        [--split DAY]

Prints, for the `importance:` settings of the config (defaults without one) and for the
baseline that rates every commit medium: exact agreement, agreement within one tier, and the
confusion matrix (Markdown, ready for the README), for each labelled data set (`--data` may
be given several times; without it, every set in shared/data: sgl-project/sglang and
ai-dynamo/dynamo), then one table of them all. The same weights must hold on every project:
it is one tool, not a fit per repository. `--split DAY` also reports the commits before DAY
and from DAY on separately, to see that the weights hold on days they were not tuned on.
Judge a change of weights by these numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.analysis.calibration import Agreement, Labelled, agreement, load_labelled
from generator.analysis.rules import RulesAnalyzer
from generator.config import load_config
from generator.config.importance import Importance
from generator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DATA = (
    SHARED / "tier-labels-sglang-2026-01-08_2026-04-30.json.gz",
    SHARED / "tier-labels-dynamo-2026-01-01_2026-02-28.json.gz",
)


def report(name: str, result: Agreement) -> str:
    head = (
        f"{name}: {result.total} commits, exact {result.exact:.1%}, "
        f"within one tier {result.within_one:.1%}"
    )
    return f"{head}\n\n{result.table()}\n"


def measure_set(path: Path, analyzer: RulesAnalyzer, label: str, split: str | None) -> Agreement:
    """Prints one data set's figures; returns its agreement over all its commits."""
    labelled = load_labelled(path)
    predicted = {item.commit.sha: analyzer.analyze(item.commit).tier for item in labelled}

    def measure(items: list[Labelled]) -> Agreement:
        return agreement(items, lambda c: predicted[c.sha])

    result = measure(labelled)
    print(f"data: {path.name}\n")
    print(report(f"importance score ({label})", result))
    if split:
        before = [i for i in labelled if i.day < split]
        after = [i for i in labelled if i.day >= split]
        print(report(f"  days before {split}", measure(before)))
        print(report(f"  days from {split}", measure(after)))
    print(report("always medium", agreement(labelled, lambda c: "medium")))
    return result


def summary(results: dict[str, Agreement]) -> str:
    lines = ["| data | commits | exact | within one tier |", "|---|--:|--:|--:|"]
    for name, result in results.items():
        lines.append(f"| {name} | {result.total} | {result.exact:.1%} | {result.within_one:.1%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, help="digest.yml whose importance: to measure")
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        help="labelled commits (.json[.gz]); repeat for several sets (default: shared/data's)",
    )
    parser.add_argument("--split", help="also report before / from this day (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    try:
        importance = load_config(args.config).importance if args.config else Importance()
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    paths: list[Path] = args.data or list(DATA)
    if missing := [p for p in paths if not p.exists()]:
        print(f"Error: {missing[0]} not found; pass --data FILE", file=sys.stderr)
        return 2
    analyzer = RulesAnalyzer("en", importance=importance)
    label = str(args.config) if args.config else "defaults"
    results = {p.name: measure_set(p, analyzer, label, args.split) for p in paths}
    if len(results) > 1:
        print(f"all sets, importance score ({label}):\n\n{summary(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
