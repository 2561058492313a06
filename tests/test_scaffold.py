"""`init` in process: what it writes, what it refuses (one line each), and that the config
it writes is one `run` loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.config import load_config
from generator.errors import ConfigError
from generator.scaffold import Options, archive_files, default_timezone, init_archive


def test_init_writes_a_commented_config_that_loads(tmp_path, capsys):
    folder = tmp_path / "digest"
    code = main(["init", str(folder), "--repo", "a/b", "--repo", "c/d", "--timezone", "UTC"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"Done: wrote digest.yml, .github/workflows/digest.yml, .gitignore, README.md in {folder}"
        " (timezone UTC)"
    )
    text = (folder / "digest.yml").read_text(encoding="utf-8")
    assert text.startswith("# commit-digest configuration")
    config = load_config(folder / "digest.yml")
    assert [r.name for r in config.repos] == ["a/b", "c/d"]
    assert {r.source for r in config.repos} == {"mirror"} and config.analyzer == "rules"
    assert config.timezone == "UTC" and config.data_dir == folder / "data"
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/data/" not in ignored and {"/docs/", "/site/", "/mirrors/"} <= set(ignored)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Source: **GitHub Actions**" in readme and "LLM_API_KEY" in readme


def test_the_workflow_schedule_names_the_configs_timezone():
    files = archive_files(Options(("a/b",), "America/New_York"))
    workflow = yaml.safe_load(files[Path(".github/workflows/digest.yml")])
    config = yaml.safe_load(files[Path("digest.yml")])
    assert workflow[True]["schedule"][0]["timezone"] == config["timezone"] == "America/New_York"
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["digest"]["permissions"] == {"contents": "write"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (Options((), "UTC"), "init: name the repositories to follow, e.g. --repo owner/name"),
        (Options(("a",), "UTC"), "--repo 'a' is not of the form owner/name"),
        (Options(("a/b", "a/b"), "UTC"), "--repo: a repository is named twice"),
        (
            Options(("a/b",), "Mars/Olympus"),
            "--timezone 'Mars/Olympus' is not an IANA timezone; use e.g. Asia/Shanghai",
        ),
        (
            Options(("a/b",), "UTC", site_url="ftp://x/"),
            "--site-url 'ftp://x/' is not an http(s) URL",
        ),
    ],
)
def test_mistakes_are_one_line_and_write_nothing(tmp_path, options, message):
    with pytest.raises(ConfigError) as caught:
        init_archive(tmp_path / "new", options)
    assert str(caught.value) == message
    assert not (tmp_path / "new").exists()


def test_force_writes_only_the_missing_files(tmp_path):
    (tmp_path / "digest.yml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not empty"):
        init_archive(tmp_path, Options(("a/b",), "UTC"))
    written = init_archive(tmp_path, Options(("a/b",), "UTC"), force=True)
    assert (tmp_path / "digest.yml").read_text(encoding="utf-8") == "# mine\n"
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        ".github/workflows/digest.yml",
        ".gitignore",
        "README.md",
    ]


def test_a_file_is_not_a_folder(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a folder"):
        init_archive(tmp_path / "f", Options(("a/b",), "UTC"))


def test_without_a_release_the_action_is_named_by_its_tag(tmp_path, capsys):
    assert main(["init", str(tmp_path), "--repo", "a/b", "--timezone", "UTC", "--action"]) == 0
    assert "pin it to the tag's commit SHA" in capsys.readouterr().err
    workflow = (tmp_path / ".github/workflows/digest.yml").read_text(encoding="utf-8")
    assert "uses: commit-digest/commit-digest@v" in workflow


def test_the_machines_timezone_is_an_iana_name():
    from zoneinfo import ZoneInfo

    assert ZoneInfo(default_timezone())


def test_the_readme_installs_this_version():
    import tomllib

    root = Path(__file__).resolve().parent.parent
    version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    readme = (root / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Start your own archive")
    assert readme.index("## What it does") > start
    assert f"pip install commit-digest=={version['version']}\n" in readme[start:]


def test_the_commands_inits_workflows_and_the_action_run_exist(tmp_path, monkeypatch, capsys):
    """Every `commit-digest …` they run parses (with sample dates for the inputs), and the
    folders they read from digest.yml are the archive's."""
    from test_workflows import generator_commands

    from generator.cli import build_parser
    from generator.workflowconfig import main as workflow_config

    root = Path(__file__).resolve().parent.parent
    texts = [(root / "action.yml").read_text(encoding="utf-8")]
    for action in (False, True):
        files = archive_files(Options(("a/b",), "UTC", action=action))
        texts.append(files[Path(".github/workflows/digest.yml")])
    seen = set()
    for text in texts:
        document = yaml.safe_load(text)
        steps = (
            document["runs"]["steps"]
            if "runs" in document
            else [step for job in document["jobs"].values() for step in job["steps"]]
        )
        for step in steps:
            lines = step.get("run", "").splitlines()
            # `$(commit-digest --version …)` reads the version: not a command to check.
            script = "\n".join(line for line in lines if "$(" not in line)
            script = script.replace("commit-digest ", "python -m generator ")
            script = script.replace('"$CONFIG"', "digest.yml")  # the action's input
            for words in generator_commands(script):
                build_parser().parse_args(words)
                seen.add(words[0])
    assert seen == {"run", "build"}

    init_archive(tmp_path, Options(("a/b",), "UTC"))
    monkeypatch.chdir(tmp_path)
    assert workflow_config(["digest.yml"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["data=data", "site=site"] and "mirrors=mirrors" in lines


def test_a_folder_with_only_a_git_repository_counts_as_empty(tmp_path):
    (tmp_path / ".git").mkdir()
    assert len(init_archive(tmp_path, Options(("a/b",), "UTC"))) == 4
