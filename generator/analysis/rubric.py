"""What high, medium and low mean, written once: the README shows it, every LLM prompt
carries it, and the importance score's defaults are calibrated to agree with it."""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]

RUBRIC: dict[Language, str] = {
    "en": (
        "- high: changes what users of the project run or build against in a way they "
        "should know about today: a new capability or API, changed behaviour or defaults, "
        "a breaking change, a revert of shipped behaviour, a dependency or build change "
        "that reaches every install, or a large change to core code.\n"
        "- medium: a real change to shipped code whose effect is contained: an ordinary "
        "fix, a modest feature or option, a refactor or optimisation of a few modules.\n"
        "- low: what users run barely changes or not at all: documentation, tests, CI, "
        "comments, typos, formatting, small chores and one-line tweaks."
    ),
    "zh": (
        "- 高：改变了项目使用者运行或构建所依赖的东西，今天就应该知道：新能力或新接口、"
        "行为或默认值的改变、破坏性变更、回滚已发布的行为、影响所有安装的依赖或构建变更、"
        "核心代码的大规模改动。\n"
        "- 中：对发布代码的实际改动，但影响范围有限：一般的问题修复、规模不大的功能或选项、"
        "少数模块的重构或优化。\n"
        "- 低：使用者运行的东西几乎没有变化：文档、测试、持续集成、注释、拼写、格式、"
        "小的日常维护和一两行的微调。"
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
