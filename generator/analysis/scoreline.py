"""The score line: `score 10 = fix 5 + 340 lines 3 + 3 files 2`, in the reader's language.

Pages, feeds and the posted report show it under the badges; the LLM prompt gives it as the
reason for the tier. Made from the recorded parts (`Analysis.score_parts`), so it follows
the page's language, not the language the commit was analysed in.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.models import ScorePart
from generator.text import CHANGE_TYPE_LABELS, Language

KIND_LABELS: dict[Language, dict[str, str]] = {
    "zh": {
        "code": "以代码为主",
        "test": "以测试为主",
        "docs": "以文档为主",
        "ci": "以持续集成配置为主",
        "build": "以构建文件为主",
        "generated": "以生成文件为主",
        "other": "以其他文件为主",
    },
    "en": {
        "code": "mostly code",
        "test": "mostly tests",
        "docs": "mostly docs",
        "ci": "mostly CI",
        "build": "mostly build files",
        "generated": "mostly generated files",
        "other": "mostly other files",
    },
}
FACTOR_LABELS: dict[Language, dict[str, str]] = {
    "zh": {
        "score": "得分 {score}",
        "none": "得分 {score}：{files} 个文件、{lines} 行，均不计分",
        "breaking": "破坏性变更",
        "size": "{value} 行",
        "files": "{value} 个文件",
        "modules": "{value} 个顶层目录",
        "critical_path": "关键路径",
        "interface_removed": "删除 {value} 项接口",
        "interface_default": "{value} 项默认值变更",
    },
    "en": {
        "score": "score {score}",
        "none": "score {score}: {lines} lines in {files} file{s} earn no points",
        "breaking": "breaking change",
        "size": "{value} lines",
        "files": "{value} file{s}",
        "modules": "{value} top-level director{ies}",
        "critical_path": "critical path",
        "interface_removed": "{value} interface{s} removed",
        "interface_default": "{value} default{s} changed",
    },
}


def part_label(part: ScorePart, language: Language) -> str:
    if part.factor == "change_type":
        label = CHANGE_TYPE_LABELS[language][part.value]
        return label if label.isupper() else label.lower()  # mid-line: `fix 5`, `CI −2`
    if part.factor == "file_kind":
        return KIND_LABELS[language][part.value]
    one = part.value == "1"
    return FACTOR_LABELS[language][part.factor].format(
        value=part.value, s="" if one else "s", ies="y" if one else "ies"
    )


def score_line(score: int, parts: Iterable[ScorePart], language: Language) -> str:
    """One short line a reader understands at a glance; parts worth 0 points are left out."""
    labels = FACTOR_LABELS[language]
    parts = tuple(parts)
    total = signed(score)
    counted = [p for p in parts if p.points]
    if not counted:
        facts = {p.factor: p.value for p in parts}
        files = facts.get("files", "0")
        lines = facts.get("size", "0")
        if files == "0":
            return labels["score"].format(score=total)
        return labels["none"].format(
            score=total, files=files, lines=lines, s="" if files == "1" else "s"
        )
    first, *rest = counted
    terms = [f"{part_label(first, language)} {signed(first.points)}"]
    for part in rest:
        terms.append(
            f"{'−' if part.points < 0 else '+'} {part_label(part, language)} {abs(part.points)}"
        )
    return labels["score"].format(score=total) + " = " + " ".join(terms)


def signed(number: int) -> str:
    """With a real minus sign, as the rest of the line uses."""
    return f"−{-number}" if number < 0 else str(number)
