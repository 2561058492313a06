"""The GitHub Actions workflows: zizmor finds nothing, every action is pinned, every job
asks for its own permissions, no expression reaches a shell script, and every command
the workflows run exists (the generator's through its own argument parser)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"
# Offline, every audit at its most suspicious, and no way to silence a finding (no config
# file, no ignore comments); syntax or schema errors fail too.
ZIZMOR_ARGS = ["--offline", "--persona", "auditor", "--no-config", "--no-ignores"]
ZIZMOR_ARGS += ["--strict-collection", "--no-progress", "--format", "json"]
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+)(/[\w./-]+)?@([0-9a-f]{40})\s+#\s*v\d+")
# Values for the shell variables a workflow passes to the generator, to check the
# commands it builds against the real parser. A new variable needs a sample here.
SAMPLES = {"SINCE": "2026-01-01", "UNTIL": "2026-01-31"}


def load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def zizmor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """zizmor with ZIZMOR_ARGS; a request that got out anyway would fail."""
    env = {k: v for k, v in os.environ.items() if "TOKEN" not in k}
    env.update(HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9", NO_COLOR="1")
    return subprocess.run(
        [str(ZIZMOR), *ZIZMOR_ARGS, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    """`audit: description at file:line` for each finding of zizmor's JSON output."""

    def where(location: dict[str, Any]) -> str:
        key = location["symbolic"]["key"]
        path = key["Local"]["verbatim_path"] if "Local" in key else str(key)
        return f"{path}:{location['concrete']['location']['start_point']['row'] + 1}"

    return [
        f"{f['ident']}: {f['desc']} at "
        + ", ".join(where(loc) for loc in f["locations"] if loc["symbolic"]["kind"] == "Primary")
        for f in json.loads(result.stdout or "[]")
    ]


def test_zizmor_finds_nothing_in_the_workflows():
    assert {"ci.yml", "digest.yml"} <= {f.name for f in FILES}
    result = zizmor(".github/workflows")
    assert result.returncode == 0 and findings(result) == [], findings(result) or result.stderr


def test_zizmor_does_find_what_it_should_offline(tmp_path):
    """The audit above can fail: offline, zizmor flags an unpinned action, a dispatch
    input spliced into a script and a missing permissions block."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\non:\n  workflow_dispatch:\n    inputs:\n      since: {type: string}\n"
        "jobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: python -m generator run --since ${{ inputs.since }}\n",
        encoding="utf-8",
    )
    result = zizmor(".github/workflows", cwd=tmp_path)
    found = {f.split(":")[0] for f in findings(result)}
    assert result.returncode != 0
    assert {"unpinned-uses", "template-injection", "excessive-permissions"} <= found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    unpinned = [line.strip() for line in lines if not PINNED.match(line)]
    assert unpinned == [], "pin to a full commit SHA with `# vX.Y.Z` after it"


def test_one_commit_per_action_across_the_workflows():
    pins: dict[str, set[str]] = {}
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := PINNED.match(line):
                pins.setdefault(match[1], set()).add(match[3])
    assert pins and all(len(shas) == 1 for shas in pins.values()), pins


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_nothing_granted_at_the_top_each_job_asks_for_its_own(path):
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"job {name} has no permissions"
        assert "write-all" not in str(job["permissions"])


def test_only_the_deploy_job_may_deploy():
    jobs = load(WORKFLOWS / "digest.yml")["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["digest"]["permissions"] == {"contents": "write", "issues": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    used = {step.get("uses", "").split("@")[0] for step in jobs["deploy"]["steps"]}
    assert "actions/deploy-pages" in used
    assert load(WORKFLOWS / "ci.yml")["jobs"]["test"]["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expression_or_secret_inside_a_script(path):
    """Dispatch inputs, secrets and event fields reach scripts through `env:` only."""
    for step in steps(load(path)):
        script = step.get("run", "")
        assert "${{" not in script and "secrets." not in script, step.get("name")


def test_dispatch_inputs_reach_the_run_step_through_its_environment():
    workflow = load(WORKFLOWS / "digest.yml")
    inputs = workflow["on"]["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"since", "until"}
    assert not any(i.get("required") for i in inputs.values())
    run = next(s for s in steps(workflow) if s.get("id") == "run")
    for name in inputs:
        assert run["env"][name.upper()] == f"${{{{ inputs.{name} }}}}"


def test_schedule_runs_after_midnight_in_the_configured_timezone():
    workflow = load(WORKFLOWS / "digest.yml")
    (schedule,) = workflow["on"]["schedule"]
    config = yaml.safe_load((ROOT / "digest.yml").read_text(encoding="utf-8"))
    assert schedule["timezone"] == config["timezone"]
    minute, hour, *every_day = schedule["cron"].split()
    assert hour == "0" and 0 < int(minute) < 60 and every_day == ["*", "*", "*"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_each_cache_is_saved_under_the_key_it_was_restored_with():
    """The save reuses the restore's key rather than computing it again (files hashed in
    the key may change during the run), and saves the same folders."""
    job = load(WORKFLOWS / "digest.yml")["jobs"]["digest"]["steps"]
    restores = {s["id"]: s for s in job if "actions/cache/restore@" in s.get("uses", "")}
    saves = [s for s in job if "actions/cache/save@" in s.get("uses", "")]
    assert len(saves) == len(restores) == 2
    for save in saves:
        (restore_id,) = re.findall(
            r"steps\.([\w-]+)\.outputs\.cache-primary-key", save["with"]["key"]
        )
        assert save["with"]["path"] == restores[restore_id]["with"]["path"]
        assert restores[restore_id]["with"]["restore-keys"] in restores[restore_id]["with"]["key"]


def generator_commands(script: str) -> list[list[str]]:
    """The argument lists of every `python -m generator ...` in a script, with arrays and
    variables expanded from the script's own `name+=(...)` lines and SAMPLES."""
    arrays: dict[str, list[str]] = {}
    for name, body in re.findall(r"(\w+)\+?=\((.*?)\)", script):
        arrays.setdefault(name, []).extend(shlex.split(body))

    def expand(token: str) -> list[str]:
        if array := re.fullmatch(r"\$\{(\w+)\[@\]\}", token):
            return [word for item in arrays[array[1]] for word in expand(item)]
        names = re.findall(r"\$\{?(\w+)\}?", token)
        assert all(n in SAMPLES for n in names), f"add a sample for {names} to SAMPLES"
        return [re.sub(r"\$\{?(\w+)\}?", lambda m: SAMPLES[m[1]], token)]

    commands = []
    for line in script.splitlines():
        if "python -m generator " not in line:
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        start = tokens.index("generator") + 1
        words = []
        for token in tokens[start:]:
            if set(token) <= set("|&;<>()"):
                break
            words += expand(token)
        commands.append(words)
    return commands


def test_the_commands_the_workflows_run_exist():
    parser = build_parser()
    seen: set[str] = set()
    for path in FILES:
        for step in steps(load(path)):
            script = step.get("run", "")
            for words in generator_commands(script):
                parser.parse_args(words)  # a ConfigError (one line) if not
                seen.add(words[0])
            for program in re.findall(r"(?:python |\./)(scripts/[\w.-]+)", script):
                assert (ROOT / program).is_file(), program
    assert seen == {"run", "build"}


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^(\./scripts/test)\s+#", readme, re.MULTILINE)
    assert command is not None
    (test,) = [s for s in steps(load(WORKFLOWS / "ci.yml")) if "scripts/test" in s.get("run", "")]
    assert test["run"].strip() == command[1]
    assert test["env"] == {"DIGEST_REQUIRE_BROWSER": "1"}
    workflow = load(WORKFLOWS / "ci.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    setup = next(s for s in steps(workflow) if "setup-python" in s.get("uses", ""))
    assert setup["with"]["python-version"] == "3.11"
