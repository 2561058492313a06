"""Removals and default changes add to the importance score (`importance:`), visibly."""

from __future__ import annotations

from datetime import date

from generator.analysis.rules import RulesAnalyzer
from generator.config.importance import Importance
from generator.models import InterfaceChange

from factory import at, make_commit

REMOVED = InterfaceChange(kind="option", name="disable_radix_cache", change="removed", file="a.py")
DEFAULT = InterfaceChange(
    kind="env", name="SGLANG_LOG_LEVEL", change="default", file="e.py", old="'info'", new="'debug'"
)
ADDED = InterfaceChange(kind="option", name="enable_lora", change="added", file="a.py", new="False")


def analysed(changes, importance=None, language="en"):
    commit = make_commit("Drop a switch", at(date(2026, 3, 2), 10)).model_copy(
        update={"interface_changes": changes}
    )
    return RulesAnalyzer(language, importance=importance).analyze(commit)


def test_a_removal_and_a_default_change_earn_their_weights_and_say_so():
    plain = analysed(())
    both = analysed((REMOVED, DEFAULT, ADDED))
    assert both.score == plain.score + 2 + 1
    line = " ".join(f"{p.factor}={p.value}:{p.points}" for p in both.score_parts)
    assert "interface_removed=1:2 interface_default=1:1" in line
    assert analysed((ADDED,)).score == plain.score  # an addition breaks nobody


def test_weights_are_configurable_and_zero_leaves_the_parts_out():
    custom = analysed((REMOVED,), Importance(interface_removed=5, interface_default=0))
    assert custom.score == analysed(()).score + 5
    off = analysed((REMOVED, DEFAULT), Importance(interface_removed=0, interface_default=0))
    assert not any(p.factor.startswith("interface") for p in off.score_parts)


def test_a_change_of_weights_re_scores_the_records():
    analyzer = RulesAnalyzer("en", importance=Importance(interface_removed=0, interface_default=0))
    before = analysed((REMOVED,), Importance(interface_removed=0, interface_default=0))
    assert analyzer.is_current(before)
    assert not RulesAnalyzer("en").is_current(before)  # the defaults weigh removals
