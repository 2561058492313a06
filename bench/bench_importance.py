"""How well the importance score reproduces the tiers of the original daily reports.

    .venv/bin/python bench/bench_importance.py [--config digest.yml] [--data FILE] [--split DAY]

Prints, for the `importance:` settings of the config (defaults without one) and for the
baseline that rates every commit medium: exact agreement, agreement within one tier, and the
confusion matrix (Markdown, ready for the README). `--split DAY` also reports the commits
before DAY and from DAY on separately, to see that the weights hold on days they were not
tuned on. Judge a change of weights by these numbers.
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
DATA = ROOT.parent / "shared" / "data" / "tier-labels-sglang-2026-01-08_2026-04-30.json.gz"


def report(name: str, result: Agreement) -> str:
    head = (
        f"{name}: {result.total} commits, exact {result.exact:.1%}, "
        f"within one tier {result.within_one:.1%}"
    )
    return f"{head}\n\n{result.table()}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, help="digest.yml whose importance: to measure")
    parser.add_argument("--data", type=Path, default=DATA, help="labelled commits (.json[.gz])")
    parser.add_argument("--split", help="also report before / from this day (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    try:
        importance = load_config(args.config).importance if args.config else Importance()
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if not args.data.exists():
        print(f"Error: {args.data} not found; pass --data FILE", file=sys.stderr)
        return 2
    labelled = load_labelled(args.data)
    analyzer = RulesAnalyzer("en", importance=importance)
    predicted = {item.commit.sha: analyzer.analyze(item.commit).tier for item in labelled}

    def measure(items: list[Labelled]) -> Agreement:
        return agreement(items, lambda c: predicted[c.sha])

    print(f"data: {args.data.name}\n")
    print(
        report(
            "importance score (" + (str(args.config) if args.config else "defaults") + ")",
            measure(labelled),
        )
    )
    if args.split:
        before = [i for i in labelled if i.day < args.split]
        after = [i for i in labelled if i.day >= args.split]
        print(report(f"  days before {args.split}", measure(before)))
        print(report(f"  days from {args.split}", measure(after)))
    print(report("always medium", agreement(labelled, lambda c: "medium")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
