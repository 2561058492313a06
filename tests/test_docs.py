"""The README promises what the project does: keep it true."""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block and README.index(block.group(0)) < 200
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["./scripts/build-site", "./scripts/test"]
    for command in commands:
        assert os.access(ROOT / command, os.X_OK)


def test_ci_runs_the_readme_test_command():
    assert "./scripts/test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        assert f"python -m generator {name}" in README
        for action in sub._actions:
            for option in action.option_strings:
                if option not in {"-h", "--help"}:
                    assert option in README, f"{name} {option} is not in the README"


def test_every_config_key_is_documented():
    from generator import config

    models = [config.Config, config.LlmConfig, config.GitHubConfig, config.PublishConfig]
    models += [config.GitHubIssueConfig, *config.SOURCE_KINDS.values()]
    models += [config.Watch, config.IgnoreRules]
    for model in models:
        for key in model.model_fields:
            assert re.search(rf"^\s*(- )?{key}:", README, re.M), f"{key} is not in the README"


def test_the_tier_rubric_is_written_once():
    from generator.analysis.rubric import RUBRIC

    assert RUBRIC["en"] in README  # what every English prompt carries is the README's text


def test_the_readme_config_is_a_valid_config():
    import yaml

    from generator.config import parse_config

    block = re.search(r"## Configuration \(`digest.yml`\)\n\n```yaml\n(.*?)```", README, re.S)
    assert block
    config = parse_config(yaml.safe_load(block.group(1)), base=ROOT)
    assert config.watches[0].notify == ("team-moe",)
    assert config.repos[0].ignore.authors == ("dependabot[bot]", "github-actions[bot]")
