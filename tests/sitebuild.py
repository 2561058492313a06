"""Build a generated archive with the project's real mkdocs.yml, and read it as a browser does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib

from generator.config import Config

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/1999/xhtml}"
HAND_WRITTEN = ["assets"]


def build_site(
    config: Config, config_file: Path, site_dir: Path
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `config.docs_dir`, with the hand-written pages copied in."""
    for name in HAND_WRITTEN:
        source, target = ROOT / "docs" / name, config.docs_dir / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy(source, target)
    env = {**os.environ, "DIGEST_CONFIG": str(config_file), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), transport_encoding="utf-8")


def text_of(element) -> str:
    return "".join(element.itertext())
