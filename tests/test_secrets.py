"""A planted token never shows up in anything a run writes, prints or posts."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

from github_server import GitHubServer
from gitrepo import GitRepo

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "ghp_PLANTEDplantedPLANTED0123456789abcdef"
KEY = "sk-PLANTEDkeyPLANTEDkey0123456789"


def everything_written(folder: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts
    )


def test_tokens_in_the_environment_never_leak(tmp_path):
    repo = GitRepo.init(tmp_path / "clone")
    sha = repo.commit("feat: x (#1)", {"a.py": "1\n"}, committed="2026-03-02T10:00:00+08:00")
    env = {
        **os.environ,
        "DIGEST_NOW": "2026-03-05T12:00:00+08:00",
        "GITHUB_TOKEN": TOKEN,
        "OPENAI_API_KEY": KEY,
        "NO_MKDOCS_2_WARNING": "1",
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "generator", "-v", *args]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env)

    with GitHubServer(token=TOKEN) as server:
        server.add_repo("o/r", repo.path)
        server.add_repo("o/digest", repo.path)
        server.add_pull("o/r", sha, 1, "feat: x", labels=("enhancement",), body="details")
        (tmp_path / "digest.yml").write_text(
            f"site_url: https://e.org/\ngithub:\n  api_url: {server.api_url}\n"
            "  request_interval: 0\n"
            "repos:\n  - name: o/r\n    source: github\n"
            "  - name: o/local\n    path: clone\n"
            f"  - name: o/mirrored\n    source: mirror\n    url: {server.web_url}/o/mirrored.git\n"
            "publish:\n  github_issue:\n    repo: o/digest\n",
            encoding="utf-8",
        )
        run = cli("run", "--date", "2026-03-02")
        assert run.returncode == 1, run.stderr  # the mirror's host refuses git
        assert server.git_requests and server.issues["o/digest"]
        (tmp_path / "digest.yml").write_text(
            "site_url: https://e.org/\nrepos:\n  - name: o/missing\n    path: mirrors/o/missing\n",
            encoding="utf-8",
        )
        failing = cli("run", "--date", "2026-03-02")
    assert failing.returncode == 2 and "Traceback" in failing.stderr
    assert (tmp_path / "docs/daily/2026/03/02.md").exists()
    assert all(r.authorization == f"token {TOKEN}" for r in server.requests)  # it was used
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    printed = "".join(p.stdout + p.stderr for p in (run, failing))
    written = everything_written(tmp_path)
    posted = "".join(i.title + i.body for i in server.issues["o/digest"])
    for secret in (TOKEN, KEY, basic):
        assert secret not in printed and secret not in posted
        assert secret.encode() not in written
