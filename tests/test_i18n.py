"""Every label exists in both languages, and English counts of one are singular."""

from __future__ import annotations

from generator.render.i18n import LABELS, Labels


def test_both_languages_have_the_same_labels_and_singulars_have_a_plural():
    def base(table: dict) -> set[str]:
        return {key for key in table if not key.endswith("_one")}

    assert base(LABELS["zh"]) == base(LABELS["en"])
    for table in LABELS.values():
        # `search_one` / `search_other` are the search box's own pair (site/search.py).
        singulars = {k for k in table if k.endswith("_one") and not k.startswith("search_")}
        assert {key.removesuffix("_one") for key in singulars} <= set(table)


def test_one_commit_is_singular_in_english_and_unchanged_in_chinese():
    en, zh = Labels("en"), Labels("zh")
    tiers = {"high": 0, "medium": 1, "low": 0}
    assert en("stats", total=1, **tiers) == "1 commit | 🔴 high 0 | 🟡 medium 1 | 🟢 low 0"
    assert en("stats", total=2, **tiers).startswith("2 commits |")
    assert en("commit_count", total=1) == "1 commit"
    assert en("commit_count", total=0) == "0 commits"
    assert zh("commit_count", total=1) == "1 个提交"
