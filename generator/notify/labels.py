"""The few words notifications need, in each language the site speaks.

Kept here rather than in `generator/render/i18n.py` (the site's labels) so that the sink
does not depend on the rendering package; the stats line is the pages' own wording.
"""

from __future__ import annotations

from generator.models import Tier

TIER_EMOJI: dict[Tier, str] = {"high": "🔴", "medium": "🟡", "low": "🟢"}

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "day_title": "{repo} 每日更新报告 {date}",
        "high_title": "{repo} 高优先级提交 {date}",
        "watch_title": "关注「{watch}」: {repo} {date}",
        "week_title": "{repo} 每周报告 {date} – {until}",
        "stats": "本日共 {total} 个提交 | 🔴高 {high} | 🟡中 {medium} | 🟢低 {low}",
        "week_stats": "本周共 {total} 个提交 | 🔴高 {high} | 🟡中 {medium} | 🟢低 {low}",
        "tier_high": "高",
        "tier_medium": "中",
        "tier_low": "低",
        "section": "{emoji} {tier}（{count}）",
        "more": "… 另有 {count} 个提交（{tiers}）未列出",
        "day_page": "查看日报",
        "watch_page": "查看关注页面",
        "week_page": "查看周报",
        "commit_page": "详情",
        "interface": "接口变更",
        "added": "新增",
        "removed": "删除",
        "default": "默认值变更",
        "option": "选项",
        "env": "环境变量",
        "dependency": "依赖",
        "by": "作者",
    },
    "en": {
        "day_title": "{repo} daily report {date}",
        "high_title": "{repo} high-tier commits {date}",
        "watch_title": "Watch '{watch}': {repo} {date}",
        "week_title": "{repo} weekly report {date} – {until}",
        "stats": "{total} commits | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}",
        "week_stats": (
            "{total} commits this week | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}"
        ),
        "tier_high": "high",
        "tier_medium": "medium",
        "tier_low": "low",
        "section": "{emoji} {tier} ({count})",
        "more": "… and {count} more ({tiers})",
        "day_page": "Day page",
        "watch_page": "Watch page",
        "week_page": "Week page",
        "commit_page": "details",
        "interface": "Interface changes",
        "added": "added",
        "removed": "removed",
        "default": "default changed",
        "option": "option",
        "env": "environment variable",
        "dependency": "dependency",
        "by": "by",
    },
}


class Words:
    """`words("stats", total=3, ...)`: a label of one language, filled in."""

    def __init__(self, language: str) -> None:
        self.table = LABELS[language]

    def __call__(self, key: str, **values: object) -> str:
        return self.table[key].format(**values)

    def tier(self, tier: Tier) -> str:
        return self.table[f"tier_{tier}"]
