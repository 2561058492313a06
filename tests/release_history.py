"""A small history with releases for the release tests: on `main` a dataclass of options,
an environment class and a pinned dependency, then an option added, a high-tier fix, a
default changed with an option removed and the pin bumped; a release branch
`release/v0.2` with v0.2.0, a cherry-pick of that change and v0.2.1 (plus a pre-release
and a tag that is no version)."""

from __future__ import annotations

from pathlib import Path

from gitrepo import GitRepo

REPO = "acme/engine"
ARGS_V1 = """from dataclasses import dataclass


@dataclass
class ServerArgs:
    port: int = 30000
    max_batch: int = 8
    old_flag: bool = False
"""
ENVS_V1 = """class Envs:
    APP_DEBUG = EnvBool(False)
    APP_CACHE = EnvStr("/tmp")
"""
PYPROJECT = """[project]
name = "engine"
dependencies = ["torch==2.1.0", "numpy>=1.0"]
"""


def core(lines: int, seed: str) -> str:
    return "".join(f"def step_{seed}_{i}(x):\n    return x + {i}\n\n" for i in range(lines))


def make_history(path: Path) -> tuple[GitRepo, dict[str, str]]:
    """The history the release tests read; the shas by name."""
    repo = GitRepo.init(path)
    shas: dict[str, str] = {}
    shas["base"] = repo.commit(
        "feat: server args, environment and packaging (#1)",
        files={
            "pkg/server_args.py": ARGS_V1,
            "pkg/environ.py": ENVS_V1,
            "pyproject.toml": PYPROJECT,
        },
        committed="2026-02-02T10:00:00+08:00",
    )
    repo.tag("v0.1.0")
    shas["tracing"] = repo.commit(
        "feat: request tracing (#2)",
        files={
            "pkg/server_args.py": ARGS_V1.replace(
                "    old_flag: bool = False\n",
                "    old_flag: bool = False\n    enable_tracing: bool = False\n",
            ),
            "pkg/environ.py": ENVS_V1 + "    APP_TRACE = EnvBool(True)\n",
        },
        committed="2026-02-03T11:00:00+08:00",
    )
    shas["crash"] = repo.commit(
        "fix: scheduler crash when the batch is empty (#3)",
        files={f"pkg/core/sched_{i}.py": core(40, str(i)) for i in range(6)},
        committed="2026-02-04T12:00:00+08:00",
    )
    repo.branch("release/v0.2")
    shas["port"] = repo.commit(
        "fix: serve on port 8000, drop old_flag, torch 2.2 (#4)",
        files={
            "pkg/server_args.py": repo.git("show", "HEAD:pkg/server_args.py")
            .replace("30000", "8000")
            .replace("    old_flag: bool = False\n", "")
            + "\n",
            "pyproject.toml": PYPROJECT.replace("2.1.0", "2.2.0"),
        },
        committed="2026-02-05T10:00:00+08:00",
    )
    shas["later"] = repo.commit(
        "docs: explain tracing (#5)",
        files={"README.md": "tracing\n"},
        committed="2026-02-06T10:00:00+08:00",
    )
    repo.checkout("release/v0.2")
    shas["bump0"] = repo.commit(
        "chore: release v0.2.0",
        files={"VERSION": "0.2.0\n"},
        committed="2026-02-04T18:00:00+08:00",
    )
    repo.tag("v0.2.0")
    repo.git(
        "cherry-pick",
        shas["port"],
        env={
            "GIT_COMMITTER_DATE": "@1770292800 +0800",  # 2026-02-05T20:00:00+08:00
            "GIT_COMMITTER_NAME": "C O Mitter",
            "GIT_COMMITTER_EMAIL": "committer@example.com",
        },
    )
    shas["picked"] = repo.rev_parse("HEAD")
    repo.tag("v0.2.1rc1")
    shas["bump1"] = repo.commit(
        "chore: release v0.2.1",
        files={"VERSION": "0.2.1\n"},
        committed="2026-02-05T21:00:00+08:00",
    )
    repo.tag("v0.2.1")
    repo.tag("nightly")
    repo.checkout("main")
    return repo, shas
