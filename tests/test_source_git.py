"""GitSource against real repositories built with real git."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import generator.sources.git as git_module
from generator.config import GitRepoConfig
from generator.errors import ConfigError, SourceUnavailable
from generator.localdays import Window, day_window
from generator.models import Commit, FileChange
from generator.sources.git import GitSource

from gitrepo import GitRepo
from sglang_repo import build_sglang_repo, load_fixture

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def open_source(path: Path, branch: str = "main", name: str = "acme/widgets") -> GitSource:
    return GitSource.open(GitRepoConfig(name=name, branch=branch, path=path))


def day(source: GitSource, when: str, tz: ZoneInfo = SHANGHAI) -> list[Commit]:
    return list(source.commits(day_window(date.fromisoformat(when), tz)))


def hours(window: Window) -> float:
    # Elapsed time: subtracting two datetimes of one ZoneInfo gives wall-clock time.
    return (window.end.timestamp() - window.start.timestamp()) / 3600


def subjects(commits: list[Commit]) -> list[str]:
    return [c.subject for c in commits]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    repo.commit("root", files={"README.md": "hello\n"}, committed="2026-01-01T09:00:00+08:00")
    return repo


# -- which commits belong to a day ---------------------------------------------


def test_a_second_either_side_of_shanghai_midnight_lands_on_its_own_day(repo: GitRepo) -> None:
    # The same instants written with other offsets: selection is by instant.
    repo.commit("before midnight", allow_empty=True, committed="2026-02-10T15:59:59+00:00")
    repo.commit("at midnight", allow_empty=True, committed="2026-02-10T11:00:00-05:00")
    repo.commit("after midnight", allow_empty=True, committed="2026-02-11T00:00:01+08:00")
    source = open_source(repo.path)

    assert subjects(day(source, "2026-02-10")) == ["before midnight"]
    assert subjects(day(source, "2026-02-11")) == ["after midnight", "at midnight"]


def test_new_york_spring_forward_day_is_23_hours(repo: GitRepo) -> None:
    assert hours(day_window(date(2026, 3, 8), NEW_YORK)) == 23
    repo.commit("day before, 23:30", allow_empty=True, committed="2026-03-07T23:30:00-05:00")
    repo.commit("00:30 EST", allow_empty=True, committed="2026-03-08T00:30:00-05:00")
    repo.commit("23:30 EDT", allow_empty=True, committed="2026-03-08T23:30:00-04:00")
    repo.commit("day after, 00:30", allow_empty=True, committed="2026-03-09T00:30:00-04:00")

    assert subjects(day(open_source(repo.path), "2026-03-08", NEW_YORK)) == [
        "23:30 EDT",
        "00:30 EST",
    ]


def test_new_york_fall_back_day_is_25_hours(repo: GitRepo) -> None:
    assert hours(day_window(date(2026, 11, 1), NEW_YORK)) == 25
    repo.commit("day before, 23:30", allow_empty=True, committed="2026-10-31T23:30:00-04:00")
    repo.commit("00:30 EDT", allow_empty=True, committed="2026-11-01T00:30:00-04:00")
    repo.commit("first 01:30", allow_empty=True, committed="2026-11-01T01:30:00-04:00")
    repo.commit("second 01:30", allow_empty=True, committed="2026-11-01T01:30:00-05:00")
    repo.commit("23:30 EST", allow_empty=True, committed="2026-11-01T23:30:00-05:00")
    repo.commit("day after, 00:30", allow_empty=True, committed="2026-11-02T00:30:00-05:00")

    assert subjects(day(open_source(repo.path), "2026-11-01", NEW_YORK)) == [
        "23:30 EST",
        "second 01:30",
        "first 01:30",
        "00:30 EDT",
    ]


def test_commits_come_newest_first_with_their_own_offsets(repo: GitRepo) -> None:
    repo.commit("one", allow_empty=True, committed="2026-02-10T09:00:00+08:00")
    repo.commit("two", allow_empty=True, committed="2026-02-10T03:00:00+00:00")
    repo.commit("three", allow_empty=True, committed="2026-02-09T23:00:00-08:00")

    commits = day(open_source(repo.path), "2026-02-10")

    assert subjects(commits) == ["three", "two", "one"]
    assert [c.committed_at.isoformat() for c in commits] == [
        "2026-02-09T23:00:00-08:00",
        "2026-02-10T03:00:00+00:00",
        "2026-02-10T09:00:00+08:00",
    ]


def test_selection_is_by_committer_date_not_author_date(repo: GitRepo) -> None:
    repo.commit(
        "authored on the 9th, landed on the 10th",
        allow_empty=True,
        authored="2026-02-09T22:00:00+09:00",
        committed="2026-02-10T10:00:00+08:00",
        author=("Ann Author", "ann@example.com"),
        committer=("GitHub", "noreply@github.com"),
    )
    source = open_source(repo.path)

    assert day(source, "2026-02-09") == []
    [commit] = day(source, "2026-02-10")
    assert commit.authored_at.isoformat() == "2026-02-09T22:00:00+09:00"
    assert commit.committed_at.isoformat() == "2026-02-10T10:00:00+08:00"
    assert (commit.author.name, commit.author.email) == ("Ann Author", "ann@example.com")
    assert (commit.committer.name, commit.committer.email) == ("GitHub", "noreply@github.com")


def test_a_commit_behind_a_skewed_clock_is_still_found(repo: GitRepo) -> None:
    # The child says it was committed before its parent: git --since would stop
    # walking at it; the source must not.
    repo.commit("on the 10th", allow_empty=True, committed="2026-02-10T12:00:00+08:00")
    repo.commit("skewed to the 8th", allow_empty=True, committed="2026-02-08T12:00:00+08:00")
    repo.commit("on the 11th", allow_empty=True, committed="2026-02-11T12:00:00+08:00")

    assert subjects(day(open_source(repo.path), "2026-02-10")) == ["on the 10th"]


def test_an_empty_day_yields_nothing(repo: GitRepo) -> None:
    repo.commit("later", allow_empty=True, committed="2026-02-12T12:00:00+08:00")
    assert day(open_source(repo.path), "2026-02-11") == []


def test_a_commit_only_on_another_branch_is_not_selected(repo: GitRepo) -> None:
    repo.checkout("feature", create=True)
    repo.commit("on feature", files={"f.py": "x\n"}, committed="2026-02-10T10:00:00+08:00")
    repo.checkout("main")
    repo.commit("on main", files={"m.py": "y\n"}, committed="2026-02-10T11:00:00+08:00")

    assert subjects(day(open_source(repo.path), "2026-02-10")) == ["on main"]
    assert subjects(day(open_source(repo.path, branch="feature"), "2026-02-10")) == ["on feature"]


def test_the_history_is_walked_once_for_many_days(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("one", allow_empty=True, committed="2026-02-10T10:00:00+08:00")
    source = open_source(repo.path)
    calls: list[list[str]] = []
    real_run = git_module._run

    def counting_run(cwd: Path, args: list[str], *rest: object, **kwargs: object) -> bytes:
        calls.append(args)
        return real_run(cwd, args, *rest, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(git_module, "_run", counting_run)
    for n in range(1, 15):
        list(source.commits(day_window(date(2026, 2, n), SHANGHAI)))

    assert sum(args[0] == "rev-list" for args in calls) == 1
    assert sum(args[0] == "cat-file" for args in calls) == 1  # only the day with a commit


# -- what each commit says -------------------------------------------------------


def test_a_merge_is_listed_with_its_diff_against_the_first_parent(repo: GitRepo) -> None:
    repo.checkout("feature", create=True)
    repo.commit("feature work", files={"f.py": "a\nb\n"}, committed="2026-02-10T10:00:00+08:00")
    repo.checkout("main")
    main = repo.commit("main work", files={"m.py": "c\n"}, committed="2026-02-10T11:00:00+08:00")
    merge = repo.merge("feature", "Merge feature (#7)", committed="2026-02-10T12:00:00+08:00")

    commits = day(open_source(repo.path), "2026-02-10")

    assert subjects(commits) == ["Merge feature (#7)", "main work", "feature work"]
    assert commits[0].sha == merge
    assert commits[0].is_merge and commits[0].parents[0] == main
    assert commits[0].files == (FileChange(path="f.py", additions=2, deletions=0),)
    assert "+++ b/f.py" in open_source(repo.path).patch(merge)
    assert "m.py" not in open_source(repo.path).patch(merge)


def test_the_root_commit_is_diffed_against_the_empty_tree(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "r")
    repo.commit("first", files={"a.py": "1\n2\n3\n"}, committed="2026-02-10T10:00:00+08:00")

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert commit.parents == ()
    assert commit.files == (FileChange(path="a.py", additions=3, deletions=0),)


def test_a_rename_records_the_old_path_and_line_counts(repo: GitRepo) -> None:
    lines = "".join(f"line {n}\n" for n in range(20))
    repo.commit("add", files={"src/old name.py": lines}, committed="2026-02-09T10:00:00+08:00")
    repo.commit(
        "move",
        rename={"src/old name.py": "lib/new_name.py"},
        files={"lib/new_name.py": lines.replace("line 3\n", "line three\n")},
        committed="2026-02-10T10:00:00+08:00",
    )

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert commit.files == (
        FileChange(path="lib/new_name.py", old_path="src/old name.py", additions=1, deletions=1),
    )


def test_a_binary_file_is_marked_binary_without_line_counts(repo: GitRepo) -> None:
    repo.commit(
        "logo",
        files={"docs/a.md": "text\n"},
        binary={"docs/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        committed="2026-02-10T10:00:00+08:00",
    )

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert commit.files == (
        FileChange(path="docs/a.md", additions=1, deletions=0),
        FileChange(path="docs/logo.png", additions=0, deletions=0, binary=True),
    )


def test_unusual_paths_are_read_exactly(repo: GitRepo) -> None:
    # Tabs, quotes, non-ASCII: git quotes such paths unless told not to (-z).
    odd = ["tab\there.txt", 'quote"d.txt', "中文/文件.md", "new\nline.txt"]
    repo.commit("odd paths", files={p: "x\n" for p in odd}, committed="2026-02-10T10:00:00+08:00")

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert sorted(f.path for f in commit.files) == sorted(odd)


def test_subject_is_the_first_paragraph_and_body_the_rest(repo: GitRepo) -> None:
    repo.commit(
        "feat: a subject wrapped\nonto two lines (#12)\n\nThe body.\n\n  indented\n\n",
        allow_empty=True,
        committed="2026-02-10T10:00:00+08:00",
    )

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert commit.subject == "feat: a subject wrapped onto two lines (#12)"
    assert commit.body == "The body.\n\n  indented"


def test_a_signed_commit_s_signature_is_not_part_of_its_message(repo: GitRepo) -> None:
    tree = repo.git("rev-parse", "HEAD^{tree}")
    raw = (
        f"tree {tree}\nparent {repo.head}\n"
        "author Ann <ann@example.com> 1770688800 +0800\n"
        "committer GitHub <noreply@github.com> 1770688800 +0800\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n wsBcBAABCAAQBQJ\n -----END PGP SIGNATURE-----\n"
        "\nfeat: signed (#5)\n\nSigned-off-by: Ann <ann@example.com>\n"
    )
    sha = repo.git("hash-object", "-t", "commit", "-w", "--stdin", stdin=raw.encode())
    repo.git("update-ref", "refs/heads/main", sha)

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert (commit.sha, commit.subject) == (sha, "feat: signed (#5)")
    assert commit.body == "Signed-off-by: Ann <ann@example.com>"
    assert commit.author.name == "Ann"


def test_a_message_that_is_not_utf8_decodes_with_replacement_characters(repo: GitRepo) -> None:
    repo.commit(
        message_bytes=b"fix: caf\xe9 \xff\n\nbody \xfe\n",
        allow_empty=True,
        committed="2026-02-10T10:00:00+08:00",
    )
    assert b"\n\nfix: caf\xe9 \xff\n" in repo.raw_commit()  # stored as given, no encoding header

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert commit.subject == "fix: caf\ufffd \ufffd"
    assert commit.body == "body \ufffd"


def test_a_latin1_message_with_an_encoding_header_decodes_correctly(repo: GitRepo) -> None:
    repo.commit(
        "café au lait",
        allow_empty=True,
        encoding="ISO-8859-1",
        committed="2026-02-10T10:00:00+08:00",
    )
    raw = repo.raw_commit()
    assert b"\nencoding ISO-8859-1\n" in raw and b"\n\ncaf\xe9 au lait\n" in raw

    [commit] = day(open_source(repo.path), "2026-02-10")

    assert commit.subject == "café au lait"


def test_patch_is_the_diff_against_the_first_parent_and_is_truncated(repo: GitRepo) -> None:
    sha = repo.commit(
        "big",
        files={"a.py": "".join(f"print({n})\n" for n in range(1000))},
        committed="2026-02-10T10:00:00+08:00",
    )
    source = open_source(repo.path)

    full = source.patch(sha)
    assert full.startswith("diff --git a/a.py b/a.py\n")
    assert "+print(999)\n" in full

    cut = source.patch(sha, max_bytes=300)
    body, marker = cut.rsplit("\n[", 1)
    assert marker == "diff truncated at 300 bytes]\n"
    assert len(body.encode()) <= 300 and full.startswith(body)


# -- where the repository is -----------------------------------------------------


def test_a_bare_clone_gives_the_same_commits(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("change", files={"a.py": "1\n"}, committed="2026-02-10T10:00:00+08:00")
    bare = repo.clone(tmp_path / "mirror.git", bare=True)

    assert day(open_source(bare.path), "2026-02-10") == day(open_source(repo.path), "2026-02-10")


def test_a_fetched_clone_follows_origin_not_its_stale_local_branch(
    repo: GitRepo, tmp_path: Path
) -> None:
    clone = repo.clone(tmp_path / "clone")
    repo.commit("after the clone", allow_empty=True, committed="2026-02-10T10:00:00+08:00")
    clone.git("fetch", "-q")

    assert subjects(day(open_source(clone.path), "2026-02-10")) == ["after the clone"]


def test_a_folder_that_is_not_a_repository_is_a_config_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(ConfigError) as caught:
        open_source(plain)
    assert str(caught.value) == (
        f"Repository 'acme/widgets': {plain} is not a git repository; "
        "clone it there or fix repos[].path"
    )
    assert caught.value.exit_code == 2


def test_a_folder_inside_a_clone_is_not_taken_for_the_clone(repo: GitRepo) -> None:
    inner = repo.path / "docs"
    inner.mkdir()
    with pytest.raises(ConfigError, match="is not a git repository"):
        open_source(inner)


def test_a_missing_branch_is_a_config_error(repo: GitRepo) -> None:
    with pytest.raises(ConfigError) as caught:
        open_source(repo.path, branch="release")
    assert str(caught.value) == (
        f"Repository 'acme/widgets': branch 'release' not found in {repo.path}; "
        "check repos[].branch"
    )


def test_a_tag_or_full_ref_works_as_the_branch(repo: GitRepo) -> None:
    repo.commit("tagged", allow_empty=True, committed="2026-02-10T10:00:00+08:00")
    repo.tag("v1.0")
    repo.commit("after tag", allow_empty=True, committed="2026-02-10T11:00:00+08:00")

    assert subjects(day(open_source(repo.path, branch="v1.0"), "2026-02-10")) == ["tagged"]
    assert len(day(open_source(repo.path, branch="refs/heads/main"), "2026-02-10")) == 2


def test_a_shallow_clone_refuses_a_day_before_its_history(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("on the 9th", allow_empty=True, committed="2026-02-09T10:00:00+08:00")
    repo.commit("on the 10th", allow_empty=True, committed="2026-02-10T10:00:00+08:00")
    shallow = repo.clone(tmp_path / "shallow", depth=1)
    source = open_source(shallow.path)

    with pytest.raises(SourceUnavailable) as caught:
        day(source, "2026-02-09")
    assert str(caught.value) == (
        f"Repository 'acme/widgets': clone at {shallow.path} is shallow (1 commits); "
        "fetch with --unshallow"
    )
    with pytest.raises(SourceUnavailable):
        day(source, "2026-02-10")  # its boundary commit's own day may be incomplete
    assert day(source, "2026-02-11") == []


def test_git_failing_mid_run_is_source_unavailable(repo: GitRepo) -> None:
    repo.commit("doomed", allow_empty=True, committed="2026-02-10T10:00:00+08:00")
    source = open_source(repo.path)
    shutil.rmtree(repo.path / ".git" / "objects")
    (repo.path / ".git" / "objects").mkdir()

    with pytest.raises(SourceUnavailable) as caught:
        day(source, "2026-02-10")
    message = str(caught.value)
    assert message.startswith("Repository 'acme/widgets': git rev-list failed: fatal: ")
    assert "\n" not in message


# -- five real days of sgl-project/sglang ------------------------------------------

SGLANG = load_fixture()


@pytest.fixture(scope="module")
def sglang(tmp_path_factory: pytest.TempPathFactory) -> GitSource:
    repo = build_sglang_repo(tmp_path_factory.mktemp("sglang") / "sglang")
    return open_source(repo.path, name="sgl-project/sglang")


@pytest.mark.parametrize("recorded", SGLANG["days"], ids=lambda d: d["date"])
def test_sglang_days_match_the_recorded_reports(sglang: GitSource, recorded: dict) -> None:
    commits = day(sglang, recorded["date"], ZoneInfo(SGLANG["timezone"]))

    def local(moment: datetime) -> str:
        return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")

    assert [(c.subject, c.author.name, local(c.committed_at)) for c in commits] == [
        (r["subject"], r["author_name"], r["time_local"]) for r in recorded["commits"]
    ]
    assert [
        (c.author.email, c.committer.name, c.authored_at.isoformat(), c.committed_at.isoformat())
        for c in commits
    ] == [
        (r["author_email"], r["committer_name"], r["author_date"], r["committer_date"])
        for r in recorded["commits"]
    ]
    for commit, record in zip(commits, recorded["commits"], strict=True):
        expected = [
            FileChange(
                path=f["path"],
                old_path=f.get("old_path"),
                additions=f["additions"] or 0,
                deletions=f["deletions"] or 0,
                binary=f.get("binary", False),
            )
            for f in record["files"]
        ]
        assert list(commit.files) == expected, record["subject"]
        assert (commit.additions, commit.deletions) == (record["insertions"], record["deletions"])


def test_a_repository_without_any_commit_is_an_empty_history(tmp_path):
    empty = GitRepo.init(tmp_path / "empty")
    source = GitSource.open(GitRepoConfig(name="o/empty", branch="main", path=empty.path))
    window = day_window(date(2026, 2, 10), ZoneInfo("Asia/Shanghai"))
    assert list(source.commits(window)) == []


def test_patch_redacts_secrets_unless_asked_for_the_raw_diff(repo: GitRepo) -> None:
    key = "AKIAIOSFODNN7EXAMPLE"
    token = "ghp_" + "Zz9" * 12
    sha = repo.commit(
        "config: add credentials by mistake",
        {"settings.py": f'AWS_KEY = "{key}"\nGITHUB = "{token}"\nDEBUG = True\n'},
    )
    source = open_source(repo.path)
    shown = source.patch(sha)
    assert key not in shown and token not in shown
    assert '+AWS_KEY = "[REDACTED:aws-access-key]"' in shown
    assert '+GITHUB = "[REDACTED:github-token]"' in shown
    assert "+DEBUG = True" in shown
    assert key in source.patch(sha, redact_secrets=False)
