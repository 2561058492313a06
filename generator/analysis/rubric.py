"""What high, medium and low mean, written once: the README shows it, every LLM prompt
carries it (whether the score or the model decides the tier), and the importance
score's defaults are what it describes."""

from __future__ import annotations

from generator.text import Language

RUBRIC: dict[Language, str] = {
    # Exactly the README's "What the tiers mean" (a test keeps them equal).
    "en": (
        "- 🔴 **high**: read it. A feature the author declares (`feat:`); a declared fix beyond\n"
        "  a small tweak (over 50 lines, or 3+ files, of code or tests); a declared\n"
        "  optimisation over 100 lines, or over 50 across 3+ files; a declared refactor over\n"
        "  100 lines across 3+ files, or over 50 across 6+; a breaking change; any change of\n"
        "  code over 500 lines across 6+ files.\n"
        "- 🟡 **medium**: worth a look. A substantial code change without a declared type\n"
        "  (over 50 lines, or 3+ files); a small declared fix, or one of up to 100 lines to\n"
        "  CI, build or deployment files; a large change of docs, CI or build files; declared\n"
        "  upkeep (`docs:`, `chore:`, `ci:`, `build:`) over 100 lines across 6+ files.\n"
        "- 🟢 **low**: skip unless it is your area. A small tweak (up to 50 lines in 1–2\n"
        "  files), declared docs and chores, small CI, build and docs edits, a small\n"
        "  lockfile bump."
    ),
    "zh": (
        "- 🔴 **高**：值得阅读。作者声明的功能（`feat:`）；超出小修小补的声明式修复"
        "（代码或测试超过 50 行，或 3 个以上文件）；超过 100 行、或超过 50 行且涉及 "
        "3 个以上文件的声明式优化；超过 100 行且涉及 3 个以上文件、或超过 50 行且涉及 "
        "6 个以上文件的声明式重构；破坏性变更；超过 500 行且涉及 6 个以上文件的任何代码改动。\n"
        "- 🟡 **中**：值得一看。未声明类型的较大代码改动（超过 50 行，或 3 个以上文件）；"
        "小的声明式修复，或对持续集成、构建、部署文件不超过 100 行的修复；文档、持续集成或"
        "构建文件的大改动；超过 100 行且涉及 6 个以上文件的声明式维护"
        "（`docs:`、`chore:`、`ci:`、`build:`）。\n"
        "- 🟢 **低**：与你的领域无关时可以跳过。小的微调（1–2 个文件内最多 50 行）、"
        "声明的文档和日常维护、小的持续集成、构建和文档修改、小的锁文件更新。"
    ),
}

DEPTH: dict[Language, dict[str, str]] = {
    "en": {
        "high": "every section: a summary of two or three sentences, impact_scope, each "
        "insight the diff gives something real for, two to four risks and two to four "
        "recommendations.",
        "medium": "a summary of one or two sentences, impact_scope, one or two risks and one "
        'to three recommendations; every insight "".',
        "low": 'a one-sentence summary only; impact_scope may be empty, every insight "", '
        "risks and recommendations [].",
    },
    "zh": {
        "high": "写全部部分：两到三句话的摘要、impact_scope、diff 中确有依据的各项洞察、"
        "两到四条风险和两到四条建议。",
        "medium": '一到两句话的摘要、impact_scope、一到两条风险和一到三条建议；各项洞察都写 ""。',
        "low": '只写一句话的摘要；impact_scope 可以为空，各项洞察写 ""，risks 和 '
        "recommendations 为 []。",
    },
}
