"""Pull-request labels count like a conventional prefix in the rules analyzer (issue 10)."""

from __future__ import annotations

import pytest

from generator.analysis.labels import label_type
from generator.analysis.rules import RulesAnalyzer
from generator.models import Commit, PullRequest

from factory import unanalysed

CODE = [("python/sglang/srt/managers/scheduler.py", 40, 12)]


def labelled(subject: str, *labels: str) -> Commit:
    pull = PullRequest(number=1, title=subject, url="https://github.com/o/r/pull/1", labels=labels)
    return unanalysed(subject, CODE).model_copy(update={"pull_request": pull})


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (("bug",), "fix"),
        (("type: bug",), "fix"),
        (("kind/performance",), "performance"),
        (("Documentation",), "docs"),
        (("run-ci", "high priority"), None),  # labels that say nothing of the type
        (("enhancement", "bug"), "fix"),  # a fix first, whatever GitHub's order
        (("ci/cd",), "ci"),
        ((), None),
    ],
)
def test_labels_declare_a_type(labels, expected):
    assert label_type(labelled("Improve the scheduler", *labels)) == expected


def test_a_commit_without_a_pull_request_has_no_label_type():
    assert label_type(unanalysed("Improve the scheduler", CODE)) is None


def test_a_bug_label_makes_an_unprefixed_commit_a_fix_and_scores_like_fix_prefix():
    rules = RulesAnalyzer("en")
    by_label = rules.analyze(labelled("Improve the scheduler", "bug"))
    by_prefix = rules.analyze(unanalysed("fix: Improve the scheduler", CODE))
    plain = rules.analyze(unanalysed("Improve the scheduler", CODE))

    assert by_label.change_type == by_prefix.change_type == "fix"
    assert plain.change_type != "fix"
    assert by_label.score == by_prefix.score != plain.score
    assert ("change_type", "fix") in {(p.factor, p.value) for p in by_label.score_parts}


def test_the_subject_s_own_prefix_and_a_revert_win_over_labels():
    rules = RulesAnalyzer("en")
    assert rules.analyze(labelled("feat: a new scheduler", "bug")).change_type == "feature"
    assert rules.analyze(labelled('Revert "fix: the scheduler"', "bug")).change_type == "revert"
