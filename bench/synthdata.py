"""The real shapes a synthetic repository imitates, and how its messages vary them.

Everything comes from the repository's own fixtures (387 real sgl-project/sglang commits):
`tests/fixtures/sglang-2026-02-10_2026-02-14.json` (subjects, people with e-mails, dates
with their UTC offsets, renames, a binary file) and
`tests/fixtures/tier-labels-sglang-2026-03-16_2026-03-22.json.gz` (whole messages with
their bodies, authors, per-file line counts). Each synthetic commit starts from one of
them (its file list and line counts, its kind of subject, its author) and is varied:
a new pull-request number, about 15% of subjects rewritten in Chinese from templates,
other authors now and then, and new contributors as the project grows.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DAYS_FIXTURE = FIXTURES / "sglang-2026-02-10_2026-02-14.json"
LABELS_FIXTURE = FIXTURES / "tier-labels-sglang-2026-03-16_2026-03-22.json.gz"
CHINESE_SHARE = 0.15
PR_SUFFIX = re.compile(r"(?:\s*\(#\d+\))+\s*$")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{1,30}")
# `{old => new}` inside a path, as `git log --numstat` without -z prints a rename.
BRACE_RENAME = re.compile(r"^(.*)\{(.*) => (.*)\}(.*)$")
# Leading `[Tag]`s and a conventional `type(scope)!:` prefix: kept when a subject is
# rewritten in Chinese, since they declare the change type the importance score reads.
LEAD = re.compile(r"^((?:\[[^\]]*\]\s*)*)((?:[A-Za-z]+(?:\([^)]*\))?!?:\s*)?)")


@dataclass(frozen=True)
class FileShape:
    path: str
    old_path: str | None
    additions: int
    deletions: int
    binary: bool


@dataclass(frozen=True)
class Template:
    """One real commit: what a synthetic commit copies and varies."""

    subject: str
    """Without its `(#123)` pull-request suffix."""
    has_pr: bool
    body: str
    author: str
    files: tuple[FileShape, ...]
    offsets: tuple[str, str] | None
    """(author, committer) UTC offsets as git writes them (`+0800`), when recorded."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Shapes:
    templates: tuple[Template, ...]
    bodies: tuple[str, ...]
    """Bodies of real messages that have one (most are Co-authored-by trailers)."""
    body_share: float
    hours: tuple[int, ...]
    """Commits per local hour (Asia/Shanghai) in the real data."""
    day_counts: dict[str, int]
    """Commits per local day in the real data (12 days)."""
    offsets: tuple[tuple[str, str], ...]
    """Recorded (author, committer) offset pairs: GitHub merges at +0800 or -0800 mostly."""
    authors: dict[str, int]
    """Real author names and how many commits each made."""
    emails: dict[str, str]


def load_shapes() -> Shapes:
    days = json.loads(DAYS_FIXTURE.read_text(encoding="utf-8"))
    with gzip.open(LABELS_FIXTURE, "rt", encoding="utf-8") as stream:
        labelled = json.load(stream)["commits"]
    recorded = [c for day in days["days"] for c in day["commits"]]
    templates = [_from_days_fixture(c) for c in recorded]
    templates += [_from_labels(c) for c in labelled]
    bodies = tuple(t.body for t in templates if t.body)
    local_times = [c["time_local"] for c in recorded + labelled]
    hours = Counter(int(t[11:13]) for t in local_times)
    return Shapes(
        templates=tuple(templates),
        bodies=bodies,
        body_share=len(bodies) / len(labelled),  # the only fixture that keeps bodies
        hours=tuple(hours[h] for h in range(24)),
        day_counts=dict(Counter(t[:10] for t in local_times)),
        offsets=tuple(t.offsets for t in templates if t.offsets),
        authors=dict(Counter(t.author for t in templates)),
        emails={c["author_name"]: c["author_email"] for c in recorded},
    )


def _offset(iso: str) -> str:
    return iso[-6:].replace(":", "")


def _from_days_fixture(c: dict) -> Template:
    files = tuple(
        FileShape(
            path=f["path"],
            old_path=f.get("old_path"),
            additions=f["additions"] or 0,
            deletions=f["deletions"] or 0,
            binary=bool(f.get("binary")),
        )
        for f in c["files"]
    )
    offsets = (_offset(c["author_date"]), _offset(c["committer_date"]))
    subject = PR_SUFFIX.sub("", c["subject"])
    has_pr = subject != c["subject"]
    return Template(subject, has_pr, "", c["author_name"], files, offsets)


def _from_labels(c: dict) -> Template:
    files = []
    for f in c["files"]:
        old, path = _split_rename(f["path"])
        files.append(FileShape(path, old, f["additions"] or 0, f["deletions"] or 0, False))
    first, _, body = c["message"].partition("\n\n")
    line = " ".join(first.splitlines())
    subject = PR_SUFFIX.sub("", line)
    return Template(subject, subject != line, body.strip(), c["author"], tuple(files), None)


def _split_rename(path: str) -> tuple[str | None, str]:
    """(old, new) of `dir/{a => b}/x`; (None, path) when the path is no rename."""
    match = BRACE_RENAME.match(path)
    if match:
        head, old, new, tail = match.groups()
        return _join(head, old, tail), _join(head, new, tail)
    if " => " in path:
        old, new = path.split(" => ", 1)
        return old, new
    return None, path


def _join(head: str, middle: str, tail: str) -> str:
    # `a/{ => b}/c` stands for a/c → a/b/c: an empty side leaves a doubled slash.
    return (head + middle + tail).replace("//", "/")


# -- messages ------------------------------------------------------------------

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("revert", r"^revert\b"),
        ("fix", r"\b(fix\w*|bugs?|crash\w*|errors?|hang|leak|wrong|incorrect|broken)\b"),
        ("perf", r"\b(perf|optimi[sz]\w*|speed\s?up|faster|latency|throughput)\b"),
        ("refactor", r"\b(refactor\w*|clean\s?up|renam\w*|move|simplif\w*)\b"),
        ("docs", r"\b(docs?|documentation|readme|guide)\b"),
        ("test", r"\b(tests?|ut|test cases?)\b"),
        ("ci", r"\b(ci|workflows?|runners?)\b"),
        ("build", r"\b(bump|upgrade|deps?|dependenc\w+)\b"),
        ("feat", r"\b(feat|add\w*|support\w*|introduc\w*|enabl\w*|implement\w*|new)\b"),
    )
)
CHINESE: dict[str, tuple[str, ...]] = {
    "fix": (
        "修复 {m} 中的{t}问题",
        "修复 {m} 在{c}场景下崩溃的问题",
        "修复 {m} 的{t}错误",
        "修正 {m} 的参数校验",
    ),
    "perf": ("优化 {m} 的{t}性能", "提升 {m} 在{c}下的吞吐", "减少 {m} 的{t}开销"),
    "feat": ("支持 {m} 的{t}", "新增 {m} {t}功能", "{m} 支持{c}", "为 {m} 添加{t}选项"),
    "refactor": ("重构 {m} 的{t}逻辑", "整理 {m} 的代码结构", "拆分 {m} 模块"),
    "docs": ("更新 {m} 文档", "补充{t}的使用说明", "完善 {m} 相关文档"),
    "test": ("为 {m} 添加单元测试", "修复不稳定的 {m} 测试", "增加{c}场景的测试用例"),
    "ci": ("调整 {m} 的 CI 配置", "更新{t}相关的 CI 流水线", "修复 CI 中 {m} 任务失败"),
    "build": ("升级{t}依赖", "更新 {m} 构建脚本"),
    "other": ("更新 {m}", "调整 {m} 默认配置", "清理 {m} 中的无用代码", "改进 {m} 的{t}"),
}
TOPICS = (
    "KV 缓存",
    "显存占用",
    "调度",
    "CUDA Graph",
    "权重加载",
    "注意力后端",
    "分词器",
    "采样参数",
    "超时处理",
    "日志",
    "并发请求",
    "量化配置",
    "专家并行",
    "前缀缓存",
    "内存泄漏",
    "启动参数",
    "批处理",
)
CONDITIONS = (
    "多卡",
    "FP8",
    "DeepSeek-V3",
    "Qwen3",
    "长上下文",
    "投机解码",
    "PD 分离",
    "昇腾 NPU",
    "AMD GPU",
    "高并发",
)
NEW_NAMES = ("dev", "ai", "bot", "x", "00", "42", "hpc", "ml", "sys", "inf")


def kind_of(subject: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(subject):
            return kind
    return "other"


def module_of(path: str, rng: random.Random) -> str:
    """What a reader calls the place a file is in: its folder, or its own name."""
    parts = path.split("/")
    stem = parts[-1].split(".")[0]
    folder = parts[-2] if len(parts) > 1 else stem
    named = IDENTIFIER.fullmatch(stem) and stem != "__init__"
    return stem if named and rng.random() < 0.5 else folder


class Messages:
    """Subjects, bodies and people for synthetic commits, varied from their templates."""

    def __init__(self, shapes: Shapes, rng: random.Random, first_pr: int = 1000) -> None:
        self.shapes, self.rng, self.pr = shapes, rng, first_pr
        self.known = set(shapes.authors)
        self.used: set[int] = set()
        self.names = list(shapes.authors)
        self.weights = [shapes.authors[n] for n in self.names]
        self.first_names = sorted({n.split()[0].split("-")[0] for n in self.names})

    def message(self, template: Template, main_path: str) -> str:
        subject = template.subject
        if not subject.lower().startswith("revert") and self.rng.random() < CHINESE_SHARE:
            subject = self._chinese(subject, main_path)
        if template.has_pr:
            subject += f" (#{self._pr_number()})"
        body = template.body
        if not body and template.offsets and self.rng.random() < self.shapes.body_share:
            body = self.rng.choice(self.shapes.bodies)
        return f"{subject}\n\n{body}\n" if body else f"{subject}\n"

    def _pr_number(self) -> int:
        """Numbers grow faster than merges (issues and closed PRs take numbers too), and
        pull requests merge out of the order they were opened in."""
        self.pr += self.rng.choice((1, 1, 1, 2, 2, 3))
        number = max(1, self.pr - int(self.rng.expovariate(1 / 60)))
        while number in self.used:
            number += 1
        self.used.add(number)
        return number

    def _chinese(self, subject: str, main_path: str) -> str:
        lead = LEAD.match(subject)
        kept = lead.group(0) if lead else ""  # [Tags] and a conventional prefix
        kind = kind_of(subject)
        pattern = self.rng.choice(CHINESE[kind if kind in CHINESE else "other"])
        text = pattern.format(
            m=module_of(main_path, self.rng),
            t=self.rng.choice(TOPICS),
            c=self.rng.choice(CONDITIONS),
        )
        return kept + text

    def author(self, template: Template) -> Person:
        """The template's author mostly; sometimes another regular; rarely someone new
        (who then stays, as contributors do)."""
        draw = self.rng.random()
        if draw < 0.85:
            name = template.author
        elif draw < 0.97:
            name = self.rng.choices(self.names, self.weights)[0]
        else:
            name = f"{self.rng.choice(self.first_names)}-{self.rng.choice(NEW_NAMES)}"
            name += str(self.rng.randrange(100)) if name in self.known else ""
            if name not in self.known:
                self.known.add(name)
                self.names.append(name)
                self.weights.append(1)
        return Person(name, self.email(name))

    def email(self, name: str) -> str:
        known = self.shapes.emails.get(name)
        if known:
            return known
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "user"
        # GitHub's private address: a stable numeric id, then the login.
        number = zlib.crc32(name.encode()) % 90_000_000 + 1_000_000
        return f"{number}+{slug}@users.noreply.github.com"

    def offsets(self, template: Template) -> tuple[str, str]:
        return template.offsets or self.rng.choice(self.shapes.offsets)
