"""`python -m generator` as a user runs it: real processes, real repositories."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent


NOW = "2026-03-05T12:00:00+08:00"
"""Every run here happens then (DIGEST_NOW), whatever day the suite runs on."""


def cli(*args: str, cwd: Path, now: str = NOW) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "DIGEST_NOW": now},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with a digest.yml over a small real repository."""
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit("feat: first (#1)", {"a.py": "x = 1\n"}, committed="2026-03-02T10:00:00+08:00")
    repo.commit("fix: second", {"a.py": "x = 2\n"}, committed="2026-03-02T23:59:59+08:00")
    repo.commit("docs: third", {"README.md": "hi\n"}, committed="2026-03-03T00:00:00+08:00")
    write(tmp_path, "")
    return tmp_path


def write(folder: Path, extra: str, path: str = "clone", branch: str = "main") -> None:
    (folder / "digest.yml").write_text(
        "site_url: https://example.org/d/\ntimezone: Asia/Shanghai\n"
        f"repos:\n  - name: o/r\n    branch: {branch}\n    path: {path}\n{extra}",
        encoding="utf-8",
    )


def written(folder: Path) -> list[Path]:
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and "clone" not in p.parts and p.name != "digest.yml"
    ]


def test_run_one_date_prints_progress_and_summary(project):
    result = cli("run", "--date", "2026-03-02", cwd=project)
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(r"\[1/1\] 2026-03-02 o/r: 2 commits \(🔴\d 🟡\d 🟢\d\)", line)
    assert re.match(r"Done: 1 days, 2 commits \(🔴\d 🟡\d 🟢\d\), 1 records and ", result.stdout)
    assert (project / "data/o/r/2026/03/02.json").exists()
    assert (project / "docs/daily/2026/03/02.md").exists()


def test_render_needs_no_repository(project):
    assert cli("run", "--since", "2026-03-01", "--until", "2026-03-03", cwd=project).returncode == 0
    pages = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    (project / "clone").rename(project / "moved")
    write(project, "", path="moved")
    result = cli("render", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Done: rendered the archive, 0 pages changed"
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*.md")} == pages


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "--date", "2026-02-30"],
            "'2026-02-30' is not a date; use YYYY-MM-DD, today or yesterday",
        ),
        (["run", "--date", "tomorrow"], "'tomorrow' is not a date"),
        (
            ["run", "--since", "2026-03-03", "--until", "2026-03-01"],
            "--since 2026-03-03 is after --until 2026-03-01",
        ),
        (["run", "--date", "2999-01-01"], "2999-01-01 is in the future"),
        (["run", "--date", "2026-03-02", "--since", "2026-03-01"], "--date cannot be combined"),
        (["run", "--repo", "x/y"], "--repo 'x/y' is not in the config (configured: o/r)"),
        (["run", "--config", "missing.yml"], "missing.yml: config file not found"),
        (["walk"], "invalid choice: 'walk'"),
    ],
)
def test_usage_mistakes_are_one_line_exit_2_nothing_written(project, args, message):
    result = cli(*args, cwd=project)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert "Traceback" not in result.stderr
    assert written(project) == []


def test_not_a_git_repository(project):
    (project / "plain").mkdir()
    write(project, "", path="plain")
    result = cli("run", "--date", "2026-03-02", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"Error: Repository 'o/r': {project / 'plain'} is not a git repository; "
        "clone it there or fix repos[].path"
    )
    assert written(project) == []


def test_branch_that_does_not_exist(project):
    write(project, "", branch="trunk")
    result = cli("run", "--date", "2026-03-02", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: Repository 'o/r': branch 'trunk' not found in ")
    assert len(result.stderr.splitlines()) == 1
    assert written(project) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("colour: red\n", "colour: unknown key"),
        ("timezone2: x\n", "timezone2: unknown key"),
        ("language: fr\n", "language: must be 'zh' or 'en'"),
    ],
)
def test_config_mistakes(project, extra, message):
    write(project, extra)
    result = cli("run", cwd=project)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert written(project) == []


def test_bad_timezone_and_missing_path(project):
    (project / "digest.yml").write_text(
        "site_url: https://example.org/d/\ntimezone: Europe/Atlantis\n"
        "repos:\n  - name: o/r\n    path: nowhere\n",
        encoding="utf-8",
    )
    result = cli("run", cwd=project)
    assert result.returncode == 2
    assert "timezone: 'Europe/Atlantis' is not an IANA timezone" in result.stderr
    (project / "digest.yml").write_text(
        "site_url: https://example.org/d/\nrepos:\n  - name: o/r\n    path: nowhere\n",
        encoding="utf-8",
    )
    result = cli("run", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: Repository 'o/r': {project / 'nowhere'} does not exist; "
        "clone o/r there or fix repos[].path\n"
    )
    assert written(project) == []
    # Only a run opens the clone: rendering the records needs none.
    assert cli("render", cwd=project).returncode == 0


def test_verbose_shows_the_traceback(project):
    result = cli("-v", "run", "--repo", "x/y", cwd=project)
    assert result.returncode == 2
    assert "Traceback" in result.stderr


@pytest.mark.parametrize("command", ["run", "render"])
def test_help(project, command):
    result = cli(command, "--help", cwd=project)
    assert result.returncode == 0
    assert "--config" in result.stdout


def test_local_midnight_splits_days(project):
    cli("run", "--since", "2026-03-02", "--until", "2026-03-03", cwd=project)
    second = (project / "docs/daily/2026/03/03.md").read_text(encoding="utf-8")
    assert "00:00:00" in second and "23:59:59" not in second  # the day table shows times


def test_switching_language_reanalyses_the_whole_archive_offline(project):
    assert cli("run", "--date", "2026-03-02", cwd=project).returncode == 0
    record = project / "data/o/r/2026/03/02.json"
    assert '"language": "zh"' in record.read_text(encoding="utf-8")
    write(project, "language: en\n")
    result = cli("run", "--date", "2026-03-03", cwd=project)
    assert result.returncode == 0, result.stderr
    assert '"language": "en"' in record.read_text(encoding="utf-8")
    day = (project / "docs/daily/2026/03/02.md").read_text(encoding="utf-8")
    assert "# Daily report" in day
    assert not re.search(r"[\u4e00-\u9fff]", day)


def test_a_misspelt_key_names_the_key_it_meant_and_nothing_it_caused(project):
    (project / "digest.yml").write_text(
        "site_url: https://example.org/d/\nrepo:\n  - name: o/r\n    path: clone\n",
        encoding="utf-8",
    )
    result = cli("run", cwd=project)
    assert result.returncode == 2
    assert result.stderr == "Error: digest.yml: repo: unknown key; did you mean 'repos'?\n"
    write(project, "    brnach: main\n")
    result = cli("run", cwd=project)
    assert result.stderr == (
        "Error: digest.yml: repos[0].brnach: unknown key; did you mean 'branch'?\n"
    )
    assert written(project) == []


def test_digest_now_must_be_a_time_with_an_offset(project):
    result = cli("run", cwd=project, now="2026-03-05 noon")
    assert result.returncode == 2
    assert result.stderr == (
        "Error: DIGEST_NOW='2026-03-05 noon' is not a time with a UTC offset; "
        "use e.g. 2026-02-16T01:30:00+08:00, or unset it\n"
    )


def test_today_is_the_day_digest_now_names(project):
    result = cli("run", "--since", "2026-03-02", "--until", "today", cwd=project,
                 now="2026-03-03T00:30:00+08:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = (project / "data/o/r/2026/03/03.json").read_text(encoding="utf-8")
    assert '"complete": false' in record and "docs: third" in record
    assert not (project / "data/o/r/2026/03/04.json").exists()
