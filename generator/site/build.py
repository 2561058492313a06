"""docs/ → site/: a strict MkDocs build of the rendered pages with the generated config.

MkDocs runs in its own process: it is the engine a user could run by hand on the
same config, its memory is returned when it ends, and nothing of its logging
or plugin state leaks into ours.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ConfigError, SiteBuildFailed
from generator.render.settings import SiteSettings
from generator.site.mkdocs_yml import write_site_config
from generator.site.squeeze import squeeze_site

SQUEEZE_MARGIN_NS = 1_000_000_000
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")
"""mkdocs-material's own search (lunr, its languages and its worker): Pagefind searches this
site instead, and no page loads them (the theme starts its worker only with the `search`
plugin, which the config leaves out). With the source maps, 2.2 MB of a site's 2.5 MB of
theme files, copied again by every build."""


@dataclass(frozen=True)
class BuiltSite:
    site_dir: Path
    engine_config: Path
    """The generated MkDocs config the site was built with."""
    seconds: float
    log: str
    """What MkDocs printed (its INFO lines; a warning would have failed the build)."""


def check_site_dir(site_dir: Path, docs_dir: Path, keep: Sequence[Path], origin: str) -> Path:
    """The folder a build may empty and fill, resolved; a ConfigError naming `origin` (the
    option or key it came from) when building there would destroy something."""
    site = site_dir.resolve()
    if site.exists() and not site.is_dir():
        raise ConfigError(f"{origin}: {site} is a file; pass a folder (it is created if missing)")
    for path in (*keep, docs_dir):
        held = path.resolve()
        if held == site or held.is_relative_to(site):
            raise ConfigError(
                f"{origin}: {site} holds {held}, and a build empties its folder first; "
                "pass a folder of its own, such as site/ next to the config"
            )
    if site.is_relative_to(docs_dir.resolve()):
        raise ConfigError(
            f"{origin}: {site} is inside the docs folder {docs_dir.resolve()}; "
            "pass a folder outside it, such as site/ next to the config"
        )
    if site.is_dir() and not is_site(site) and _visible(site):
        raise ConfigError(
            f"{origin}: {site} holds files that are not a built site, and a build deletes "
            "them; pass an empty or new folder"
        )
    try:
        site.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot create {site}: {exc.strerror}") from None
    return site


def build_site(
    settings: SiteSettings,
    docs_dir: Path,
    site_dir: Path,
    dirty: bool = False,
    epoch: int | None = None,
    written_since: int | None = None,
) -> BuiltSite:
    """Write the generated config, then `mkdocs build --strict` into `site_dir`: from
    scratch, or `dirty` (only the pages whose Markdown is newer than their HTML). `epoch`
    (seconds) is the date the site's sitemap gives every page (`SOURCE_DATE_EPOCH`), so
    that the same pages give the same files whenever they are built. Built pages are then
    squeezed (`site.squeeze`): all of them, or after a dirty build those written since
    `written_since` (a `file_clock` time; by default, since this build started)."""
    engine_config = write_site_config(settings, docs_dir, site_dir)
    started = time.monotonic()
    if dirty and written_since is None:
        written_since = file_clock(site_dir)
    done = subprocess.run(
        mkdocs_command(engine_config, dirty),
        capture_output=True,
        text=True,
        env=mkdocs_environment(epoch),
    )
    log = done.stderr + done.stdout
    if done.returncode != 0:
        problems = _problems(log)
        if problems:
            first = problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        else:
            first = next(reversed(log.strip().splitlines()), f"exit code {done.returncode}")
        raise SiteBuildFailed(
            f"mkdocs build failed: {first}; to see everything, run: "
            f"{sys.executable} -m mkdocs build --strict -f {engine_config}"
        )
    # A margin for the coarse ticks of file times: squeezing a page twice changes nothing.
    # A build from scratch that stops halfway is redone whole: its pages need no temporary files.
    since = written_since - SQUEEZE_MARGIN_NS if dirty and written_since else None
    squeeze_site(site_dir, since, atomic=dirty)
    drop_unused_theme_files(site_dir)
    # The sitemap's compressed copy is the one kept: every page of the archive is listed in
    # both, and the plain one weighed 1.2 MB of a year of sglang (169 bytes a commit).
    # Search engines read `sitemap.xml.gz` as well.
    (site_dir / "sitemap.xml").unlink(missing_ok=True)
    return BuiltSite(site_dir, engine_config, time.monotonic() - started, log)


def drop_unused_theme_files(site_dir: Path) -> None:
    """Remove the theme's files that no page of this site loads (`UNUSED_THEME_FILES`, and
    the source maps, which only a browser's developer tools fetch)."""
    for name in UNUSED_THEME_FILES:
        shutil.rmtree(site_dir / name, ignore_errors=True)
    for folder in ("assets/javascripts", "assets/stylesheets"):
        for source_map in (site_dir / folder).glob("*.map"):
            source_map.unlink(missing_ok=True)


def file_clock(folder: Path) -> int:
    """The time (ns) the file system stamps on a file made now in `folder`: what file times
    are compared with, which the process's clock need not agree with (a network file
    system, or a clock shifted for a test)."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".digest-clock-") as probe:
        return os.fstat(probe.fileno()).st_mtime_ns


def mkdocs_command(engine_config: Path, dirty: bool = False) -> list[str]:
    # A dirty build runs MkDocs through a wrapper whose only change is that MkDocs' warning
    # that the build is dirty does not fail --strict.
    module = ["generator.site.mkdocs_dirty", "build", "--dirty"] if dirty else ["mkdocs", "build"]
    return [sys.executable, "-m", *module, "--strict", "-f", str(engine_config)]


def mkdocs_environment(epoch: int | None = None) -> dict[str, str]:
    # mkdocs-material prints a banner about its end of life on every build unless this is set.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env


def _problems(log: str) -> list[str]:
    """MkDocs' warnings and errors, each on one line with the indented lines that follow it
    (a list of files, say)."""
    problems: list[str] = []
    for line in log.splitlines():
        if line.startswith(("WARNING", "ERROR")):
            problems.append(" ".join(line.split()))
        elif problems and line[:1].isspace() and line.strip():
            problems[-1] += " " + " ".join(line.split())
    return problems


def is_site(folder: Path) -> bool:
    """A folder an earlier build made (MkDocs and Zensical both write these two)."""
    return (folder / "index.html").is_file() and (folder / "404.html").is_file()


def _visible(folder: Path) -> list[Path]:
    # MkDocs leaves hidden entries (a .git of a deploy checkout) when it empties the folder.
    return [path for path in folder.iterdir() if not path.name.startswith(".")]
