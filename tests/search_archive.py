"""A small zh archive for search tests: what readers search for, spread over months and years.

Two repositories and a watch (its page is a page kind too), commits in December 2025,
January and February 2026 (so three index
parts and two years), written as records with analyses in Chinese the way an LLM or the
rules analyzer writes them: a quantization commit in each year (the older one says 量化
more often, so only the sort can put the newer first), a scheduler fix that touched a
critical path (关键路径), a fused_moe tuning commit, a refactor whose analysis mentions
DeepSeek in passing a day after a commit named for it, and a subject with markup in it.
Each has the topics the shipped glossary gives it (量化, 调度, 混合专家 …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from generator.analysis.topics import commit_topics
from generator.config import Config, load_config
from generator.models import Analysis, Commit, FileChange, InterfaceChange, Person
from generator.pipeline import build
from generator.releases import ModuleChange, Ref, ReleaseCommit, ReleaseRecord
from generator.releases.record import store_release

from factory import SHANGHAI, make_record, sha_of, store

SGLANG, WIDGETS = "sgl-project/sglang", "acme/widgets"


@dataclass(frozen=True)
class Planned:
    key: str
    repo: str
    when: datetime
    subject: str
    summary: str
    tier: str
    change_type: str
    path: str


PLANNED = [
    Planned(
        "fp8",
        SGLANG,
        datetime(2026, 2, 10, 14, 5, tzinfo=SHANGHAI),
        "[Quant] Add FP8 block-wise kernels for DeepSeek (#18851)",
        "为 DeepSeek 新增 FP8 分块量化内核，降低显存占用。",
        "high",
        "feature",
        "python/sglang/srt/layers/quantization/fp8_kernel.py",
    ),
    Planned(
        "fused_moe",
        SGLANG,
        datetime(2026, 2, 10, 9, 30, tzinfo=SHANGHAI),
        "[MoE] Tune the fused_moe Triton config for H100 (#18790)",
        "调整 H100 上 fused_moe 的 Triton 配置，提高吞吐。",
        "medium",
        "performance",
        "python/sglang/srt/layers/moe/fused_moe_triton/configs/E=256,N=128,device_name=H100.json",
    ),
    Planned(
        "widget_scheduler",
        WIDGETS,
        datetime(2026, 2, 11, 11, 0, tzinfo=SHANGHAI),
        "refactor: split the scheduler loop into stages",
        "把调度循环拆成三个阶段，便于测试；分阶段的做法参考了 DeepSeek。",
        "medium",
        "refactor",
        "widgets/scheduler.py",
    ),
    Planned(
        "deadlock",
        SGLANG,
        datetime(2026, 1, 20, 16, 45, tzinfo=SHANGHAI),
        "fix: scheduler deadlock when a request is aborted (#18500)",
        "修复请求中止时调度器的死锁；改动了关键路径 python/sglang/srt/managers/** 下的文件"
        "（scheduler.py）。",
        "high",
        "fix",
        "python/sglang/srt/managers/scheduler.py",
    ),
    Planned(
        "markup",
        WIDGETS,
        datetime(2026, 1, 5, 10, 0, tzinfo=SHANGHAI),
        "<img src=x onerror=\"window.pwned='search'\"> widget markup test",
        "标题里有 HTML 的提交：页面与搜索结果都只应显示文字。",
        "low",
        "chore",
        "widgets/markup.py",
    ),
    Planned(
        "fp8_first",
        SGLANG,
        datetime(2025, 12, 30, 20, 0, tzinfo=SHANGHAI),
        "[Quant] Initial FP8 quantization support (#17000)",
        "首次支持 FP8 量化：量化权重、量化激活与量化配置，量化误差在 1% 以内。",
        "high",
        "feature",
        "python/sglang/srt/layers/quantization/fp8.py",
    ),
]


def planned_commit(plan: Planned) -> Commit:
    """The commit, its analysis as written above, with the topics the glossary gives it."""
    person = Person(name="Ann Author", email="ann@example.org")
    sha = sha_of(plan.subject)
    commit = Commit(
        sha=sha,
        parents=(sha_of(sha),),
        author=person,
        committer=person,
        authored_at=plan.when,
        committed_at=plan.when,
        subject=plan.subject,
        files=(FileChange(path=plan.path, additions=40, deletions=3),),
        analysis=Analysis(
            tier=plan.tier,
            change_type=plan.change_type,
            summary=plan.summary,
            modules=(plan.path.rsplit("/", 1)[0],),
            key_files=(plan.path,),
            analyzer="test",
            language="zh",
        ),
    )
    topics = commit_topics(commit, "zh", repo=plan.repo)
    return commit.model_copy(
        update={"analysis": commit.analysis.model_copy(update={"topics": topics})}
    )


@dataclass(frozen=True)
class SearchSite:
    config: Config
    site_dir: Path
    commits: dict[str, Commit]
    """By key of PLANNED."""

    def commit_path(self, key: str) -> str:
        """The commit page's path below the site URL (`commits/<repo>/<sha12>/`)."""
        plan = next(p for p in PLANNED if p.key == key)
        return f"commits/{plan.repo}/{self.commits[key].sha[:12]}/"


def release_record(commits: dict[str, Commit]) -> ReleaseRecord:
    """sglang's release of 2026-02-12 over the commits of February: an interface table
    with breaking changes, a dependency bump, a cherry-pick and a release-branch commit."""
    start = datetime(2026, 2, 1, 12, 0, tzinfo=SHANGHAI)
    tag = datetime(2026, 2, 12, 12, 0, tzinfo=SHANGHAI)
    listed = [
        ReleaseCommit(
            sha=c.sha,
            subject=c.subject,
            committed=c.committed_at,
            branch_sha=c.sha,
            branch_committed=c.committed_at,
            match="sha",
        )
        for c in commits.values()
        if start <= c.committed_at < tag and c.sha
    ]
    fp8 = commits["fp8"]
    listed.append(
        ReleaseCommit(
            sha=sha_of("pick"),
            subject=f"[Cherry-pick to release/v0.5.9] {fp8.subject}",
            committed=tag,
            branch_sha=fp8.sha,
            branch_committed=fp8.committed_at,
            match="subject",
        )
    )
    listed.append(ReleaseCommit(sha=sha_of("bump"), subject="chore: v0.5.9", committed=tag))
    args, envs = "python/sglang/srt/server_args.py", "python/sglang/srt/environ.py"
    return ReleaseRecord(
        repo=SGLANG,
        release=Ref(name="v0.5.9", sha=sha_of("v0.5.9"), date=tag),
        previous=Ref(name="v0.5.8", sha=sha_of("v0.5.8"), date=start),
        commits=tuple(listed),
        interface_changes=(
            InterfaceChange(
                kind="env",
                name="SGLANG_USE_FP8_BLOCK",
                change="added",
                file=envs,
                new="EnvBool(False)",
            ),
            InterfaceChange(
                kind="env",
                name="SGLANG_OLD_QUANT",
                change="removed",
                file=envs,
                old="EnvBool(True)",
            ),
            InterfaceChange(
                kind="option",
                name="--quantization",
                change="default",
                file=args,
                old="None",
                new='"fp8"',
            ),
            InterfaceChange(
                kind="dependency",
                name="torch",
                change="default",
                file="python/pyproject.toml",
                old="==2.8.0",
                new="==2.9.1",
            ),
        ),
        modules=(ModuleChange(name="python/sglang/srt/layers", files=3, lines=120),),
    )


def build_search_site(folder: Path, language: str = "zh") -> SearchSite:
    """Records for PLANNED, then `generator build` (pages, MkDocs, Pagefind) in `folder`."""
    config_file = folder / "digest.yml"
    config_file.write_text(
        f"site_url: https://example.org/digest/\nlanguage: {language}\nrepos:\n"
        f"  - name: {SGLANG}\n    path: .\n  - name: {WIDGETS}\n    path: .\n"
        # A watch, so that the site has a watch page too (the accessibility tests).
        "watches:\n  - name: moe\n    title: MoE 内核\n    keywords: [fused_moe, scheduler]\n",
        encoding="utf-8",
    )
    config = load_config(config_file)
    commits = {plan.key: planned_commit(plan) for plan in PLANNED}
    days: dict[tuple[str, date], list[Commit]] = {}
    for plan in PLANNED:
        days.setdefault((plan.repo, plan.when.date()), []).append(commits[plan.key])
    for (repo, day), found in days.items():
        newest_first = sorted(found, key=lambda c: c.committed_at, reverse=True)
        store(config, make_record(repo, day, newest_first))
    # The rest of the week of 2026-02-10 recorded, without commits: a complete week, so
    # the site has a weekly report too (no day page, nothing new to search).
    for n in range(7):
        day = date(2026, 2, 9) + timedelta(days=n)
        if (SGLANG, day) not in days:
            store(config, make_record(SGLANG, day, []))
    store_release(config.data_dir, release_record(commits))  # a release page, a page kind too
    built = build(config)
    return SearchSite(config, built.site.site_dir, commits)
