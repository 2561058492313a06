"""A real commit's diff packed into a token budget, as the LLM analyzer sends it."""

from __future__ import annotations

from generator.analysis.diffpack import pack, split_patch
from generator.analysis.tokens import counter_for
from generator.config import GitRepoConfig
from generator.sources.git import GitSource

from gitrepo import GitRepo

COUNT = counter_for("gpt-4")[0]


def commit_patch(tmp_path, before: dict[str, str], after: dict[str, str], delete=()) -> str:
    repo = GitRepo.init(tmp_path / "r")
    repo.commit("base", before, committed="2026-03-01T10:00:00+08:00")
    sha = repo.commit("change", after, delete=delete, committed="2026-03-02T10:00:00+08:00")
    source = GitSource.open(GitRepoConfig(name="o/r", path=repo.path))
    return source.patch(sha, max_bytes=10_000_000)


def numbered(prefix: str, n: int) -> str:
    return "".join(f"{prefix}_{i} = {i}\n" for i in range(n))


def test_a_diff_that_fits_is_sent_whole_but_lock_files_by_name(tmp_path):
    patch = commit_patch(
        tmp_path,
        {"src/a.py": "x = 1\n"},
        {"src/a.py": "x = 2\n", "uv.lock": numbered("lock", 300), "docs/a.md": "hello\n"},
    )
    packed = pack(patch, 10_000, COUNT)
    assert packed.shown == ("src/a.py", "docs/a.md")  # code before docs
    assert packed.left_out == ("uv.lock",) and "lock_1" not in packed.text
    assert packed.tokens == COUNT(packed.text) <= 10_000


def test_deletion_only_hunks_go_first_and_big_files_are_cut_not_dropped(tmp_path):
    old = numbered("old", 400)
    patch = commit_patch(
        tmp_path,
        {"src/gone.py": old, "src/kept.py": "a = 1\n"},
        {"src/kept.py": "a = 1\n" + numbered("new", 300), "tests/test_kept.py": numbered("t", 50)},
        delete=["src/gone.py"],
    )
    files = {f.path: f for f in split_patch(patch)}
    assert set(files) == {"src/gone.py", "src/kept.py", "tests/test_kept.py"}
    packed = pack(patch, 1500, COUNT)
    assert COUNT(packed.text) <= 1500
    assert "[400 deleted lines not shown]" in packed.text  # the removal is still stated
    assert "old_3 = 3" not in packed.text
    assert "new_0 = 0" in packed.text and "more lines not shown]" in packed.text
    assert "src/kept.py" in packed.partial
    # Tests come after code: what is left of the budget, if anything.
    order = [*packed.shown, *packed.left_out]
    assert order.index("src/kept.py") < order.index("tests/test_kept.py")
    assert packed.text.index("src/kept.py") < packed.text.index("tests/test_kept.py")
