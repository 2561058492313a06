"""The benchmarks' repository generator keeps its promise: git counts what it planned."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import synthrepo

from gitrepo import run_git


def test_a_small_history_matches_its_plan_and_is_reproducible(tmp_path):
    first = synthrepo.generate(tmp_path / "a", 300, date(2026, 1, 5), seed=3, per_day=20)
    again = synthrepo.generate(tmp_path / "b", 300, date(2026, 1, 5), seed=3, per_day=20)
    assert first.commits == 300 and first.first_day == "2026-01-05"
    assert synthrepo.verify(tmp_path / "a") == 300  # every commit's numstat as planned
    heads = [run_git(tmp_path / n, "rev-parse", "refs/heads/main") for n in ("a", "b")]
    assert heads[0] == heads[1]
    assert again.days == first.days
