"""Topics in the record: the rules analyzer gives each commit its topics in the archive's
language, a glossary change re-computes them from the recorded facts, and only the records
whose topics change are written again.

Real repositories (tests/gitrepo.py) run through the real pipeline; the records on disk are
what is checked.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from generator.config import load_config
from generator.pipeline import DayRange, run
from generator.records import load_record, record_path

from gitrepo import GitRepo

DAY, OTHER_DAY = date(2026, 3, 2), date(2026, 3, 3)
AFTER = datetime(2026, 3, 3, 17, tzinfo=UTC)  # 01:00 on 2026-03-04 in Shanghai: no new day
REPO = "o/r"


def make_project(tmp_path: Path, language: str = "zh", glossary: list | None = None) -> Path:
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit(
        "[Quant] Add FP8 block-wise GEMM kernels for MoE (#101)",
        {"python/pkg/layers/quantization/fp8.py": "x = 1\n" * 30},
        committed="2026-03-02T10:00:00+08:00",
    )
    repo.commit(
        "Handle the widget window in the frobnicator",
        {"python/pkg/widget.py": "y = 2\n"},
        committed="2026-03-02T11:00:00+08:00",
    )
    repo.commit(
        "修复量化内核的bug",
        {"python/pkg/kernels.py": "z = 3\n"},
        committed="2026-03-03T09:00:00+08:00",
    )
    write_config(tmp_path, language, glossary)
    return tmp_path / "digest.yml"


def write_config(folder: Path, language: str, glossary: list | None = None) -> None:
    config = {
        "site_url": "https://example.org/d/",
        "language": language,
        "repos": [{"name": REPO, "branch": "main", "path": "clone"}],
    }
    if glossary:
        config["glossary"] = glossary
    (folder / "digest.yml").write_text(json.dumps(config), encoding="utf-8")


def run_days(config_file: Path):
    config = load_config(config_file)
    return config, run(config, DayRange(DAY, OTHER_DAY), now=lambda: AFTER)


def topics(config, day: date) -> list[tuple[str, ...]]:
    record = load_record(config.data_dir, REPO, day)
    return [c.analysis.topics for c in reversed(record.commits)]  # oldest first


def test_each_commit_gets_its_topics_in_the_archives_language(tmp_path):
    config, _ = run_days(make_project(tmp_path / "zh"))
    assert topics(config, DAY) == [("量化", "矩阵乘", "算子", "混合专家"), ()]
    assert topics(config, OTHER_DAY) == [("量化", "算子")]
    config, _ = run_days(make_project(tmp_path / "en", language="en"))
    assert topics(config, DAY) == [("quantization", "GEMM", "kernel", "mixture of experts"), ()]
    assert topics(config, OTHER_DAY) == [("quantization", "kernel")]


def test_a_commit_without_topics_has_no_topics_key_in_its_record(tmp_path):
    config, _ = run_days(make_project(tmp_path))
    raw = json.loads(record_path(config.data_dir, REPO, DAY).read_text(encoding="utf-8"))
    widget, fp8 = raw["commits"]  # newest first
    assert "topics" not in widget["analysis"]
    assert fp8["analysis"]["topics"] == ["量化", "矩阵乘", "算子", "混合专家"]


def test_a_glossary_change_rewrites_only_the_records_whose_topics_change(tmp_path):
    config_file = make_project(tmp_path)
    _, first = run_days(config_file)
    assert first.records_written == 2
    other_day = record_path(load_config(config_file).data_dir, REPO, OTHER_DAY).read_bytes()
    widget = {"term": "widget", "zh": "小部件", "variants": ["widgets", "frobnicator"]}
    write_config(tmp_path, "zh", [widget])
    config = load_config(config_file)
    summary = run(config, now=lambda: AFTER)
    assert summary.records_written == 1  # the day of the widget commit only
    assert topics(config, DAY) == [("量化", "矩阵乘", "算子", "混合专家"), ("小部件",)]
    assert record_path(config.data_dir, REPO, OTHER_DAY).read_bytes() == other_day
    again = run(config, now=lambda: AFTER)
    assert again.records_written == 0


def test_records_from_before_topics_gain_them_once(tmp_path):
    config_file = make_project(tmp_path)
    config, _ = run_days(config_file)
    path = record_path(config.data_dir, REPO, DAY)
    raw = json.loads(path.read_text(encoding="utf-8"))
    for commit in raw["commits"]:
        commit["analysis"].pop("topics", None)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    summary = run(config, now=lambda: AFTER)
    assert summary.records_written == 1
    assert topics(config, DAY)[0] == ("量化", "矩阵乘", "算子", "混合专家")
    assert run(config, now=lambda: AFTER).records_written == 0
