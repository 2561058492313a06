"""The stages import downward only (README: Architecture), as import-linter checks it with the
contracts in pyproject.toml: the package keeps them, and an upward import or a cycle planted
in a copy of the package breaks them with a message that names the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the `generator` package found in `root`, with this project's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def plant(path: Path, after: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, f"{after}\n{line}", 1), encoding="utf-8")


def test_an_upward_import_breaks_the_layers_and_is_named(copy):
    plant(
        copy / "generator/models.py",
        "from __future__ import annotations",
        "from generator.render import mdtext  # noqa: F401",
    )
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "generator.models is not allowed to import generator.render" in result.stdout
    assert "generator.models -> generator.render.mdtext" in result.stdout


def test_a_cycle_inside_a_package_is_named(copy):
    plant(
        copy / "generator/render/pages.py",
        "from __future__ import annotations",
        "from generator.render import pageset  # noqa: F401",
    )
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "No cycles are allowed in generator.render." in result.stdout
    assert ".pages -> .pageset" in result.stdout
