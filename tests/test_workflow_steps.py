"""The digest workflow's own shell steps, run as GitHub runs them (`bash -eo pipefail`):
dispatch inputs reach the generator as arguments and never as code, a run with failed
days still commits, records are committed and pushed with real git, and the token stays
out of git's config. Also scripts/workflow-config, which tells the workflow its folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "digest.yml"
TOKEN = "ghs_plantedTokenThatMustNotLeak0123456789"
BOT = "github-actions[bot]"
FAKE_PYTHON = '#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGV_FILE"\nexit "${FAKE_STATUS:-0}"\n'


def step(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return next(s for s in workflow["jobs"]["digest"]["steps"] if s.get("name") == name)


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A `run:` script the way GitHub runs it for `shell: bash`."""
    file = cwd / ".step.sh"
    file.write_text(script, encoding="utf-8")
    try:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(file)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        file.unlink()


@pytest.fixture
def run_step(tmp_path):
    """The run step with `python` replaced by a recorder of its arguments."""
    (tmp_path / "bin").mkdir()
    fake = tmp_path / "bin" / "python"
    fake.write_text(FAKE_PYTHON, encoding="utf-8")
    fake.chmod(0o755)
    output = tmp_path / "github_output"

    def call(since: str = "", until: str = "", status: int = 0):
        output.write_text("", encoding="utf-8")
        env = {
            "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
            "SINCE": since,
            "UNTIL": until,
            "ARGV_FILE": str(tmp_path / "argv"),
            "FAKE_STATUS": str(status),
            "GITHUB_OUTPUT": str(output),
        }
        result = bash(step("Record the missing days")["run"], tmp_path, env)
        argv = (tmp_path / "argv").read_text(encoding="utf-8").splitlines()
        return result, argv, output.read_text(encoding="utf-8")

    return call


def test_a_scheduled_run_records_what_is_missing(run_step):
    result, argv, output = run_step()
    assert result.returncode == 0, result.stderr
    assert argv == ["-m", "generator", "run"]
    assert output == ""


def test_dispatch_dates_are_arguments(run_step):
    result, argv, _ = run_step("2025-01-01", "2025-12-31")
    assert result.returncode == 0
    assert argv == ["-m", "generator", "run", "--since=2025-01-01", "--until=2025-12-31"]
    parsed = cli.build_parser().parse_args(argv[2:])
    assert (str(parsed.since), str(parsed.until)) == ("2025-01-01", "2025-12-31")


@pytest.mark.parametrize(
    "since, until",
    [
        ('$(touch pwned)"; touch pwned #', "`touch pwned`"),
        ("2025-01-01 --repo evil/x", "--config=/etc/passwd"),
    ],
)
def test_hostile_inputs_stay_one_argument_and_the_cli_refuses_them(
    run_step, tmp_path, capsys, since, until
):
    result, argv, _ = run_step(since, until)
    assert result.returncode == 0
    assert argv == ["-m", "generator", "run", f"--since={since}", f"--until={until}"]
    assert not (tmp_path / "pwned").exists()
    assert cli.main(argv[2:]) == 2
    error = capsys.readouterr().err
    assert error.startswith("Error: argument --since: ") and error.count("\n") == 1


def test_failed_days_still_commit_and_deploy_other_errors_stop(run_step):
    result, _, output = run_step(status=1)
    assert result.returncode == 0
    assert output == "failed-days=true\n"
    result, _, output = run_step(status=2)
    assert result.returncode == 2
    assert output == ""


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env or isolated(), check=True, capture_output=True, text=True
    ).stdout.strip()


def isolated(**extra: str) -> dict[str, str]:
    """No global or system git config: the step must bring everything it needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", **extra}


PERSON = dict(
    GIT_AUTHOR_NAME="Owner",
    GIT_AUTHOR_EMAIL="owner@example.org",
    GIT_COMMITTER_NAME="Owner",
    GIT_COMMITTER_EMAIL="owner@example.org",
)


@pytest.fixture
def checkout(tmp_path):
    """A repository (bare, as on GitHub) and the workflow's checkout of it."""
    origin = tmp_path / "origin.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(origin), cwd=tmp_path)
    work = tmp_path / "work"
    git("clone", "--quiet", str(origin), str(work), cwd=tmp_path)
    (work / ".gitignore").write_text("/docs/\n/site/\n", encoding="utf-8")
    (work / "digest.yml").write_text("timezone: Asia/Shanghai\n", encoding="utf-8")
    git("add", ".", cwd=work)
    git("commit", "--quiet", "-m", "start", cwd=work, env=isolated(**PERSON))
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    return origin, work


def commit_step(work: Path) -> subprocess.CompletedProcess[str]:
    spec = step("Commit the records")
    env = {k: str(v) for k, v in spec["env"].items() if not str(v).startswith("${{")}
    env |= dict(
        DATA_DIR="data",
        BRANCH="main",
        GITHUB_TOKEN=TOKEN,
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_REPOSITORY="me/digest",
        GITHUB_RUN_ID="42",
    )
    return bash(spec["run"], work, isolated(**env))


def record(work: Path, day: str, text: str = "{}") -> None:
    path = work / "data" / "o" / "r" / f"{day}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_records_are_committed_by_the_bot_and_pushed(checkout):
    origin, work = checkout
    record(work, "2026-02-10")
    (work / "docs").mkdir()
    (work / "docs" / "index.md").write_text("# built\n", encoding="utf-8")
    result = commit_step(work)
    assert result.returncode == 0, result.stderr
    log = git("log", "--format=%an <%ae>|%cn|%s|%b", "main", cwd=origin).splitlines()
    assert log[0].startswith(f"{BOT} <41898282+{BOT}@users.noreply.github.com>|{BOT}|")
    assert "digest: records|https://github.com/me/digest/actions/runs/42" in log[0]
    pushed = git("ls-tree", "-r", "--name-only", "main", cwd=origin).splitlines()
    assert pushed == [".gitignore", "data/o/r/2026-02-10.json", "digest.yml"]
    assert TOKEN not in (work / ".git" / "config").read_text() + result.stdout + result.stderr

    again = commit_step(work)
    assert again.returncode == 0 and again.stdout.strip() == "No record changed"
    assert len(git("log", "--format=%H", "main", cwd=origin).splitlines()) == 2


def test_records_go_on_top_of_a_push_made_meanwhile(checkout, tmp_path):
    origin, work = checkout
    other = tmp_path / "other"
    git("clone", "--quiet", str(origin), str(other), cwd=tmp_path)
    (other / "digest.yml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    git("commit", "--quiet", "-am", "config", cwd=other, env=isolated(**PERSON))
    git("push", "--quiet", "origin", "HEAD:main", cwd=other)
    record(work, "2026-02-11")
    result = commit_step(work)
    assert result.returncode == 0, result.stderr
    assert git("log", "--format=%s", "main", cwd=origin).splitlines() == [
        "digest: records",
        "config",
        "start",
    ]


def test_ignored_records_fail_loudly_instead_of_being_lost(checkout):
    _, work = checkout
    (work / ".gitignore").write_text("/data/\n", encoding="utf-8")
    record(work, "2026-02-10")
    result = commit_step(work)
    assert result.returncode == 1
    assert result.stdout.startswith("::error::data is ignored by .gitignore")


def test_git_gets_the_token_from_the_helper_only(tmp_path):
    script = step("Commit the records")["run"]
    exports = "\n".join(line for line in script.splitlines() if "export GIT_CONFIG" in line)
    fill = "printf 'protocol=https\\nhost=github.com\\n\\n' | git credential fill\n"
    result = bash(exports + "\n" + fill, tmp_path, isolated(GITHUB_TOKEN=TOKEN))
    assert result.returncode == 0, result.stderr
    assert f"username=x-access-token\npassword={TOKEN}\n" in result.stdout
    assert TOKEN not in exports


def workflow_config(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "workflow-config"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_workflow_config_of_the_shipped_digest_yml():
    result = workflow_config("digest.yml", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "data=data\nsite=site\nbuild<<EOF_build\ndocs\nsite\n.digest-cache\nEOF_build\n"
        "mirrors=mirrors\n"
        "site-url=https://example.github.io/commit-digest/\n"
    )


def test_workflow_config_follows_the_folders_of_a_config_elsewhere(tmp_path, write_config):
    config = write_config(
        data_dir="../records",
        docs_dir="pages",
        site_dir="/tmp/out",
        repos=[{"name": "o/r", "path": "."}],
    )
    nested = tmp_path / "conf"
    nested.mkdir()
    moved = config.rename(nested / "digest.yml")
    result = workflow_config("conf/digest.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["data=records", "site=/tmp/out"]
    assert lines[3:6] == ["conf/pages", "/tmp/out", "conf/.digest-cache"]
    assert "mirrors=conf/mirrors" in lines

    moved.write_text(moved.read_text() + "data_dir: /srv/records\n", encoding="utf-8")
    result = workflow_config("conf/digest.yml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: data_dir: /srv/records is not a folder inside ")
    assert result.stderr.count("\n") == 1
