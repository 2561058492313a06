"""Every label the pages show, in each supported language. One place to translate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.text import CHANGE_TYPE_LABELS, Language

if TYPE_CHECKING:
    from generator.models import DayRecord

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "day_title": "每日更新报告（{date}）",
        "col_time": "提交时间",
        "col_author": "作者",
        "col_message": "提交信息",
        "stats": "本日共 {total} 个提交 | 🔴高 {high} | 🟡中 {medium} | 🟢低 {low}",
        "tier_section": "{emoji} {tier}重要度变更 ({count})",
        "tier.high": "高",
        "tier.medium": "中",
        "tier.low": "低",
        "change_type": "变更类型",
        "importance": "重要程度",
        "topics": "主题",
        "summary": "变更摘要",
        "scope": "影响范围",
        "modules": "模块",
        "key_files": "主要文件",
        "insights": "技术洞察",
        "insight.architecture": "架构影响",
        "insight.performance": "性能影响",
        "insight.security": "安全考虑",
        "risks": "潜在风险",
        "recommendations": "关注建议",
        "no_commits": "本日无提交。",
        "in_progress": "该日尚未结束，列表可能不完整。",
        "source_behind": (
            "读取时克隆尚未更新到该日结束之后，列表可能不完整；更新克隆后的下次运行将补全。"
        ),
        "fetch_failed": "获取失败，下次运行将重试：{error}",
        "prev_day": "← 前一天",
        "next_day": "后一天 →",
        "prev_commit": "← 上一个提交：{subject}",
        "next_commit": "下一个提交：{subject} →",
        "view_commit": "查看提交",
        "sha": "SHA",
        "author": "作者",
        "committer": "提交者",
        "pull_request": "拉取请求",
        "day_page": "日报",
        "parents": "父提交",
        "merge_note": "合并提交：文件列表为相对第一个父提交的差异。",
        "files_changed": "变更文件 ({count})",
        "col_file": "文件",
        "binary": "二进制",
        "renamed_from": "重命名自 {old}",
        "message": "提交说明",
        "analysis": "分析",
        "analyzer": "分析器：{name}",
        "fallback": "（{reason}，已改用规则分析）",
        "repository": "仓库",
        "recent_days": "最近的日报",
        "col_day": "日期",
        "col_commits": "提交数",
        "latest_high": "最近的高重要度变更",
        "none_yet": "暂无。",
        "home_title": "提交日报",
        "home_intro": "每日汇总所关注仓库的提交，并按重要程度分析。",
        "latest_days": "各仓库最新一天",
        "archive": "归档",
        "dropped": "已不在分支上",
        "dropped_note": (
            "该提交已不在 {branch} 分支上（上游改写了历史，{when} 发现）；此页保留已发布的内容。"
        ),
        "archive_intro": "按年份和月份列出的全部日报。",
        "all_days": "全部日报",
        "commit_count": "{total} 个提交",
        "more_files": "另有 {count} 个文件未列出。",
        "files_truncated": "GitHub 最多列出一个提交的 3,000 个文件，此列表到此为止。",
        "day_description": "{date} 的提交日报：{repos}",
        "commit_description": "{repo} 的提交 {sha}，{date}",
        "feed_description": "所关注仓库每日提交的分析报告",
        "repo_feed_description": "{repo} 的提交及其分析",
        "high_feed_description": "所关注仓库的高重要度提交及其分析",
        "repo_high_feed_description": "{repo} 的高重要度提交及其分析",
        "feed_days": "每日报告",
        "feed_high": "高重要度变更",
        "feed_repo": "{repo} 的全部提交",
        "feed_repo_high": "{repo} 的高重要度变更",
        "subscribe": "订阅",
        "copy_url": "复制订阅地址",
        "weekday.mon": "一",
        "weekday.wed": "三",
        "weekday.fri": "五",
        "less": "少",
        "more": "多",
        "heatmap_label": "{start} 至 {end} 每天的提交数，共 {total} 个",
        "weekly_label": "最近 {weeks} 周每周的提交数（共 {total} 个），按重要程度分层",
        "week_tip": "{start} 起的一周：{total} 个提交 · {tiers}",
        "last_year": "最近一年",
        "latest_day": "最新一天",
        "commits_per_week": "每周提交",
        "busiest_modules": "最活跃的模块",
        "most_changed_files": "改动最多的文件",
        "period": "{start} 至 {end}",
        "col_module": "模块",
        "col_lines": "改动行数",
        "months": "各月日报",
        "day_count": "{count} 天",
        "day_open": "进行中",
        "month_title": "{month} 的日报",
        "repo_description": "{repo} 的每日提交、每周统计与最活跃的模块",
        "report_title": "{repo} 每日更新报告 {date}",
        "issue_heading": "{repo} · {date} 的提交日报（归档页面）",
        "issue_cut": (
            "报告超出 GitHub 议题的长度上限，此处只列出提交表格和高重要度变更；完整报告见{link}。"
        ),
        "issue_cut_link": "归档页面",
        "year": "年份",
        "dark_mode": "切换到深色模式",
        "light_mode": "切换到浅色模式",
        "clipboard_copy": "复制",
        "clipboard_copied": "已复制",
        "search_filters": "筛选",
        "search_any": "全部",
        "search_sort": "排序",
        "search_newest": "最新优先",
        "search_relevance": "最相关",
        "search_more": "更多结果",
        "search_as_topics": "按主题搜索：{topics}",
        "search_older": "在更早的月份中搜索（{month} 及以前）",
        "search_searched": "已搜索 {first} 至 {last}",
        "search_failed": "搜索不可用：{error}",
        "search_prompt": "键入以开始搜索",
        "search_placeholder": "搜索",
        "search_open": "查找",
        "search_reset": "清空当前内容",
        "search_loading": "正在初始化搜索引擎",
        "search_none": "没有找到符合条件的结果",
        "search_one": "找到 1 个符合条件的结果",
        "search_other": "# 个符合条件的结果",
        "watches": "关注",
        "watch_follows": "关注内容",
        "watch_paths": "路径",
        "watch_keywords": "关键词",
        "watch_labels": "PR 标签",
        "watch_authors": "作者",
        "watch_interfaces": "接口变更",
        "watch_interfaces_all": "凡有接口变更的提交",
        "watch_min_tier": "最低重要度",
        "watch_recent": "最近 30 天",
        "watch_stats": "共 {total} 个提交 | 🔴高 {high} | 🟡中 {medium} | 🟢低 {low}",
        "watch_recent_count": "最近 30 天 {total} 个提交（🔴 {high} · 🟡 {medium} · 🟢 {low}）",
        "watch_latest": "最新的提交",
        "watch_older": "另有 {total} 个更早的提交未列出（见各日报与搜索）。",
        "watch_description": "关注「{title}」的提交",
        "feed_watch": "关注「{title}」的提交",
        "watch_feed_description": "关注「{title}」的提交及其分析",
        "ignored_by": "噪声规则忽略：{rule}",
        "watches_mark": "关注：{names}",
        "notify.high_title": "{repo} 高优先级提交 {date}",
        "notify.watch_title": "关注「{watch}」: {repo} {date}",
        "notify.week_title": "{repo} 每周报告 {date} – {until}",
        "notify.week_stats": "本周共 {total} 个提交 | 🔴高 {high} | 🟡中 {medium} | 🟢低 {low}",
        "notify.section": "{emoji} {tier}（{count}）",
        "notify.more": "… 另有 {count} 个提交（{tiers}）未列出",
        "notify.ignored": "另有 {total} 个提交被噪声规则忽略，未列出",
        "notify.day_page": "查看日报",
        "notify.watch_page": "查看关注页面",
        "notify.week_page": "查看周报",
        "interface_changes": "接口变更",
        "interface.added": "新增",
        "interface.removed": "删除",
        "interface.default": "默认值变更",
        "interface.option": "选项",
        "interface.env": "环境变量",
        "interface.dependency": "依赖",
        "interface.breaking": "⚠️ 不兼容",
        "interface.col_kind": "类别",
        "interface.col_name": "名称",
        "interface.col_change": "变更",
        "interface.col_values": "旧值 → 新值",
        "interface.more": "另有 {total} 项接口变更未列出。",
        "interface.day": "接口变更（{count}）",
        "interface.notes": "部分文件未能解析：",
    },
    "en": {
        "day_title": "Daily report ({date})",
        "col_time": "Time",
        "col_author": "Author",
        "col_message": "Message",
        "stats": "{total} commits | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}",
        "stats_one": "{total} commit | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}",
        "tier_section": "{emoji} {tier} importance ({count})",
        "tier.high": "High",
        "tier.medium": "Medium",
        "tier.low": "Low",
        "change_type": "Change type",
        "importance": "Importance",
        "topics": "Topics",
        "summary": "Summary",
        "scope": "Impact scope",
        "modules": "Modules",
        "key_files": "Main files",
        "insights": "Technical insight",
        "insight.architecture": "Architecture",
        "insight.performance": "Performance",
        "insight.security": "Security",
        "risks": "Risks",
        "recommendations": "Recommendations",
        "no_commits": "No commits this day.",
        "in_progress": "This day had not ended yet; the list may be incomplete.",
        "source_behind": (
            "When this day was read, the clone had not been updated past its end; the list "
            "may be incomplete, and the next run after the clone is updated completes it."
        ),
        "fetch_failed": "Fetching failed, the next run retries it: {error}",
        "prev_day": "← Previous day",
        "next_day": "Next day →",
        "prev_commit": "← Previous commit: {subject}",
        "next_commit": "Next commit: {subject} →",
        "view_commit": "View commit",
        "sha": "SHA",
        "author": "Author",
        "committer": "Committer",
        "pull_request": "Pull request",
        "day_page": "Day report",
        "parents": "Parents",
        "merge_note": "Merge commit: files are the diff against the first parent.",
        "files_changed": "Files changed ({count})",
        "col_file": "File",
        "binary": "binary",
        "renamed_from": "renamed from {old}",
        "message": "Commit message",
        "analysis": "Analysis",
        "analyzer": "Analyzer: {name}",
        "fallback": " ({reason}; rule-based analysis used instead)",
        "repository": "Repository",
        "recent_days": "Recent days",
        "col_day": "Day",
        "col_commits": "Commits",
        "latest_high": "Latest high-importance changes",
        "none_yet": "None yet.",
        "home_title": "Commit digest",
        "home_intro": "A daily digest of the followed repositories' commits, rated by importance.",
        "latest_days": "Latest day of each repository",
        "archive": "Archive",
        "dropped": "no longer on the branch",
        "dropped_note": (
            "This commit is no longer on {branch} (history was rewritten upstream; "
            "noticed {when}); this page keeps what was published."
        ),
        "archive_intro": "Every day report, by year and month.",
        "all_days": "All days",
        "commit_count": "{total} commits",
        "commit_count_one": "{total} commit",
        "more_files": "{count} more files not listed.",
        "files_truncated": "GitHub lists at most 3,000 files of a commit; this list stops there.",
        "day_description": "Commits of {date}: {repos}",
        "commit_description": "Commit {sha} of {repo}, {date}",
        "feed_description": "Daily reports on the commits of the followed repositories",
        "repo_feed_description": "Commits of {repo}, analysed",
        "high_feed_description": "High-importance commits of the followed repositories, analysed",
        "repo_high_feed_description": "High-importance commits of {repo}, analysed",
        "feed_days": "Daily reports",
        "feed_high": "High-importance commits",
        "feed_repo": "Every commit of {repo}",
        "feed_repo_high": "High-importance commits of {repo}",
        "subscribe": "Subscribe",
        "copy_url": "Copy the feed's address",
        "weekday.mon": "Mon",
        "weekday.wed": "Wed",
        "weekday.fri": "Fri",
        "less": "Less",
        "more": "More",
        "heatmap_label": "Commits per day from {start} to {end}, {total} in all",
        "weekly_label": "Commits per week over {weeks} weeks ({total} in all), by importance",
        "week_tip": "Week of {start}: {total} commits · {tiers}",
        "week_tip_one": "Week of {start}: {total} commit · {tiers}",
        "last_year": "The last year",
        "latest_day": "Latest day",
        "commits_per_week": "Commits per week",
        "busiest_modules": "Busiest modules",
        "most_changed_files": "Most-changed files",
        "period": "{start} to {end}",
        "col_module": "Module",
        "col_lines": "Lines changed",
        "months": "Every month",
        "day_count": "{count} days",
        "day_open": "in progress",
        "month_title": "Days of {month}",
        "repo_description": "Daily commits of {repo}, per week, and its busiest modules",
        "report_title": "{repo} daily report {date}",
        "issue_heading": "{repo} · commits of {date} (archive page)",
        "issue_cut": (
            "The report is longer than a GitHub issue can hold, so only the table and the "
            "high-importance changes are here; the whole report is on {link}."
        ),
        "issue_cut_link": "the archive page",
        "year": "Year",
        "dark_mode": "Switch to dark mode",
        "light_mode": "Switch to light mode",
        "clipboard_copy": "Copy to clipboard",
        "clipboard_copied": "Copied to clipboard",
        "search_filters": "Filters",
        "search_any": "all",
        "search_sort": "Sort",
        "search_newest": "Newest first",
        "search_relevance": "Best match",
        "search_more": "More results",
        "search_as_topics": "searched as the topic {topics}",
        "search_older": "Search earlier months ({month} and before)",
        "search_searched": "Searched {first} to {last}",
        "search_failed": "Search is unavailable: {error}",
        "search_prompt": "Type to start searching",
        "search_placeholder": "Search",
        "search_open": "Search",
        "search_reset": "Clear",
        "search_loading": "Initializing search",
        "search_none": "No matching documents",
        "search_one": "1 matching document",
        "search_other": "# matching documents",
        "watches": "Watches",
        "watch_follows": "What it follows",
        "watch_paths": "Paths",
        "watch_keywords": "Keywords",
        "watch_labels": "PR labels",
        "watch_authors": "Authors",
        "watch_interfaces": "Interface changes",
        "watch_interfaces_all": "every commit that changes one",
        "watch_min_tier": "Lowest tier",
        "watch_recent": "The last 30 days",
        "watch_stats": "{total} commits | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}",
        "watch_stats_one": "{total} commit | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}",
        "watch_recent_count": (
            "{total} commits in the last 30 days (🔴 {high} · 🟡 {medium} · 🟢 {low})"
        ),
        "watch_recent_count_one": (
            "{total} commit in the last 30 days (🔴 {high} · 🟡 {medium} · 🟢 {low})"
        ),
        "watch_latest": "Latest commits",
        "watch_older": "{total} older commits are not listed (see the day pages and search).",
        "watch_older_one": "{total} older commit is not listed (see the day pages and search).",
        "watch_description": "Commits the watch {title} follows",
        "feed_watch": "Commits of the watch {title}",
        "watch_feed_description": "Commits the watch {title} follows, analysed",
        "ignored_by": "Ignored by a noise rule: {rule}",
        "watches_mark": "Watches: {names}",
        "notify.high_title": "{repo} high-tier commits {date}",
        "notify.watch_title": "Watch '{watch}': {repo} {date}",
        "notify.week_title": "{repo} weekly report {date} – {until}",
        "notify.week_stats": (
            "{total} commits this week | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}"
        ),
        "notify.week_stats_one": (
            "{total} commit this week | 🔴 high {high} | 🟡 medium {medium} | 🟢 low {low}"
        ),
        "notify.section": "{emoji} {tier} ({count})",
        "notify.more": "… and {count} more ({tiers})",
        "notify.ignored": "{total} commits ignored by noise rules are not listed",
        "notify.ignored_one": "{total} commit ignored by a noise rule is not listed",
        "notify.day_page": "Day page",
        "notify.watch_page": "Watch page",
        "notify.week_page": "Week page",
        "interface_changes": "Interface changes",
        "interface.added": "added",
        "interface.removed": "removed",
        "interface.default": "default changed",
        "interface.option": "option",
        "interface.env": "environment variable",
        "interface.dependency": "dependency",
        "interface.breaking": "⚠️ breaking for users",
        "interface.col_kind": "Kind",
        "interface.col_name": "Name",
        "interface.col_change": "Change",
        "interface.col_values": "Old → new",
        "interface.more": "{total} more interface changes not listed.",
        "interface.more_one": "1 more interface change not listed.",
        "interface.day": "Interface changes ({count})",
        "interface.notes": "Files not read:",
    },
}


# Release pages, the releases feed, and what home and repository pages show of them.
RELEASE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "releases": "版本发布",
        "latest_release": "最新版本",
        "feed_releases": "{repo} 的版本发布",
        "release_title": "{repo} {tag} 版本报告",
        "release_description": "{repo} {tag} 相对于 {previous} 的变更：接口、依赖、重要提交",
        "release_compare": "{previous}（{previous_date}）→ {tag}（{date}）",
        "release_on_github": "在 GitHub 上对比",
        "release_stats": (
            "共 {total} 个提交，已归档 {archived} 个：🔴高 {high} | 🟡中 {medium} | 🟢低 {low}"
        ),
        "release_interfaces": "接口变更",
        "release_interface_counts": "{kind}：新增 {added}，删除 {removed}，默认值变更 {default}",
        "release_no_interfaces": "两个版本之间没有选项或环境变量的变更。",
        "release_dependencies": "依赖变更",
        "release_version_changed": "版本变更",
        "release_no_dependencies": "没有依赖变更。",
        "release_notes": "以下声明文件未能读取，其变更未计入：",
        "release_high": "高重要度提交",
        "release_no_high": "归档中没有该版本的高重要度提交。",
        "release_modules": "变更最多的模块",
        "release_picked": "发布分支上的挑拣提交（cherry-pick）",
        "release_picked_from": "挑拣自",
        "release_match.trailer": "按 cherry-pick 标注",
        "release_match.patch-id": "按补丁内容",
        "release_match.subject": "按提交标题",
        "release_branch_only": "仅在发布分支上的提交",
        "release_entry": "{date} · {total} 个提交",
        "release_entry_changes": "{total} 项接口变更",
        "col_kind": "类型",
        "col_name": "名称",
        "col_change": "变更",
        "col_values": "默认值 / 版本",
        "col_files": "文件数",
    },
    "en": {
        "releases": "Releases",
        "latest_release": "Latest release",
        "feed_releases": "Releases of {repo}",
        "release_title": "{repo} {tag} release report",
        "release_description": (
            "What changed in {repo} {tag} since {previous}: interfaces, dependencies, "
            "important commits"
        ),
        "release_compare": "{previous} ({previous_date}) → {tag} ({date})",
        "release_on_github": "compare on GitHub",
        "release_stats": (
            "{total} commits, {archived} in the archive: 🔴 high {high} | 🟡 medium {medium} "
            "| 🟢 low {low}"
        ),
        "release_interfaces": "Interface changes",
        "release_interface_counts": (
            "{kind}: {added} added, {removed} removed, {default} defaults changed"
        ),
        "release_no_interfaces": (
            "No option or environment variable changed between the two releases."
        ),
        "release_dependencies": "Dependency changes",
        "release_version_changed": "version changed",
        "release_no_dependencies": "No dependency changed.",
        "release_notes": "These declaring files could not be read; their changes are left out:",
        "release_high": "High-importance commits",
        "release_no_high": "The archive holds no high-importance commit of this release.",
        "release_modules": "Most-changed modules",
        "release_picked": "Cherry-picks on the release branch",
        "release_picked_from": "picked from",
        "release_match.trailer": "by its cherry-pick line",
        "release_match.patch-id": "by its patch",
        "release_match.subject": "by its subject",
        "release_branch_only": "Commits only on the release branch",
        "release_entry": "{date} · {total} commits",
        "release_entry_changes": "{total} interface changes",
        "release_entry_changes_one": "{total} interface change",
        "col_kind": "Kind",
        "col_name": "Name",
        "col_change": "Change",
        "col_values": "Default / version",
        "col_files": "Files",
    },
}
for _language, _labels in RELEASE_LABELS.items():
    LABELS[_language].update(_labels)


for _language, _types in CHANGE_TYPE_LABELS.items():
    LABELS[_language].update({f"type.{kind}": label for kind, label in _types.items()})


class Labels:
    """`labels("stats", total=3, ...)` in templates; a missing key fails loudly."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._table = LABELS[language]

    def __call__(self, key: str, **values: object) -> str:
        # A count of one takes the singular where the language has one (`1 commit`).
        if values.get("total") == 1 and f"{key}_one" in self._table:
            key = f"{key}_one"
        return self._table[key].format(**values)

    def stats(self, counts: dict[str, int]) -> str:
        """The stats line under a day's table: `本日共 19 个提交 | 🔴高 3 | 🟡中 8 | 🟢低 8`."""
        return self("stats", total=sum(counts.values()), **counts)

    def status(self, record: DayRecord) -> str | None:
        """The notice an incomplete day carries on its page and in feeds; None when complete."""
        if record.status == "failed":
            return self("fetch_failed", error=record.error)
        if record.status == "open":
            return self("in_progress")
        if record.status == "behind":
            return self("source_behind")
        return None

    def month(self, month: int) -> str:
        """A month's short name: `2月`, `Feb`."""
        if self.language == "zh":
            return f"{month}月"
        return MONTHS_EN[month - 1]

    def tier(self, tier: str) -> str:
        return self._table[f"tier.{tier}"]

    def change_type(self, change_type: str) -> str:
        return self._table[f"type.{change_type}"]


def _merge_history_labels() -> None:
    from generator.render.historylabels import HISTORY_LABELS

    for language, table in HISTORY_LABELS.items():
        LABELS[language].update(table)


_merge_history_labels()
