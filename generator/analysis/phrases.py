"""The sentences the rules analyzer writes, in Simplified Chinese and English.

`rules.py` decides what a commit is and which signals it shows; this module says it. Each
template is a `str.format` string filled with paths, module names and counts, which stay
verbatim in both languages; everything else is in the requested language only. Lists are cut
to five with "and N more". All text is plain text: the page layer escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.analysis.facts import Facts
from generator.models import FILE_KINDS, ChangeType, FileKind
from generator.text import Language

# What the commit did to its files, by change type: the badge names the type, the summary
# says what happened where.
VERBS: dict[Language, dict[ChangeType, str]] = {
    "zh": {
        "feature": "扩展了",
        "fix": "修复了",
        "performance": "优化了",
        "refactor": "重构了",
        "docs": "更新了",
        "test": "调整了",
        "ci": "调整了",
        "build": "调整了",
        "chore": "整理了",
        "revert": "回滚了",
    },
    "en": {
        "feature": "Extends",
        "fix": "Fixes",
        "performance": "Speeds up",
        "refactor": "Restructures",
        "docs": "Updates",
        "test": "Changes",
        "ci": "Changes",
        "build": "Changes",
        "chore": "Tidies",
        "revert": "Reverts",
    },
}
KIND_NOUNS: dict[Language, dict[FileKind, str]] = {
    "zh": {
        "code": "代码",
        "test": "测试",
        "docs": "文档",
        "ci": "持续集成配置",
        "build": "构建文件",
        "generated": "生成文件",
        "other": "其他文件",
    },
    "en": {
        "code": "code",
        "test": "tests",
        "docs": "docs",
        "ci": "CI configuration",
        "build": "build files",
        "generated": "generated files",
        "other": "other files",
    },
}
SUMMARY: dict[str, dict[Language, str]] = {
    "changed": {
        "zh": "{verb} {where}中的{what}（{files} 个文件，+{added}/−{deleted}）。",
        "en": "{verb} {what} {where} ({files} file{s}, +{added}/−{deleted}).",
    },
    "one_module": {"zh": "{module} ", "en": "in {module}"},
    "modules": {"zh": "{module} 等 {count} 个模块", "en": "in {module} and {more} other module{s}"},
    "root": {"zh": "仓库根目录", "en": "the repository root"},
    "and": {"zh": "和", "en": " and "},
    "empty": {"zh": "没有改动任何文件。", "en": "Changes no files."},
}

# Each signal that the rules detect has one risk and one recommendation, keyed alike.
RISKS: dict[str, dict[Language, str]] = {
    "critical": {
        "zh": "改动了关键路径 {globs} 下的文件（{critical_files}）。",
        "en": "Touches the critical paths {globs} ({critical_files}).",
    },
    "breaking": {
        "zh": "提交被标记为破坏性变更，依赖 {modules} 旧行为的调用方会受影响。",
        "en": "The commit is marked as breaking: callers relying on the old behaviour of "
        "{modules} are affected.",
    },
    "revert": {
        "zh": "回滚了此前的改动，其引入的行为将不复存在（{files}）。",
        "en": "Reverts an earlier change, so the behaviour it introduced is gone ({files}).",
    },
    "security": {
        "zh": "涉及安全相关内容（{what}），处理不当可能引入漏洞或权限问题。",
        "en": "Touches security-related matters ({what}): mistakes here can open "
        "vulnerabilities or widen permissions.",
    },
    "deps": {
        "zh": "依赖或构建文件有改动（{build_files}），可能引起版本冲突或环境漂移。",
        "en": "Dependency or build files change ({build_files}): version conflicts or environment "
        "drift are possible.",
    },
    "cli": {
        "zh": "命令行参数有变动（{where}），对外接口随之改变。",
        "en": "Command-line arguments change ({where}): the public interface changes.",
    },
    "large": {
        "zh": "改动规模很大（{count} 个文件，+{added}/−{deleted}），难以完整评审，"
        "出问题时也难以定位。",
        "en": "The change is very large ({count} files, +{added}/−{deleted}): hard to review "
        "in full and to bisect.",
    },
    "deletions": {
        "zh": "删除了 {deleted} 行而只新增 {added} 行（主要在 {modules}），原有行为可能被移除。",
        "en": "Deletes {deleted} lines against {added} added (mostly in {modules}): existing "
        "behaviour may be removed.",
    },
    "untested": {
        "zh": "{code_modules} 中的代码有改动，但没有同时修改任何测试文件。",
        "en": "Code in {code_modules} changes without any test file changing alongside.",
    },
    "renames": {
        "zh": "文件被重命名或移动（{moves}），引用旧路径的导入和链接可能失效。",
        "en": "Files are renamed or moved ({moves}): imports and links using the old paths "
        "may break.",
    },
    "binary": {
        "zh": "包含二进制文件（{binary_files}），无法逐行审阅其差异。",
        "en": "Binary files change ({binary_files}): their diff cannot be reviewed line by line.",
    },
    "merge": {
        "zh": "这是合并提交，统计基于第一个父提交，包含被合并分支在 {modules} 中的全部改动。",
        "en": "This is a merge commit: its stats are against the first parent and include all "
        "of the merged branch's changes in {modules}.",
    },
    "ci_only": {
        "zh": "只改动了持续集成相关文件（{files}），影响流水线行为，不影响运行时。",
        "en": "Only CI files change ({files}): pipeline behaviour changes, the runtime does not.",
    },
    "docs_only": {
        "zh": "只改动了文档（{files}），不影响运行时，风险低。",
        "en": "Only documentation changes ({files}): no runtime effect, low risk.",
    },
    "tests_only": {
        "zh": "只改动了测试或基准代码（{files}），不影响运行时。",
        "en": "Only test or benchmark code changes ({files}): no runtime effect.",
    },
}

RECOMMENDATIONS: dict[str, dict[Language, str]] = {
    "critical": {
        "zh": "请 {globs} 的负责人评审这些文件后再发布。",
        "en": "Have an owner of {globs} review these files before release.",
    },
    "breaking": {
        "zh": "在发布说明中写明迁移方式，并检查 {modules} 的下游使用者。",
        "en": "Write migration notes in the release notes and check the users of {modules}.",
    },
    "revert": {
        "zh": "确认没有后续改动依赖被回滚的内容（{files}），并告知原作者。",
        "en": "Check that no later change builds on what was reverted ({files}) and tell the "
        "original author.",
    },
    "security": {
        "zh": "安排一次安全评审，重点检查 {security_files}。",
        "en": "Schedule a security review focused on {security_files}.",
    },
    "deps": {
        "zh": "重新构建环境或镜像，并核对 {build_files} 中的版本约束与锁文件。",
        "en": "Rebuild the environment or image and check the version pins and lockfile in "
        "{build_files}.",
    },
    "cli": {
        "zh": "同步更新使用这些参数的文档与启动脚本（{where}）。",
        "en": "Update the docs and launch scripts that use these arguments ({where}).",
    },
    "large": {
        "zh": "按模块分批评审（{modules}），出现回归时用二分法定位。",
        "en": "Review it module by module ({modules}) and bisect if regressions show up.",
    },
    "deletions": {
        "zh": "确认 {modules} 中被删除的代码已没有调用方。",
        "en": "Confirm that nothing still calls the code removed from {modules}.",
    },
    "untested": {
        "zh": "为 {code_files} 补充或运行覆盖这些改动的测试。",
        "en": "Add or run tests that cover the changes in {code_files}.",
    },
    "renames": {
        "zh": "在代码和文档中搜索旧路径（{old}）的引用。",
        "en": "Search code and docs for references to the old paths ({old}).",
    },
    "binary": {
        "zh": "核对 {binary_files} 的来源与大小是否合理。",
        "en": "Check the origin and the size of {binary_files}.",
    },
    "merge": {
        "zh": "逐个查看被合并分支中的提交，而不只看这次合并的汇总差异。",
        "en": "Review the merged branch's own commits rather than the merge's combined diff.",
    },
    "ci_only": {
        "zh": "关注使用 {files} 的流水线接下来几次的运行结果。",
        "en": "Watch the next pipeline runs that use {files}.",
    },
    "docs_only": {
        "zh": "确认 {files} 渲染正常、链接有效。",
        "en": "Check the rendered pages and the links of {files}.",
    },
    "tests_only": {
        "zh": "运行 {files}，确认测试稳定通过。",
        "en": "Run {files} and confirm the tests pass reliably.",
    },
}

INSIGHTS: dict[str, dict[Language, str]] = {
    "new_modules": {
        "zh": "看起来新增了目录 {modules}（其中每个文件都只有新增行），代码结构有所扩展。",
        "en": "Adds what look like new directories ({modules}: every file there only gains "
        "lines), which extends the code structure.",
    },
    "removed_modules": {
        "zh": "{modules} 中的文件只有删除行，这些目录可能被整体移除。",
        "en": "Files in {modules} only lose lines: these directories may be removed as a whole.",
    },
    "moves": {
        "zh": "文件在模块之间移动（{moves}），模块边界发生变化。",
        "en": "Files move between modules ({moves}), which shifts module boundaries.",
    },
    "kernels": {
        "zh": "改动了内核或性能敏感代码（{files}），性能特征可能变化，建议用基准测试对比前后表现。",
        "en": "Changes kernel or performance-sensitive code ({files}): performance may shift, "
        "so compare benchmarks before and after.",
    },
    "perf_type": {
        "zh": "本次提交以性能为目标，主要改动在 {modules}，建议用基准测试确认收益。",
        "en": "The commit aims at performance, mainly in {modules}; confirm the gain with "
        "benchmarks.",
    },
    "security": {
        "zh": "涉及安全敏感内容（{what}）。",
        "en": "Touches security-sensitive matters ({what}).",
    },
}

_MORE: dict[Language, str] = {"zh": "{items} 等 {total} 项", "en": "{items} and {more} more"}
_SEPARATOR: dict[Language, str] = {"zh": "、", "en": ", "}
_NOTHING: dict[Language, str] = {"zh": "无", "en": "none"}


def say(
    table: dict[str, dict[Language, str]], name: str, language: Language, **fields: object
) -> str:
    """One sentence: lists in `fields` are joined, everything else is formatted as is."""
    values = {k: join(language, v) if isinstance(v, list | tuple) else v for k, v in fields.items()}
    return tidy(table[name][language].format(**values))


CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u4e00-\u9fff])")
COLONS = re.compile(r"：\s*:|:\s*：|：\s*：")


def tidy(text: str) -> str:
    """No space between two Chinese characters (`等 19 项 补充`), no doubled colon (`：:`)."""
    return COLONS.sub("：", CJK_GAP.sub("", text))


def summary(f: Facts, language: Language) -> str:
    """What changed and where, from the facts: `Fixes code and tests in python/x and 2 other
    modules (5 files, +120/−30).` The subject is the page's heading; this does not repeat it."""
    c, t = f.commit, SUMMARY
    if not c.files:
        return t["empty"][language]
    module, count = f.modules[0][0], len(f.modules)
    name = t["root"][language] if module == "/" else module
    where = t["one_module" if count == 1 else "modules"][language].format(
        module=name, count=count, more=count - 1, s="" if count == 2 else "s"
    )
    nouns = [KIND_NOUNS[language][k] for k in FILE_KINDS if k in f.kinds]
    what = (
        nouns[0] if len(nouns) == 1 else join(language, nouns[:-1]) + t["and"][language] + nouns[-1]
    )
    return tidy(
        t["changed"][language].format(
            verb=VERBS[language][f.change_type],
            where=where,
            what=what,
            files=len(c.files),
            s="" if len(c.files) == 1 else "s",
            added=c.additions,
            deleted=c.deletions,
        )
    )


def advice(table: dict[str, dict[Language, str]], name: str, f: Facts, language: Language) -> str:
    """The risk or recommendation for one signal, naming the files and modules it concerns."""
    c = f.commit
    return say(
        table,
        name,
        language,
        files=f.files,
        modules=[m[0] for m in f.modules],
        count=len(c.files),
        added=c.additions,
        deleted=c.deletions,
        globs=list(dict.fromkeys(g for g, _ in f.critical)),
        critical_files=sorted({p for _, p in f.critical}),
        build_files=sorted({*f.paths("build"), *f.dependency_files}),  # lockfiles are generated
        where=[*f.subject.flags, *f.arg_files],
        what=[*f.security_words, *f.security_code],
        security_files=f.security_code or f.files,
        code_modules=f.code_modules,
        code_files=f.code_files,
        moves=[f"{old} → {new}" for old, new in f.moves],
        old=[old for old, _ in f.moves],
        binary_files=f.binary_files,
    )


def join(language: Language, items: Sequence[str], limit: int = 5) -> str:
    """List at most `limit` items, then say how many were left out."""
    if not items:
        return _NOTHING[language]
    shown = _SEPARATOR[language].join(items[:limit])
    if len(items) <= limit:
        return shown
    return _MORE[language].format(items=shown, more=len(items) - limit, total=len(items))
