"""Topics: the bilingual glossary and the matcher, checked on real sglang subjects and paths."""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.analysis import topics as topics_module
from generator.analysis.topics import (
    Entry,
    commit_topics,
    fingerprint,
    joined,
    load_glossary,
    shipped_entries,
    topics,
)
from generator.config import GlossaryEntry, load_config
from generator.errors import ConfigError
from generator.models import FileChange, PullRequest

from factory import at, make_commit

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "sglang-2026-02-10_2026-02-14.json"
SGLANG = "sgl-project/sglang"


def fixture_commits() -> list[dict[str, object]]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [commit for day in data["days"] for commit in day["commits"]]


# ---- The owner's examples and the traps the issue names


def test_the_issue_example_names_quantization_and_moe():
    subject = "[2/N] Quantization Refactor: Compressed tensors MoE schemes (#17503)"
    assert topics(subject) == ("量化", "混合专家")
    assert topics(subject, language="en") == ("quantization", "mixture of experts")


@pytest.mark.parametrize(
    ("subject", "topic"),
    [
        ("[Spec] Move forward timeout before verify to fix Eagle v1 filter mismatch", "投机解码"),
        ("Add EAGLE3 support for Llama 4", "投机解码"),
        ("[AMD] Fix accuracy issue when running TP4 dsv3 model with mtp", "投机解码"),
        ("Fix idle batch predict dtype in spec v2", "投机解码"),
        ("Refactor spec_decode utils", "投机解码"),
        ("Add SpecDecode metrics", "投机解码"),
        ("[llama] Allow passing tp_rank and tp_size into llama mlp", "张量并行"),
        ("[AMD] Fix accuracy issue when running TP4 dsv3 model with mtp", "张量并行"),
        ("[HiCache][PP] add test case for compatibility", "流水线并行"),
        ("Overlap shared experts with deepep dispatch", "专家并行"),
        ("Add EP=2 to qwen235b nightly tests", "专家并行"),
        ("[Perf] Tune fused moe kernel on H100", "混合专家"),
        ("Refactor FusedMoE into modular kernels", "混合专家"),
        ("Fp8 prefill attn kernel integration", "注意力"),
        ("Fp8 prefill attn kernel integration", "算子"),
        ("[DLLM] Basic dLLM scheduling strategy and implementation", "调度"),
        ("Support KVCache events in the router", "KV 缓存"),
        ("Fix flaky penalty tests by using higher temperature", "采样"),
        ("Add tokenizer_path option", "分词器"),
    ],
)
def test_a_subject_names_the_topic(subject, topic):
    assert topic in topics(subject)


@pytest.mark.parametrize(
    ("subject", "absent"),
    [
        ("Fix quantity check in allocator", "量化"),  # `quant` is not in `quantity`
        ("Skip the first step of warmup", "专家并行"),  # `ep` is not in `step`
        ("fix prefill tps log accuracy", "张量并行"),  # `tps` is tokens per second
        ("Speed up the cpp extension build", "流水线并行"),  # `pp` is not in `cpp`
        ("Fix ZeroExpertFusedMoE", "专家并行"),  # `expert` alone is MoE, not EP
        ("Disable swa memory for gpt-oss with spec", "张量并行"),
        ("[Doc] Convert the speculative decoding notebook to markdown", "解码"),
        ("Fix paged attention page table", "注意力"),  # the compound is its own topic
    ],
)
def test_a_trap_does_not_name_the_topic(subject, absent):
    assert absent not in topics(subject)


def test_a_multi_word_term_beats_its_parts_and_order_is_first_occurrence():
    assert topics("[Doc] Convert the speculative decoding notebook") == ("文档", "投机解码")
    assert topics("speculative decoding docs") == ("投机解码", "文档")


def test_path_segments_name_topics_on_whole_words():
    quantization = "python/sglang/srt/layers/quantization/fp8_kernel.py"
    assert topics("", paths=[quantization], repo=SGLANG) == ("量化", "算子")
    assert topics("", paths=["test/srt/quant/test_awq.py"]) == ("测试", "量化")
    assert topics("", paths=["python/sglang/srt/utils/quantity.py"], repo=SGLANG) == ()
    assert topics("", paths=["python/sglang/srt/managers/scheduler.py"], repo=SGLANG) == ("调度",)


def test_chinese_subjects_name_english_topics():
    assert topics("修复量化内核的bug", language="en") == ("quantization", "kernel")
    assert topics("支持投机解码与张量并行", language="en") == (
        "speculative decoding",
        "tensor parallelism",
    )
    # The longer Chinese name wins, as in English: 显存溢出 is OOM, not also memory.
    assert topics("修复显存溢出", language="en") == ("out of memory",)
    # Mixed text: English tokens still count around Chinese ones.
    assert topics("修复TP4下的fp8量化问题", language="en") == ("tensor parallelism", "quantization")


def test_the_title_and_labels_count_and_workflow_labels_do_not():
    found = topics("Fix #123", pr_title="Fix NCCL hang", labels=["run-ci", "high priority"])
    assert found == ("集合通信", "卡死")
    assert topics("Fix #123", labels=["speculative-decoding", "quant"]) == ("投机解码", "量化")


def test_the_subject_comes_before_paths_which_need_a_share_of_the_files():
    paths = [f"python/sglang/srt/layers/moe/part{i}.py" for i in range(7)]
    paths.append("python/sglang/srt/managers/scheduler.py")
    # One file in eight: the scheduler is touched, the commit is not about it.
    found = topics("Add LoRA to embedding models", paths=paths, repo=SGLANG)
    assert found == ("LoRA", "嵌入模型", "混合专家")
    assert topics("Fix", paths=paths[-2:], repo=SGLANG) == ("混合专家", "调度")


def test_at_most_five_topics():
    subject = "Nsa trtllm mla sparse fp8 support with Deepseek v3.2 NVFP4 on B200 with EAGLE"
    found = topics(subject)
    assert found == ("稀疏注意力", "TensorRT-LLM", "MLA 注意力", "量化", "DeepSeek")


def test_the_repository_s_own_topic_is_left_out():
    paths = ["flashinfer/gemm/gemm_base.py", "flashinfer/jit/core.py"]
    assert "FlashInfer" in topics("Bump FlashInfer", paths=paths)
    assert topics("Bump FlashInfer", paths=paths, repo="flashinfer-ai/flashinfer") == (
        "依赖",
        "矩阵乘",
        "JIT 编译",
    )
    assert "SGLang" not in topics("Enable SGLANG_ENABLE_SPEC_V2", repo=SGLANG)


def test_a_recorded_commit_s_topics_come_from_its_facts():
    commit = make_commit(
        "Fix #123",
        at(date(2026, 2, 10), 9),
        files=(FileChange(path="python/sglang/srt/speculative/eagle_worker.py", additions=1,
                          deletions=1),),
    )  # fmt: skip
    assert commit_topics(commit, "zh", repo=SGLANG) == ("投机解码",)
    pull = PullRequest(number=123, title="Fix NCCL hang", labels=("run-ci", "quant"))
    with_pull = commit.model_copy(update={"pull_request": pull})
    assert commit_topics(with_pull, "en", repo=SGLANG) == (
        "collective communication",
        "hang",
        "quantization",
        "speculative decoding",
    )


# ---- Real sglang commits: what each gets, reviewed by hand


REVIEWED = {
    "[NPU] update npu doc (#18474)": ("昇腾", "文档"),
    "[sgl-kernel] upgrade deepgemm (#18362)": ("算子", "依赖", "矩阵乘"),
    "[DLLM] Basic dLLM scheduling strategy and implementation (#17484)": ("扩散语言模型", "调度"),
    "Support GlmMoeDsaForCausalLM (#18521)": ("GLM", "混合专家", "稀疏注意力"),
    "Fix idle batch predict dtype in spec v2 (#18379)": ("批处理", "数据类型", "投机解码"),
    "Add cache_config_info metric. (#17273)": ("监控指标",),
    "model: support Qwen3.5 (#18489)": ("Qwen",),
    "add support to enable lora with embedding models (#17780)": ("LoRA", "嵌入模型"),
    "Register cp-atten-allgather buffers with symm memory (#17756)": (
        "上下文并行",
        "注意力",
        "集合通信",
    ),
    "Tiny fix regex warning (#18592)": (),
    "chore: fix some typos (#18577)": ("拼写错误",),
    "Fix radix cache key to include generated tokens in multi-turn (regression) (#16521)": (
        "基数树缓存",
        "多轮对话",
        "回归",
    ),
    "[Bugfix] fix config bug caused by PR #18273 (#18535)": (),
    "Avoid kimi linear stream sync (#16186)": ("Kimi", "CUDA 流"),
    "[Kernel Slimming] Migrate GPTQ-Marlin repack kernel to JIT (#18543)": (
        "算子",
        "量化",
        "JIT 编译",
    ),
    "[Kernel] Add JIT rotary_embedding_kernel (#17934)": ("算子", "JIT 编译", "旋转位置编码"),
    "[AMD] Fix accuracy issue when running TP4 dsv3 model with mtp (#18607)": (
        "AMD",
        "精度",
        "张量并行",
        "DeepSeek",
        "投机解码",
    ),
    "[PD-Disagg] Fix double free when prebuilt batch is aborted. (#18822)": (
        "PD 分离",
        "批处理",
        "请求中止",
    ),
    "Handle abort for retracted requests in disagg decode prealloc queue (#18705)": (
        "请求中止",
        "抢占",
        "PD 分离",
        "解码",
        "请求队列",
    ),
    "Fix CI concurrency collision between scheduled runs and fork PRs (#18826)": (
        "持续集成",
        "定时任务",
    ),
    "Make PR based docker and pypi workflow work for forked PR (#18720)": (
        "Docker",
        "打包",
        "持续集成",
    ),
    "Deepseekv32 compatibility with transformers v5 (#18297)": (
        "DeepSeek",
        "兼容性",
        "Hugging Face",
    ),
}


def test_reviewed_sglang_subjects_get_their_topics():
    subjects = {c["subject"] for c in fixture_commits()}
    assert set(REVIEWED) <= subjects
    assert {s: topics(s, repo=SGLANG) for s in REVIEWED} == REVIEWED


ENGLISH = {
    "量化": re.compile(r"quant|fp8|fp4|int4|awq|gptq|marlin|modelopt|nvfp4|mxfp4", re.I),
    "投机解码": re.compile(r"specul|\bspec\b|spec_v2|eagle|\bmtp\b|_mtp|mtp_|nextn", re.I),
    "调度": re.compile(r"scheduler|scheduling|schedule_(batch|policy)|\[schedule\]", re.I),
    "张量并行": re.compile(r"tensor.parallel|\btp\b|\btp_|\btp\d", re.I),
}


def test_every_sglang_commit_of_the_fixture_week_gets_sensible_topics():
    commits = fixture_commits()
    found = [
        topics(c["subject"], paths=[f["path"] for f in c["files"]], repo=SGLANG) for c in commits
    ]
    assert sum(1 for t in found if t) >= 0.95 * len(commits)
    assert all(len(t) <= 5 for t in found)
    assert not any("SGLang" in t for t in found)
    # A reader's search for the topic finds every commit whose subject names it in English,
    # and only commits whose subject or paths name it.
    for name, english in ENGLISH.items():
        tagged = {i for i, t in enumerate(found) if name in t}
        by_subject = {i for i, c in enumerate(commits) if english.search(c["subject"])}
        by_paths = {
            i for i, c in enumerate(commits) if any(english.search(f["path"]) for f in c["files"])
        }
        assert by_subject <= tagged, name
        assert tagged <= by_subject | by_paths, name


def test_matching_a_week_of_paths_is_cheap():
    commits = fixture_commits()
    glossary = load_glossary()
    paths = [[f["path"] for f in c["files"]] for c in commits]
    for commit, files in zip(commits, paths, strict=True):
        glossary.topics(commit["subject"], paths=files)
    # Segments are cached: every path segment was matched once.
    segments = {s for files in paths for path in files for s in path.split("/")}
    assert len(glossary._segments) >= len(segments) * 0.9


# ---- The shipped data


def test_the_shipped_glossary_is_a_few_hundred_valid_entries():
    raw = yaml.safe_load((ROOT / "generator/analysis/glossary.yml").read_text(encoding="utf-8"))
    entries = [GlossaryEntry.model_validate(item) for item in raw["entries"]]
    assert 250 <= len(entries) <= 400
    assert all(e.zh for e in entries)
    assert len({e.term.casefold() for e in entries}) == len(entries)
    assert len({e.zh for e in entries}) == len(entries)


def test_each_spelling_belongs_to_one_topic():
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in shipped_entries():
        for spelling in entry.spellings():
            key = spelling.lower() if topics_module._CJK.search(spelling) else joined(spelling)
            owners[key].add(entry.term)
    shared = {key: terms for key, terms in owners.items() if len(terms) > 1}
    assert shared == {}


def test_the_glossary_ships_with_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "glossary.yml" in pyproject["tool"]["setuptools"]["package-data"]["generator.analysis"]


# ---- The config's glossary: entries


def test_config_entries_replace_shipped_ones_and_add_new_ones(write_config):
    config = load_config(
        write_config(
            repos=[{"name": "o/r", "source": "github"}],
            glossary=[
                {"term": "Quantization", "zh": "量化方案", "variants": ["quant"]},
                {"term": "Blackwell Ultra", "zh": "B300", "variants": ["b300", "gb300"]},
                {"term": "HiSparse", "zh": "分层稀疏", "zh_variants": ["分层稀疏注意力"]},
            ],
        )
    )
    glossary = load_glossary(config.glossary)
    # Replaced in place: the new name, and only the variants the config lists.
    assert glossary.topics("Add quant config") == ("量化方案",)
    assert glossary.topics("Add fp8 gemm") == ("矩阵乘",)
    # A config entry takes a spelling a shipped entry also lists.
    assert glossary.topics("Fix GB300 hang", language="en") == ("Blackwell Ultra", "hang")
    assert glossary.topics("优化分层稀疏注意力", language="en") == ("performance", "HiSparse")
    assert [e.term for e in glossary.entries][-2:] == ["Blackwell Ultra", "HiSparse"]
    assert len(glossary.entries) == len(shipped_entries()) + 2


def test_the_fingerprint_changes_with_the_glossary_and_only_then():
    shipped = fingerprint()
    assert fingerprint() == shipped
    assert load_glossary().fingerprint() == shipped
    same = shipped_entries()[0]
    assert load_glossary([same]).fingerprint() == shipped
    assert load_glossary([Entry("HiSparse", "分层稀疏")]).fingerprint() != shipped
    changed = Entry(same.term, same.zh, (*same.variants, "specdec"), same.zh_variants)
    assert load_glossary([changed]).fingerprint() not in {shipped}
    assert len(shipped) == 12


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"term": "quant", "variant": ["q"]},
         "glossary[0].variant: unknown key; did you mean 'variants'?"),
        ({"term": "quant", "variants": ["c"]},
         "glossary[0].variants[0]: 'c' cannot be matched: a spelling needs two ASCII letters"),
        ({"term": "C", "zh": "C"}, "glossary[0]: 'C' names nothing that can be matched"),
        ({"zh": "量化"}, "glossary[0].term: required key is missing"),
        ({"term": "quant", "variants": "fp8"}, "glossary[0].variants: must be a list"),
    ],
)  # fmt: skip
def test_a_bad_glossary_entry_is_one_line_naming_the_key(write_config, entry, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(repos=[{"name": "o/r", "source": "github"}], glossary=[entry]))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_term_listed_twice_is_a_config_error(write_config):
    glossary = [{"term": "HiSparse"}, {"term": "hisparse", "zh": "分层稀疏"}]
    with pytest.raises(ConfigError, match="glossary: term 'hisparse' is listed twice"):
        load_config(write_config(repos=[{"name": "o/r", "source": "github"}], glossary=glossary))
