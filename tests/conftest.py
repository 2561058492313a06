"""Fixtures named for the state they provide."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a digest.yml into tmp_path from keyword overrides; returns its path."""

    def write(**overrides: Any) -> Path:
        raw: dict[str, Any] = {
            "site_url": "https://example.org/digest/",
            "timezone": "Asia/Shanghai",
            "language": "zh",
            "repos": [],
        }
        raw.update(overrides)
        path = tmp_path / "digest.yml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_config(write_config: Callable[..., Path]) -> Callable[..., Config]:
    def make(**overrides: Any) -> Config:
        return load_config(write_config(**overrides))

    return make


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout
