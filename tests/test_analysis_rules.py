"""The rules analyzer on five real days of sgl-project/sglang and on edge cases.

Tiers come from the importance score (tests/test_importance.py); here every real commit's
expected tier is the one the original daily report gave it.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from generator.analysis.rules import RulesAnalyzer
from generator.models import Analysis, Commit, FileChange, Person

from factory import unanalysed as make

SGLANG = Path(__file__).parent / "fixtures" / "sglang-2026-02-10_2026-02-14.json"
CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_OR_FULLWIDTH = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def from_record(c: dict) -> Commit:
    return Commit(
        sha=c["sha"],
        parents=tuple(c["parents"]),
        author=Person(name=c["author_name"], email=c["author_email"]),
        committer=Person(name=c["committer_name"], email=c["committer_email"]),
        authored_at=datetime.fromisoformat(c["author_date"]),
        committed_at=datetime.fromisoformat(c["committer_date"]),
        subject=c["subject"],
        body="",
        files=tuple(
            FileChange(
                path=f["path"],
                additions=f["additions"] or 0,  # null for binary files
                deletions=f["deletions"] or 0,
                old_path=f.get("old_path"),
                binary=f.get("binary", False),
            )
            for f in c["files"]
        ),
    )


@cache
def sglang_days() -> tuple[tuple[str, tuple[Commit, ...]], ...]:
    data = json.loads(SGLANG.read_text(encoding="utf-8"))
    return tuple(
        (day["date"], tuple(from_record(c) for c in day["commits"])) for day in data["days"]
    )


def sglang_commits() -> list[Commit]:
    return [c for _, commits in sglang_days() for c in commits]


def real(subject_start: str) -> Commit:
    """The one sglang commit whose subject starts with `subject_start`."""
    found = [c for c in sglang_commits() if c.subject.startswith(subject_start)]
    assert len(found) == 1, f"{subject_start!r} matches {len(found)} commits"
    return found[0]


def texts(analysis: Analysis) -> list[str]:
    return [
        analysis.summary,
        *(i.text for i in analysis.insights),
        *analysis.risks,
        *analysis.recommendations,
    ]


EN = RulesAnalyzer("en")
ZH = RulesAnalyzer("zh")


# ---- Real commits: what a reader of the day page checks.


def test_npu_doc_update_is_low_tier_documentation() -> None:
    analysis = EN.analyze(real("[NPU] update npu doc"))
    assert (analysis.tier, analysis.change_type) == ("low", "docs")
    assert analysis.modules == ("docs/platforms",)
    assert analysis.key_files == ("docs/platforms/ascend_npu_support.rst",)
    assert analysis.risks == (
        "Only documentation changes (docs/platforms/ascend_npu_support.rst): "
        "no runtime effect, low risk.",
    )
    assert analysis.analyzer == "rules@3"
    assert analysis.language == "en"


def test_small_build_change_names_the_dependency_risk_without_asking_for_a_rebuild() -> None:
    analysis = EN.analyze(real("[sgl-kernel] upgrade deepgemm"))  # 20 lines, the report: low
    assert (analysis.tier, analysis.change_type) == ("low", "build")
    dependency = [r for r in analysis.risks if r.startswith("Dependency or build files")]
    assert dependency and "sgl-kernel/CMakeLists.txt" in dependency[0]
    assert analysis.recommendations == ()  # a low-tier tweak: no "rebuild the image" advice


def test_a_cargo_lock_bump_is_low_and_names_the_lockfile() -> None:
    analysis = EN.analyze(make("chore(deps): bump tokio to 1.40", [("Cargo.lock", 40, 40)]))
    assert (analysis.tier, analysis.change_type) == ("low", "chore")
    assert analysis.summary == "Tidies generated files in the repository root (1 file, +40/−40)."
    assert analysis.risks == (
        "Dependency or build files change (Cargo.lock): version conflicts or environment "
        "drift are possible.",
    )
    assert ZH.analyze(make("chore(deps): bump tokio", [("Cargo.lock", 4, 4)])).risks == (
        "依赖或构建文件有改动（Cargo.lock），可能引起版本冲突或环境漂移。",
    )


def test_a_crates_benches_tests_and_test_module_are_only_tests() -> None:
    files = [
        ("lib/kv-router/benches/radix.rs", 150, 0),
        ("lib/kv-router/tests/radix.rs", 80, 0),
        ("lib/kv-router/src/radix/tests.rs", 30, 2),
    ]
    analysis = EN.analyze(make("Cover the radix tree", files))
    assert (analysis.tier, analysis.change_type) == ("medium", "test")
    assert analysis.summary == (
        "Changes tests in lib/kv-router/benches and 2 other modules (3 files, +260/−2)."
    )
    assert analysis.risks[0].startswith("Only test or benchmark code changes (")


def test_a_build_script_and_manifest_are_build_files() -> None:
    files = [("lib/llm/build.rs", 30, 2), ("lib/llm/Cargo.toml", 2, 0)]
    analysis = EN.analyze(make("Link the CUDA runtime", files))
    assert (analysis.tier, analysis.change_type) == ("low", "build")
    assert analysis.summary == "Changes build files in lib/llm (2 files, +32/−2)."
    assert "(lib/llm/Cargo.toml, lib/llm/build.rs)" in analysis.risks[0]


def test_summary_says_what_changed_where_in_the_readers_language() -> None:
    commit = real("[HiCache] fix: StorageMetricsCollector was initialized twice")
    assert ZH.analyze(commit).summary == (
        "修复了 python/sglang/srt/mem_cache 中的代码（1 个文件，+20/−17）。"
    )
    assert EN.analyze(commit).summary == (
        "Fixes code in python/sglang/srt/mem_cache (1 file, +20/−17)."
    )
    commit = real("add support to enable lora with embedding models")
    assert ZH.analyze(commit).summary == (
        "扩展了 test/registered/lora 等 3 个模块中的代码和测试（7 个文件，+260/−0）。"
    )
    assert EN.analyze(commit).summary == (
        "Extends code and tests in test/registered/lora and 2 other modules (7 files, +260/−0)."
    )


def test_summary_does_not_repeat_the_subject_or_the_badges() -> None:
    for commit in sglang_commits():
        for analyzer in (ZH, EN):
            analysis = analyzer.analyze(commit)
            gist = re.sub(r"^(\[[^\]]*\]\s*)*", "", commit.subject)[:25]
            assert len(gist) < 8 or gist not in analysis.summary, commit.subject
            label = {"zh": "重要程度", "en": "Importance"}[analysis.language]
            assert label not in analysis.summary


@pytest.mark.parametrize(
    ("subject_start", "change_type", "tier"),
    [
        ('Revert "[sgl-kernel] upgrade deepgemm"', "revert", "low"),  # git's revert subject
        ("Revert changes to weight_utils.py", "revert", "low"),
        ("[diffusion] fix: fix fsdp", "fix", "medium"),  # tag is an area, prefix the type
        ("feat(kv-events): Add medium field", "feature", "high"),  # a declared feature
        ("refactor: consolidate gRPC client", "refactor", "high"),  # Cargo.toml + 2,362 lines
        ("docs: expand and update modelopt", "docs", "low"),
        ("[Perf] refactor piecewise cuda graph", "performance", "medium"),  # tag beats keyword
        ("[Doc] Comprehensive Guide", "docs", "medium"),  # 2,000 lines of docs
        ("[Bugfix] fix config bug caused by PR", "fix", "low"),  # a tag earns no points
        ("[NPU] [CI] Enable run multimodal NPU CI", "ci", "low"),
        ("[NPU][docs]fix bug about hyperlink", "docs", "low"),  # tag beats "fix bug"
        ("chore: fix some typos", "chore", "low"),
        ("[diffusion] fix typo", "chore", "low"),
        ("speed up sgl-kernel build", "performance", "medium"),
        ("[FlashInfer] Bump FlashInfer version", "build", "medium"),  # python/pyproject.toml
        ("Kernel: optimize decoding metadata", "performance", "high"),  # 2,824 lines
        ("[HiCache][PP] add test case", "test", "medium"),  # 214 lines
        ("List more CI runs for `pr-test`", "ci", "low"),  # paths: only .github/
        ("glm5 md", "docs", "low"),  # paths: only docs/
        ("[AMD] Turn on aiter-prebuild", "build", "low"),  # a one-line Dockerfile tweak
        ("Build ROCm7.2 Image with latest AITER", "build", "low"),
        ("Rename request timeout env vars", "refactor", "medium"),
        ("Fix Bug on dsv3.2", "fix", "low"),  # "Fix" without a colon is not a prefix
        ("Fix idle batch predict dtype in spec v2", "fix", "low"),
        ("Avoid kimi linear stream sync", "feature", "low"),  # a 2-line tweak
        ("model: support Qwen3.5", "feature", "high"),  # 1,923 lines
        ("Add timeout abort kits for normal / eagle", "test", "medium"),  # paths beat "add"
        ("[AMD] add amd ci monitor", "ci", "medium"),
    ],
)
def test_real_commit_type_and_tier(subject_start: str, change_type: str, tier: str) -> None:
    analysis = EN.analyze(real(subject_start))
    assert (analysis.change_type, analysis.tier) == (change_type, tier)


def test_public_cli_flags_are_named_and_advice_follows_the_tier() -> None:
    analysis = EN.analyze(real("[V3.2] Change default CP token split method"))
    assert analysis.tier == "low"  # 10 lines, mostly docs
    assert any("--round-robin-split" in r for r in analysis.risks)
    assert analysis.recommendations == ()
    analysis = EN.analyze(real("Support GlmMoeDsaForCausalLM"))  # server_args.py gains lines
    assert analysis.tier == "medium"
    assert any("python/sglang/srt/server_args.py" in r for r in analysis.risks)
    assert any("launch scripts" in r for r in analysis.recommendations)
    # A fix inside server_args.py is not an interface change.
    fix = EN.analyze(real("[BUGFIX] fix bug in handle mamba radix cache"))
    assert not any("Command-line" in r for r in fix.risks)


def test_large_deletion_names_the_removed_code() -> None:
    analysis = EN.analyze(real("refactor: consolidate gRPC client into shared crate"))
    deleted = [r for r in analysis.risks if r.startswith("Deletes 2362 lines against 29 added")]
    assert deleted and "sgl-model-gateway/src/grpc_client" in deleted[0]
    removed = [i.text for i in analysis.insights if i.kind == "architecture"]
    assert removed and "sgl-model-gateway/src/grpc_client" in removed[0]


def test_renamed_docs_warn_about_old_paths() -> None:
    analysis = EN.analyze(real("[diffusion] docs: consolidate diffusion documentation"))
    assert (analysis.tier, analysis.change_type) == ("medium", "docs")  # 30 files, 1,993 lines
    renamed = [r for r in analysis.risks if r.startswith("Files are renamed or moved")]
    assert renamed and "python/sglang/multimodal_gen/docs/" in renamed[0]
    assert "and 7 more" in renamed[0]  # 12 renames, five shown


def test_code_without_tests_gets_an_untested_risk_from_medium_up() -> None:
    analysis = EN.analyze(real("Support GlmMoeDsaForCausalLM"))
    assert analysis.tier == "medium"
    assert any(r.startswith("Code in python/sglang/srt/configs") for r in analysis.risks)
    # A low-tier one-liner is not worth the line: its tier already says it is small.
    analysis = EN.analyze(real("Fix idle batch predict dtype in spec v2"))
    assert (analysis.tier, analysis.risks, analysis.recommendations) == ("low", (), ())
    risks = EN.analyze(real("add support to enable lora with embedding models")).risks
    assert not any("without any test file" in r for r in risks)


def test_insights_only_with_a_signal() -> None:
    dllm = EN.analyze(real("[DLLM] Basic dLLM scheduling strategy"))
    assert [i.kind for i in dllm.insights] == ["architecture"]
    assert "python/sglang/srt/dllm/mixin" in dllm.insights[0].text
    kernel = EN.analyze(real("Kernel: optimize decoding metadata"))
    assert [i.kind for i in kernel.insights] == ["performance"]
    assert EN.analyze(real("Fix Bug on dsv3.2")).insights == ()
    # A CI file named for permissions is not security-sensitive code: no review is asked for.
    permission = EN.analyze(real("Update ci permission"))
    assert permission.insights == ()
    assert permission.tier == "low"
    assert not any("security" in r for r in permission.recommendations)


# ---- Conventional commits, bracket tags, critical paths.

CODE = [("src/router/core.py", 30, 5), ("tests/test_core.py", 10, 0)]


@pytest.mark.parametrize(
    ("subject", "change_type"),
    [
        ("feat: add a router", "feature"),
        ("fix(router): handle empty pools", "fix"),
        ("perf: cache the routing table", "performance"),
        ("refactor(core): split the router", "refactor"),
        ("docs(readme): explain routing", "docs"),
        ("test: cover empty pools", "test"),
        ("ci: run on arm runners", "ci"),
        ("build: use hatchling", "build"),
        ("deps: bump pydantic to 2.14", "build"),
        ("chore: tidy imports", "chore"),
        ("revert: feat: add a router", "revert"),
        ("[Feature] Add a router", "feature"),
        ("[BugFix] Handle empty pools", "fix"),
        ("[PERF] Cache the routing table", "performance"),
        ("[ci] Run on arm runners", "ci"),
        ("[AMD][Doc] Explain routing", "docs"),
        ("[Router] Handle empty pools", "feature"),  # an area tag, then "Handle": no signal
        ("Crash when the pool is empty", "fix"),
        ("Introduce weighted routing", "feature"),
        ("Reduce latency of routing", "performance"),
        ("Cleanup the router", "refactor"),
        ("Upgrade dependency pins", "build"),
    ],
)
def test_declared_and_keyword_types(subject: str, change_type: str) -> None:
    assert EN.analyze(make(subject, CODE)).change_type == change_type


def test_breaking_markers_make_it_high() -> None:
    assert EN.analyze(make("router: add a router", CODE)).tier == "low"
    for commit in (
        make("refactor!: drop the v1 router", CODE),
        make("feat(api)!: rename routes", CODE),
        make("feat: rename routes", CODE, body="BREAKING CHANGE: /v1 is gone"),
    ):
        analysis = EN.analyze(commit)
        assert analysis.tier == "high"
        assert analysis.risks[0].startswith("The commit is marked as breaking")


def test_security_keywords_are_named_and_reviewed_at_any_tier() -> None:
    analysis = EN.analyze(make("Reject forged auth tokens (CVE-2026-1234)", CODE))
    assert analysis.tier == "low"  # 45 lines in 2 files: the score does not read words
    assert [i.kind for i in analysis.insights] == ["security"]
    assert "cve-2026-1234" in analysis.insights[0].text
    assert any("security review" in r for r in analysis.recommendations)


def test_critical_paths_add_their_bonus_and_are_named() -> None:
    commit = real("[HiCache] fix: StorageMetricsCollector was initialized twice")
    assert EN.analyze(commit).tier == "low"
    analyzer = RulesAnalyzer("en", critical_paths=("python/sglang/srt/mem_cache/**",))
    analysis = analyzer.analyze(commit)
    assert (analysis.tier, analysis.score) == ("medium", 3)  # 0 + the critical-path bonus
    assert analysis.risks[0] == (
        "Touches the critical paths python/sglang/srt/mem_cache/** "
        "(python/sglang/srt/mem_cache/hiradix_cache.py)."
    )
    other = RulesAnalyzer("en", critical_paths=("python/sglang/srt/layers/**",))
    assert other.analyze(commit).tier == "low"


@pytest.mark.parametrize(
    ("glob", "matches"),
    [
        ("docs/**", True),  # even a docs-only change is high when its owner says so
        ("docs", True),  # a directory without wildcards
        ("**/*.rst", True),
        ("docs/*.rst", False),  # one star stays in one directory
        ("docs/platforms/ascend_npu_*.rst", True),
        ("docs/platforms/ascend_npu_[!s]*.rst", False),
        ("python/**", False),
    ],
)
def test_critical_path_globs(glob: str, matches: bool) -> None:
    analysis = RulesAnalyzer("en", (glob,)).analyze(real("[NPU] update npu doc"))
    assert any(p.factor == "critical_path" for p in analysis.score_parts) is matches


def test_critical_path_matches_the_path_before_a_rename() -> None:
    moved = FileChange(path="src/new/core.py", old_path="src/old/core.py", additions=1, deletions=1)
    analysis = RulesAnalyzer("en", ("src/old/**",)).analyze(make("Move core", (moved,)))
    assert analysis.score == 3 and analysis.tier == "medium"


# ---- Determinism and language.


def test_same_commit_same_analysis_in_any_file_order() -> None:
    for commit in sglang_commits():
        first = RulesAnalyzer("zh").analyze(commit)
        assert RulesAnalyzer("zh").analyze(commit) == first
        shuffled = commit.model_copy(update={"files": commit.files[::-1]})
        assert ZH.analyze(shuffled) == first


def test_zh_and_en_agree_on_facts_and_differ_in_text() -> None:
    for commit in sglang_commits():
        zh, en = ZH.analyze(commit), EN.analyze(commit)
        same = ("tier", "change_type", "modules", "key_files")
        assert [getattr(zh, k) for k in same] == [getattr(en, k) for k in same]
        assert [i.kind for i in zh.insights] == [i.kind for i in en.insights]
        assert len(zh.risks) == len(en.risks)
        assert zh.summary != en.summary


def test_zh_text_is_chinese_and_en_text_has_no_chinese() -> None:
    for commit in sglang_commits():
        for text in texts(ZH.analyze(commit)):
            assert CJK.search(text), text
        for text in texts(EN.analyze(commit)):
            assert not CJK_OR_FULLWIDTH.search(text), text


def test_text_is_plain() -> None:
    for commit in sglang_commits():
        for text in texts(ZH.analyze(commit)) + texts(EN.analyze(commit)):
            assert "`" not in text and "\n" not in text, text


def test_tier_distribution_over_five_sglang_days() -> None:
    total: Counter[str] = Counter()
    for day, commits in sglang_days():
        tiers = Counter(EN.analyze(c).tier for c in commits)
        print(f"{day}: {len(commits)} commits, {dict(sorted(tiers.items()))}")
        assert 1 <= tiers["high"] < len(commits) / 2, day  # a handful of high every day
        total.update(tiers)
    count = total.total()
    assert count == 142
    assert 0.05 <= total["high"] / count <= 0.35
    assert total["medium"] / count >= 0.3
    assert total["low"] / count >= 0.2


# ---- Edge cases: nothing crashes, text stays bounded.


@pytest.mark.parametrize("analyzer", [EN, ZH], ids=["en", "zh"])
def test_empty_commit(analyzer: RulesAnalyzer) -> None:
    analysis = analyzer.analyze(make("Trigger CI", []))
    assert (analysis.tier, analysis.modules, analysis.key_files) == ("low", (), ())
    assert analysis.risks == analysis.recommendations == analysis.insights == ()
    nothing = "Changes no files." if analyzer is EN else "没有改动任何文件。"
    assert analysis.summary.endswith(nothing)


@pytest.mark.parametrize("subject", ["", "   ", "[NPU]", "(#18474)"])
def test_empty_subject(subject: str) -> None:
    commit = make(subject, [("src/a.py", 3, 1)])
    assert EN.analyze(commit).summary == "Extends code in src (1 file, +3/−1)."
    assert ZH.analyze(commit).summary == "扩展了 src 中的代码（1 个文件，+3/−1）。"


def test_binary_only_commit() -> None:
    image = FileChange(path="docs/_static/image/dpa.png", additions=0, deletions=0, binary=True)
    analysis = EN.analyze(make("Add diagram", (image,)))
    assert analysis.tier == "low"
    assert analysis.key_files == ("docs/_static/image/dpa.png",)
    assert any("Binary files change (docs/_static/image/dpa.png)" in r for r in analysis.risks)
    weights = FileChange(path="model.bin", additions=0, deletions=0, binary=True)
    assert EN.analyze(make("", (weights,))).tier == "low"


def test_merge_commit_says_stats_are_against_the_first_parent() -> None:
    analysis = EN.analyze(make("Merge branch 'dev'", CODE, parents=("a" * 40, "b" * 40)))
    assert any(r.startswith("This is a merge commit") for r in analysis.risks)


def test_five_thousand_files_are_fast_and_bounded() -> None:
    files = [(f"pkg{i % 40}/sub{i % 7}/file_{i:05d}.py", i % 13, i % 5) for i in range(5000)]
    files += [("requirements.txt", 2, 1), ("README.md", 1, 0)]
    commit = make("Vendor everything", files)
    start = time.perf_counter()
    zh, en = ZH.analyze(commit), EN.analyze(commit)
    assert time.perf_counter() - start < 2.0
    for analysis in (zh, en):
        assert analysis.tier == "high"
        assert len(analysis.modules) == 5 and len(analysis.key_files) == 5
        assert all(len(text) < 1200 for text in texts(analysis))
        assert len(analysis.risks) <= 16
    assert any("and 275 more" in r for r in en.risks)  # 280 modules of code, five named
    assert any("等 280 项" in r for r in zh.risks)
    assert not any("等 280 项 " in r for r in zh.risks)  # no stray space before Chinese text
    # 16 lines is the most (i % 13 == 12, i % 5 == 4); of those files the first by name wins.
    assert en.key_files[0] == "pkg14/sub0/file_02534.py"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        RulesAnalyzer("fr")  # type: ignore[arg-type]
