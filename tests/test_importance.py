"""The importance score: agreement with the original reports, each factor, the config."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from generator.analysis.calibration import agreement, load_labelled, split_rename
from generator.analysis.rules import RulesAnalyzer
from generator.analysis.scoreline import score_line
from generator.config import load_config
from generator.config.importance import Importance
from generator.errors import ConfigError
from generator.models import Analysis, Commit
from generator.pipeline import DayRange, run
from generator.records import record_days

from factory import unanalysed as make
from gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent
SLICE = Path(__file__).parent / "fixtures" / "tier-labels-sglang-2026-03-16_2026-03-22.json.gz"
# Rust and Python, Helm charts and container recipes, nearly every subject prefixed.
DYNAMO = Path(__file__).parent / "fixtures" / "tier-labels-dynamo-2026-02-09_2026-02-15.json.gz"
EN, ZH = RulesAnalyzer("en"), RulesAnalyzer("zh")


def code(lines: int, files: int = 1) -> list[tuple[str, int, int]]:
    """`files` Python files in one package with `lines` changed lines between them."""
    share = [lines // files + (1 if i < lines % files else 0) for i in range(files)]
    return [(f"pkg/core/m{i}.py", n, 0) for i, n in enumerate(share)]


# ---- Agreement with the tiers of the original daily reports.


def test_agreement_with_the_reports_on_a_fixed_slice() -> None:
    labelled = load_labelled(SLICE)
    assert len(labelled) == 245  # every commit of sglang's 2026-03-16..22
    result = agreement(labelled, lambda c: EN.analyze(c).tier)
    baseline = agreement(labelled, lambda c: "medium")
    print(f"exact {result.exact:.1%}, within one {result.within_one:.1%}\n{result.table()}")
    assert result.exact >= 0.95  # 98.0% when written; the whole data set gives 98.7%
    assert result.within_one >= 0.99
    assert result.exact > baseline.exact + 0.4


def test_agreement_with_the_reports_on_a_rust_project() -> None:
    labelled = load_labelled(DYNAMO)
    assert len(labelled) == 126  # every commit of ai-dynamo/dynamo's 2026-02-09..15
    result = agreement(labelled, lambda c: EN.analyze(c).tier)
    print(f"exact {result.exact:.1%}, within one {result.within_one:.1%}\n{result.table()}")
    assert result.exact >= 0.95  # 96.8% when written; its 780 commits of January-February 98.7%
    assert result.within_one >= 0.99


@pytest.mark.parametrize(
    ("path", "new", "old"),
    [
        ("a/b.py", "a/b.py", None),
        ("test/{srt => registered}/x.py", "test/registered/x.py", "test/srt/x.py"),
        ("docs/{ => cache}/a.md", "docs/cache/a.md", "docs/a.md"),
        ("old.py => new.py", "new.py", "old.py"),
    ],
)
def test_numstat_renames_are_split(path: str, new: str, old: str | None) -> None:
    assert split_rename(path) == (new, old)


# ---- The score of hand-made commits of each kind.


@pytest.mark.parametrize(
    ("subject", "files", "score", "tier", "line"),
    [
        ("feat: add a router", code(35, 2), 8, "high", "score 8 = feature 8"),
        ("fix: handle empty pools", code(10), 5, "medium", "score 5 = fix 5"),
        ("fix: handle empty pools", code(60), 7, "high", "score 7 = fix 5 + 60 lines 2"),
        (
            "fix(router): handle empty pools",
            code(340, 3),
            10,
            "high",
            "score 10 = fix 5 + 340 lines 3 + 3 files 2",
        ),
        # Only the lower-case types of Conventional Commits tooling earn points; the reports
        # rated `Fix:` and `feature:` commits as if they had no prefix.
        ("Fix: capitals earn nothing", code(10), 0, "low", None),
        ("feature: nor does a synonym", code(10), 0, "low", None),
        ("perf: cache the table", code(80), 6, "medium", "score 6 = performance 4 + 80 lines 2"),
        (
            "refactor: split the router",
            code(600, 6),
            9,
            "high",
            "score 9 = refactor 2 + 600 lines 4 + 6 files 3",
        ),
        (
            "refactor: rename a helper",
            code(90, 3),
            6,
            "medium",
            "score 6 = refactor 2 + 90 lines 2 + 3 files 2",
        ),
        (
            "docs: explain routing",
            [("docs/a.md", 20, 2), ("docs/b.md", 8, 0)],
            -4,
            "low",
            "score −4 = docs −2 − mostly docs 2",
        ),
        (
            "docs: restructure the guides",
            [(f"docs/g{i}.md", 100, 20) for i in range(6)],
            3,
            "medium",
            "score 3 = docs −2 + 720 lines 4 + 6 files 3 − mostly docs 2",
        ),
        ("chore: tidy imports", code(12, 2), -3, "low", "score −3 = chore −3"),
        (
            "chore: rename a setting everywhere",
            code(150, 6),
            3,
            "medium",
            "score 3 = chore −3 + 150 lines 3 + 6 files 3",
        ),
        (
            "ci: run on arm",
            [(".github/workflows/t.yml", 120, 0)],
            0,
            "low",
            "score 0 = CI −2 + 120 lines 3 − mostly CI 1",
        ),
        ("Tweak a default", code(20), 0, "low", "score 0: 20 lines in 1 file earn no points"),
        ("Tweak three modules", code(30, 3), 2, "medium", "score 2 = 3 files 2"),
        ("Move the scheduler", code(700, 8), 7, "high", "score 7 = 700 lines 4 + 8 files 3"),
        (
            "[Bugfix] a tag is not a prefix",
            code(10),
            0,
            "low",
            "score 0: 10 lines in 1 file earn no points",
        ),
        ("[router] fix: nor is a prefix after a tag", code(10), 0, "low", None),
        (
            "Regenerate the lockfile",
            [("uv.lock", 2000, 1500)],
            3,
            "medium",
            "score 3 = 3500 lines 4 − mostly generated files 1",
        ),
        (
            "Vendor a library",
            [(f"third_party/lib/f{i}.c", 100, 0) for i in range(4)],
            4,
            "medium",
            "score 4 = 400 lines 3 + 4 files 2 − mostly generated files 1",
        ),
        ("api!: drop v1", code(10), 7, "high", "score 7 = breaking change 7"),
    ],
)
def test_score_of_each_kind_of_commit(
    subject: str, files: list, score: int, tier: str, line: str | None
) -> None:
    analysis = EN.analyze(make(subject, files))
    assert (analysis.score, analysis.tier) == (score, tier)
    assert analysis.score == sum(p.points for p in analysis.score_parts)
    if line:
        assert score_line(analysis.score, analysis.score_parts, "en") == line


def test_vendored_c_files_are_generated() -> None:
    analysis = EN.analyze(make("Vendor a library", [("third_party/lib/a.c", 100, 0)]))
    assert [p.value for p in analysis.score_parts if p.factor == "file_kind"] == ["generated"]


# ---- A Rust workspace: what Cargo's files are, and the tier a reader then sees.


@pytest.mark.parametrize(
    ("subject", "files", "kind", "tier", "line"),
    [
        # A lockfile-only bump: written by cargo, a point less than code.
        (
            "chore(deps): bump tokio to 1.40",
            [("Cargo.lock", 40, 40)],
            "generated",
            "low",
            "score −2 = chore −3 + 80 lines 2 − mostly generated files 1",
        ),
        (
            "build: bump tokio to 1.40",
            [("lib/llm/Cargo.toml", 1, 1), ("Cargo.lock", 30, 30)],
            "generated",
            "low",
            "score −1 = build & dependencies −2 + 62 lines 2 − mostly generated files 1",
        ),
        (
            "Pin serde in every crate",
            [(f"lib/{c}/Cargo.toml", 1, 1) for c in ("llm", "runtime", "kv-router")],
            "build",
            "low",
            "score 1 = 3 files 2 − mostly build files 1",
        ),
        # build.rs is the crate's build script, not its code.
        (
            "Link the CUDA runtime",
            [("lib/llm/build.rs", 30, 2)],
            "build",
            "low",
            "score −1 = mostly build files −1",
        ),
        # benches/ holds the crate's benchmarks, tests/ its integration tests, tests.rs a
        # unit-test module: none of them ships.
        (
            "Add a radix tree microbenchmark",
            [("lib/kv-router/benches/radix_tree.rs", 120, 0)],
            "test",
            "medium",
            "score 3 = 120 lines 3",
        ),
        (
            "fix(kv-router): keep the oldest block",
            [("lib/kv-router/src/indexer.rs", 20, 5), ("lib/kv-router/tests/indexer.rs", 60, 0)],
            "test",
            "high",
            "score 7 = fix 5 + 85 lines 2",
        ),
        (
            "test: cover eviction",
            [("lib/llm/src/block_manager/tests.rs", 40, 0)],
            "test",
            "low",
            "score 0: 40 lines in 1 file earn no points",
        ),
        # Helm charts and Kubernetes manifests say how the product is deployed.
        (
            "fix(helm): pass tolerations to every component",
            [
                ("deploy/helm/charts/platform/values.yaml", 17, 0),
                ("deploy/helm/charts/platform/templates/job.yaml", 8, 0),
                ("deploy/helm/charts/platform/templates/_helpers.tpl", 8, 0),
            ],
            "build",
            "medium",
            "score 6 = fix 5 + 3 files 2 − mostly build files 1",
        ),
    ],
)
def test_rust_workspace_files(subject: str, files: list, kind: str, tier: str, line: str) -> None:
    analysis = EN.analyze(make(subject, files))
    assert [p.value for p in analysis.score_parts if p.factor == "file_kind"] == [kind]
    assert analysis.tier == tier
    assert analysis.score is not None
    assert score_line(analysis.score, analysis.score_parts, "en") == line


def test_a_crates_modules_are_named_without_src() -> None:
    commit = make(
        "Route by prefix",
        [
            ("lib/llm/src/http/service/metrics.rs", 80, 3),
            ("components/src/dynamo/vllm/main.py", 9, 1),
        ],
    )
    assert EN.analyze(commit).modules == ("lib/llm/src/http/service", "components/src/dynamo/vllm")


def test_score_line_in_chinese() -> None:
    analysis = ZH.analyze(make("fix(router): handle empty pools", code(340, 3)))
    assert score_line(analysis.score, analysis.score_parts, "zh") == (
        "得分 10 = 问题修复 5 + 340 行 3 + 3 个文件 2"
    )
    analysis = ZH.analyze(make("Tweak a default", code(20)))
    assert score_line(analysis.score, analysis.score_parts, "zh") == (
        "得分 0：1 个文件、20 行，均不计分"
    )


def test_critical_paths_add_the_configured_bonus() -> None:
    commit = make("Tweak a default", code(20))
    analyzer = RulesAnalyzer("en", ("pkg/core/**",), Importance(critical_path=5))
    analysis = analyzer.analyze(commit)
    assert (analysis.score, analysis.tier) == (5, "medium")
    assert score_line(analysis.score, analysis.score_parts, "en") == "score 5 = critical path 5"


# ---- Other weights, as digest.yml sets them.


def importance(make_config, block: dict) -> Importance:
    return make_config(repos=[{"name": "o/r", "path": "."}], importance=block).importance


def test_other_weights_change_tiers_as_documented(make_config) -> None:
    fix = make("fix(router): handle empty pools", code(340, 3))  # 10 with the defaults
    docs = make("Rewrite the guide", [(f"docs/g{i}.md", 300, 100) for i in range(6)])
    assert [EN.analyze(c).tier for c in (fix, docs)] == ["high", "medium"]
    # Raise the bar for high; stop docs from counting less; score top-level directories.
    block = {"thresholds": {"high": 11}, "file_kind": {"docs": 0}, "scope": {"modules": {2: 1}}}
    settings = importance(make_config, block)
    assert settings.change_type["fix"] == 5  # omitted keys keep their defaults
    analyzer = RulesAnalyzer("en", importance=settings)
    assert analyzer.analyze(fix).tier == "medium"  # 10 < 11
    assert analyzer.analyze(docs).score == 7  # 2,400 lines 4 + 6 files 3 + docs 0, one directory
    two_dirs = make("Touch two places", [("a/x.py", 30, 0), ("b/y.py", 30, 0)])
    assert score_line(*_scored(analyzer, two_dirs), "en") == (
        "score 3 = 60 lines 2 + 2 top-level directories 1"
    )


def _scored(analyzer: RulesAnalyzer, commit: Commit) -> tuple[int, tuple]:
    analysis = analyzer.analyze(commit)
    assert analysis.score is not None
    return analysis.score, analysis.score_parts


def test_the_readme_documents_the_defaults() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(importance:\n.*?)```", readme, re.S)
    assert block, "the README's analysis section shows the importance: block"
    documented = yaml.safe_load(block.group(1))["importance"]
    assert Importance.model_validate(documented) == Importance()
    for key in (*Importance.model_fields, "files", "modules", "medium", "high"):
        assert re.search(rf"^\s*{key}:", block.group(1), re.M), key


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"change_type": {"feat": 3}}, "importance.change_type: unknown change type 'feat'; use"),
        ({"change_type": {"fix": "lots"}}, "importance.change_type.fix: Input should be a valid"),
        ({"size": {"many": 2}}, "importance.size: 'many' is not a number of lines"),
        ({"size": [50, 500]}, "importance.size: must map a number of lines to points"),
        ({"scope": {"files": {3: "x"}}}, "importance.scope.files: the points for 3 files must"),
        ({"scope": {"dirs": {2: 1}}}, "importance.scope.dirs: unknown key"),
        ({"file_kind": {"images": -1}}, "importance.file_kind: unknown file kind 'images'"),
        ({"thresholds": {"medium": 7}}, "importance.thresholds: medium (7) must be below high (7)"),
        ({"threshold": {"high": 8}}, "importance.threshold: unknown key"),
    ],
)
def test_a_bad_importance_block_is_one_clear_line(make_config, block, message) -> None:
    with pytest.raises(ConfigError) as caught:
        importance(make_config, block)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_cli_reports_a_bad_importance_block_with_exit_code_2(tmp_path: Path) -> None:
    GitRepo.init(tmp_path / "clone").commit("x", {"a.py": "1\n"})
    (tmp_path / "digest.yml").write_text(
        "site_url: https://example.org/\nrepos:\n  - name: o/r\n    path: clone\n"
        "importance:\n  thresholds:\n    medium: 9\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator", "run", "--date", "2026-03-02"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "Error: digest.yml: importance.thresholds: medium (9) must be below high (7)\n"
    )
    assert not (tmp_path / "data").exists()


# ---- Re-tiering the recorded archive when the weights change.

DAYS = [date(2026, 3, d) for d in (2, 3, 4, 5)]
AFTER = datetime(2026, 3, 20, tzinfo=UTC)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A real repository with one commit a day, recorded with the default weights."""
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit("fix: off by one", {"pkg/a.py": "x = 1\n"}, committed="2026-03-02T10:00:00+08:00")
    repo.commit("chore: tidy", {"pkg/b.py": "y = 1\n"}, committed="2026-03-03T10:00:00+08:00")
    repo.commit("feat: routes", {"pkg/c.py": "z = 1\n"}, committed="2026-03-04T10:00:00+08:00")
    three = {f"lib/m{i}.py": f"v = {i}\n" for i in range(3)}
    repo.commit("Touch three modules", three, committed="2026-03-05T10:00:00+08:00")
    write_config(tmp_path, "")
    summary = run(
        load_config(tmp_path / "digest.yml"), DayRange(DAYS[0], DAYS[-1]), now=lambda: AFTER
    )
    assert summary.tiers == {"high": 1, "medium": 2, "low": 1}
    return tmp_path


def write_config(folder: Path, extra: str, critical: str = "") -> None:
    (folder / "digest.yml").write_text(
        "site_url: https://example.org/d/\nrepos:\n  - name: o/r\n    path: clone\n"
        f"{critical}{extra}",
        encoding="utf-8",
    )


def records(folder: Path) -> dict[date, tuple[bytes, int]]:
    out = {}
    for day in DAYS:
        path = folder / "data/o/r" / f"{day:%Y/%m/%d}.json"
        out[day] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def rerun(folder: Path) -> tuple[int, dict[date, tuple[bytes, int]]]:
    """A run for a later day without commits: the recorded days come only from their facts.
    Returns how many of them the run wrote, and the new content of those that changed."""
    before = records(folder)
    later = max(record_days(folder / "data", "o/r")) + timedelta(days=1)
    summary = run(load_config(folder / "digest.yml"), DayRange(later, later), now=lambda: AFTER)
    after = records(folder)
    changed = {d for d in DAYS if after[d] != before[d]}
    return summary.records_written - 1, {d: after[d] for d in sorted(changed)}  # 1: `later`


def tiers(folder: Path, day: date) -> list[str]:
    text = (folder / "data/o/r" / f"{day:%Y/%m/%d}.json").read_text(encoding="utf-8")
    return re.findall(r'"tier": "(\w+)"', text)


def test_a_weight_change_rewrites_exactly_the_records_whose_tiers_changed(archive: Path) -> None:
    assert tiers(archive, DAYS[0]) == ["medium"]  # fix 5
    write_config(archive, "importance:\n  change_type:\n    fix: 7\n")
    written, changed = rerun(archive)
    assert (written, list(changed)) == (1, [DAYS[0]])
    assert tiers(archive, DAYS[0]) == ["high"]
    # A weight no recorded commit uses changes nothing.
    write_config(archive, "importance:\n  change_type:\n    fix: 7\n    revert: 2\n")
    assert rerun(archive) == (0, {})
    # A threshold moves the commits around it, and only those.
    write_config(archive, "importance:\n  change_type:\n    fix: 7\n  thresholds:\n    high: 9\n")
    written, changed = rerun(archive)
    assert (written, list(changed)) == (2, [DAYS[0], DAYS[2]])  # fix 7 and feature 8
    assert tiers(archive, DAYS[0]) == tiers(archive, DAYS[2]) == ["medium"]


def test_critical_paths_and_a_new_analyzer_version_re_tier_the_archive(archive: Path) -> None:
    before = records(archive)
    write_config(archive, "", critical="    critical_paths: [lib/**]\n")
    # Which files match is not in the records' score parts, so every record of the
    # repository is redone once (its settings hash changes); only one commit's score moves.
    assert rerun(archive)[0] == 4
    after = records(archive)
    scores = {d: re.findall(rb'"score": (-?\d+)', after[d][0]) for d in DAYS}
    assert scores == {DAYS[0]: [b"5"], DAYS[1]: [b"-3"], DAYS[2]: [b"8"], DAYS[3]: [b"5"]}
    assert b'"factor": "critical_path"' in after[DAYS[3]][0]
    assert [tiers(archive, d) for d in DAYS] == [["medium"], ["low"], ["high"], ["medium"]]
    assert before[DAYS[3]][0] != after[DAYS[3]][0]
    assert rerun(archive) == (0, {})
    # Records another version made are redone, even when nothing else changed.
    for day in DAYS:
        path = archive / "data/o/r" / f"{day:%Y/%m/%d}.json"
        path.write_text(path.read_text(encoding="utf-8").replace("rules@3", "rules@2"), "utf-8")
    written, changed = rerun(archive)
    assert (written, list(changed)) == (4, DAYS)


def test_records_without_a_score_still_load_and_are_redone(archive: Path) -> None:
    path = archive / "data/o/r/2026/03/02.json"
    old = Analysis(
        tier="medium", change_type="fix", summary="old", analyzer="rules@1", language="zh"
    )
    assert old.score is None and old.score_parts == () and old.settings is None
    text = path.read_text(encoding="utf-8")
    legacy = re.sub(r',\s*"score": .*?"settings": "[0-9a-f]+"', "", text, flags=re.S)
    assert '"score"' not in legacy
    path.write_text(legacy.replace("rules@3", "rules@1"), encoding="utf-8")
    written, changed = rerun(archive)
    assert (written, list(changed)) == (1, [DAYS[0]])
    assert b'"score": 5' in changed[DAYS[0]][0]


def test_commit_pages_show_the_score_line_and_no_line_repeats_the_badges(archive: Path) -> None:
    docs = archive / "docs"
    pages = (docs / "commits/o/r").glob("*.md")
    fix = next(p for p in pages if "\n# fix: off by one {: #commit }\n" in p.read_text("utf-8"))
    lines = fix.read_text(encoding="utf-8").splitlines()
    badges = next(i for i, line in enumerate(lines) if 'class="cd-tier-' in line)
    assert lines[badges + 2] == "得分 5 &#61; 问题修复 5"  # `=` escaped: no setext heading
    day = (docs / "daily/2026/03/02.md").read_text(encoding="utf-8")
    assert "重要程度" not in day and "变更类型" not in day
    assert "修复了 pkg 中的代码（1 个文件，+1/−0）。" in day
