"""What a message says of other commits, and which commit each reference means: the
revert subjects sglang's history writes (squash-merged, cut by GitHub, with words after
the quote), a revert by sha, follow-ups by pull request and sha, and modules by prefix."""

from __future__ import annotations

from datetime import date

from generator.models import FileChange, PullRequest
from generator.render.history import Entry, relations
from generator.render.references import ModuleMap, references

from factory import at, make_commit

DAY = date(2026, 2, 10)


def entries(*commits) -> list[Entry]:
    """Oldest first, one a minute."""
    return [Entry.of("o/r", DAY, 0, c, ModuleMap()) for c in commits]


def commit(subject: str, minute: int, body: str = "", pull: PullRequest | None = None):
    made = make_commit(subject, at(DAY, 10, minute), body=body)
    return made.model_copy(update={"pull_request": pull}) if pull else made


def test_revert_subjects_as_github_writes_them_find_the_commit():
    long = "[Bug] fix not desired disable fused share experts caused by refactor (#14500)"
    found = entries(
        original := commit("[Misc] feat: Deepgemm update for sgl-kernel (#8790)", 1),
        cut := commit(long, 2),
        words := commit('Revert "[Misc] feat: Deepgemm update for sgl-kernel (#8790)" to fix kernel CI (#9260)', 3),  # noqa: E501
        short := commit('Revert "[Bug] fix not desired disable fused share experts caused by r… (#14676)', 4),  # noqa: E501
    )  # fmt: skip
    rel = relations(found)
    assert rel[words.sha].reverts == original.sha
    assert rel[short.sha].reverts == cut.sha
    assert rel[original.sha].reverted and rel[cut.sha].reverted


def test_the_newest_earlier_commit_of_a_subject_is_the_one_reverted():
    found = entries(
        first := commit("Bump flashinfer (#1)", 1),
        second := commit("Bump flashinfer (#2)", 2),
        revert := commit('Revert "Bump flashinfer"', 3),
        later := commit("Bump flashinfer (#4)", 4),
    )
    rel = relations(found)
    assert rel[revert.sha].reverts == second.sha
    assert first.sha not in rel and later.sha not in rel


def test_a_revert_by_sha_and_a_revert_of_it():
    found = entries(
        a := commit("feat: a", 1),
        r1 := commit('Revert "feat: a"', 2, body=f"This reverts commit {make_sha(1)}."),
        r2 := commit('Revert "Revert "feat: a""', 3),
    )
    rel = relations(found)
    assert rel[r1.sha].reverts == a.sha and rel[r2.sha].reverts == r1.sha
    assert not rel[a.sha].reverted and rel[r1.sha].reverted  # restored; the revert undone
    assert rel[a.sha].reverted_by == (r1.sha,)


def make_sha(n: int) -> str:
    return make_commit("feat: a", at(DAY, 10, n)).sha


def test_follow_ups_by_pull_request_and_sha_and_never_the_commits_own():
    pull = PullRequest(number=30, title="Fixes #30 and the reland of #10")
    found = entries(
        base := commit("feat: base (#10)", 1),
        fix := commit("fix: x (#20)", 2, body=f"Follow-up to #10.\nAlso fixes {make_sha(1)[:9]}."),
        reland := commit("Reland the base", 3, pull=pull),
        issue := commit("fix: y (#40)", 4, body="Fixes #9999, an issue"),
    )
    rel = relations(found)
    assert rel[fix.sha].follows == (("follow-up", base.sha),)  # the sha names it again: once
    assert rel[reland.sha].follows == (("reland", base.sha),)
    assert rel[base.sha].followups == (("follow-up", fix.sha), ("reland", reland.sha))
    assert issue.sha not in rel


def test_references_of_a_message():
    refs = references(commit("Fix the router", 1, body="fixes https://github.com/o/r/pull/77"))
    assert refs.follows == (("fix", "#77"),)
    assert references(commit("fix 3 bugs in 12 files", 1)).follows == ()


def test_module_map_overrides_by_the_longest_prefix():
    layers = ModuleMap((("python/sglang/srt/layers", 2), ("python/sglang/srt/layers/moe", 0)))
    assert layers.module("python/sglang/srt/layers/attention/triton/x.py") == (
        "python/sglang/srt/layers/attention/triton"
    )
    assert layers.module("python/sglang/srt/layers/moe/fused_moe_triton/x.py") == (
        "python/sglang/srt/layers/moe"
    )
    assert layers.module("python/sglang/srt/layers/x.py") == "python/sglang/srt/layers"
    assert layers.module("README.md") == "/"
    change = (FileChange(path="a/b/c/d/e.py", additions=1, deletions=0),)
    assert ModuleMap().modules(make_commit("x", at(DAY, 9), files=change)) == ("a/b/c",)


def test_a_sweeping_commit_belongs_to_its_three_most_changed_modules():
    files = tuple(
        FileChange(path=f"pkg/m{n}/sub/x.py", additions=n * 10, deletions=0) for n in range(1, 8)
    )
    commit = make_commit("refactor: rename a helper everywhere", at(DAY, 9), files=files)
    assert ModuleMap().modules(commit) == tuple(f"pkg/m{n}/sub" for n in (7, 6, 5))
