"""`source: mirror`: a bare partial clone the generator keeps itself, fetched once per run.

The first run clones (`git clone --bare --filter=blob:none`) into
`mirror_dir/<owner>/<name>.git`; every run after fetches the branch once, at its start.
File contents arrive on demand when a day is read, so backfilling a year of a busy
repository costs no API requests. The mirror is then read like any local clone.

When the URL is on the GitHub host and a token is set, git gets it as an HTTP header
through its environment (`GIT_CONFIG_*`), never on its command line, in the mirror's
config or in any message. A fetch that fails is one warning line: what was mirrored
before still reads, and days after the last successful fetch stay incomplete.
"""

from __future__ import annotations

import base64
import os
import shutil
from datetime import datetime
from pathlib import Path

from generator.config import GitRepoConfig, MirrorRepoConfig
from generator.errors import SourceUnavailable
from generator.sources import SourceContext
from generator.sources.git import GitSource, _GitFailed, _last_sync, _run

FETCHED_AT = "digest-fetched-at"
"""A file in the mirror: when this generator last fetched it successfully."""


class MirrorSource(GitSource):
    url = ""

    @classmethod
    def open(cls, repo: MirrorRepoConfig, context: SourceContext) -> MirrorSource:  # type: ignore[override]
        config = context.config
        path = config.mirror_dir / f"{repo.name}.git"
        url = repo.url or f"{config.github.web_url}/{repo.name}.git"
        env = _credentials(url, config.github.web_url, context.token)
        label = f"Repository '{repo.name}'"
        failure = _sync(path, url, repo.branch, env, tags=repo.releases is not None)
        if failure and not (path / "HEAD").is_file():
            raise SourceUnavailable(f"{label}: cannot clone {url} into {path}: {failure}")
        if failure is None:
            (path / FETCHED_AT).write_text(context.now.isoformat() + "\n", encoding="utf-8")
        local = GitRepoConfig(
            name=repo.name,
            branch=repo.branch,
            path=path,
            critical_paths=repo.critical_paths,
            pull_requests=repo.pull_requests,
        )
        source = super().open(local, context, env=env)
        assert isinstance(source, MirrorSource)
        source.url = url
        # Fetched just now: as current as the upstream. Otherwise as of the last fetch.
        source.synced_at = None if failure is None else _fetched_at(path)
        if failure:
            synced = source.synced_at
            when = f"{synced.astimezone(config.tz):%Y-%m-%d %H:%M}" if synced else "never"
            context.warnings.append(
                f"{label}: fetching {url} failed: {failure}; "
                f"reading the history mirrored up to {when} ({config.timezone})"
            )
        return source

    def stale_hint(self) -> str:
        return f"check that {self.url} can be fetched"


def _sync(path: Path, url: str, branch: str, env: dict[str, str], tags: bool = False) -> str | None:
    """Clone or fetch the branch (and, for release reports, the tags with the history they
    reach); None when it worked, else git's one-line reason."""
    refspecs = [f"+refs/heads/{branch}:refs/heads/{branch}"]
    if tags:
        refspecs.append("+refs/tags/*:refs/tags/*")
    try:
        if (path / "HEAD").is_file():
            _run(path, ["remote", "set-url", "origin", url])  # the config may name a new URL
            _run(path, ["fetch", "--quiet", "--no-tags", "origin", *refspecs], env=env)
            return None
        # Cloned beside its place and moved there whole, so a clone cut short is never
        # taken for a mirror.
        partial = path.with_name(path.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.parent.mkdir(parents=True, exist_ok=True)
        clone = ["clone", "--quiet", "--bare", "--filter=blob:none", "--no-tags"]
        clone += ["--single-branch", "--branch", branch, "--", url, str(partial)]
        _run(partial.parent, clone, env=env)
        if tags:
            _run(partial, ["fetch", "--quiet", "--no-tags", "origin", *refspecs[1:]], env=env)
        partial.rename(path)
        return None
    except _GitFailed as exc:
        return str(exc)


def _credentials(url: str, web_url: str, token: str | None) -> dict[str, str]:
    """Git configuration, through the environment, that sends the token to the GitHub host
    only (`http.<url>.extraHeader`)."""
    host = web_url.rstrip("/") + "/"
    if not token or not url.startswith(host):
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    index = int(os.environ.get("GIT_CONFIG_COUNT") or 0)
    return {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"http.{host}.extraHeader",
        f"GIT_CONFIG_VALUE_{index}": f"Authorization: Basic {basic}",
    }


def _fetched_at(path: Path) -> datetime | None:
    try:
        return datetime.fromisoformat((path / FETCHED_AT).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return _last_sync(path)  # a mirror this generator did not make
