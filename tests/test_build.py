"""`python -m generator build` as a user runs it: a config in a folder of its own, real
processes, a real MkDocs build and the real static server."""

from __future__ import annotations

import os
import posixpath
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest
import yaml

from generator.site.mkdocs_yml import THEME_CONFIG

from gitrepo import GitRepo
from sitebuild import NS, parse

SITE_URL = "https://example.org/digest/"
SERVE = ["--serve", "--port", "0"]
DONE = re.compile(
    r"Done: (\d+) pages changed, site (built|updated|unchanged) in (.+) in \d+\.\d s, "
    r"search index of (\d+) pages in (\d+) parts? \((\d+) indexed\) in \d+\.\d s"
)


AT_NOW = {**os.environ, "DIGEST_NOW": "2026-03-05T12:00:00+08:00"}
"""Every command here runs then, whatever day the suite runs on."""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=AT_NOW,
    )


@dataclass(frozen=True)
class Project:
    folder: Path
    """Where the config lives, with its own records, pages and site folders."""
    config: Path
    cwd: Path
    """Where the user types the commands: neither the project's folder nor this one."""


def make_project(tmp: Path) -> Project:
    repo = GitRepo.init(tmp / "upstream")
    repo.commit(
        "feat: add the widget (#7)", {"w.py": "x = 1\n"}, committed="2026-03-02T10:00:00+08:00"
    )
    repo.commit(
        "fix: widget off by one", {"w.py": "x = 2\n"}, committed="2026-03-02T12:00:00+08:00"
    )
    folder = tmp / "elsewhere"
    folder.mkdir()
    config = folder / "mine.yml"
    config.write_text(
        f"site_url: {SITE_URL}\nlanguage: en\ndata_dir: records\ndocs_dir: pages\n"
        "repos:\n  - name: acme/widgets\n    path: ../upstream\n",
        encoding="utf-8",
    )
    cwd = tmp / "somewhere"
    cwd.mkdir()
    return Project(folder, config, cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Project, subprocess.CompletedProcess[str]]:
    project = make_project(tmp_path_factory.mktemp("build"))
    ran = cli("run", "--config", str(project.config), "--date", "2026-03-02", cwd=project.cwd)
    assert ran.returncode == 0, ran.stderr
    return project, cli("build", "--config", str(project.config), cwd=project.cwd)


def test_builds_into_site_next_to_the_config_and_says_how_to_open_it(built):
    project, result = built
    assert result.returncode == 0, result.stderr
    done, hint = result.stdout.splitlines()
    match = DONE.fullmatch(done)
    assert match and match.group(3) == str(project.folder / "site")
    assert hint.endswith(f"-m generator build --config {project.config} --serve")
    assert "opened as files" in hint
    assert (project.folder / "site/index.html").is_file()
    assert (project.folder / "site/daily/2026/03/02/index.html").is_file()
    assert not (project.cwd / "site").exists()


def test_the_generated_config_inherits_the_checked_in_one_without_hooks(built):
    project, _ = built
    generated = project.folder / "mkdocs.generated.yml"
    config = yaml.safe_load(generated.read_text(encoding="utf-8"))
    assert (generated.parent / config["INHERIT"]).resolve() == THEME_CONFIG
    assert config["site_url"] == SITE_URL and config["theme"]["language"] == "en"
    assert (config["docs_dir"], config["site_dir"]) == ("pages", "site")
    assert config["nav"][2] == {"Repository": [{"acme/widgets": "repos/acme/widgets.md"}]}
    theme = yaml.safe_load(THEME_CONFIG.read_text(encoding="utf-8"))
    assert "hooks" not in theme and "hooks" not in config
    assert theme["plugins"] == []  # Pagefind does search, after the build
    assert theme["theme"]["font"] is False


def test_every_page_gets_the_projects_stylesheet_though_the_docs_have_none(built):
    project, _ = built
    site = project.folder / "site"
    # No theme file is copied into the docs, only the site's settings the build writes.
    assert [p.name for p in (project.folder / "pages/assets").iterdir()] == ["digest-site.js"]
    css = (site / "assets/digest.css").read_text(encoding="utf-8")
    assert ".cd-tier-high" in css
    pages = sorted(site.rglob("index.html"))
    assert len(pages) >= 6
    for page in pages:
        doc = parse(page)
        sheets = [
            link.get("href")
            for link in doc.iter(f"{NS}link")
            if link.get("rel") == "stylesheet" and "digest.css" in link.get("href", "")
        ]
        folder = page.parent.relative_to(site).as_posix()
        assert [posixpath.normpath(posixpath.join(folder, s)) for s in sheets] == [
            "assets/digest.css"
        ], page
        assert "fonts.googleapis.com" not in page.read_text(encoding="utf-8")
    day = parse(site / "daily/2026/03/02/index.html")
    assert any("cd-type" in (span.get("class") or "") for span in day.iter(f"{NS}span"))


def test_the_site_holds_what_its_pages_load_and_not_the_themes_own_search(built):
    project, _ = built
    site = project.folder / "site"
    base = urlsplit(SITE_URL).path  # 404.html links from the site's root
    loaded = set()
    for page in site.rglob("*.html"):
        folder = page.parent.relative_to(site).as_posix()
        for element in parse(page).iter():
            for key in ("src", "href"):
                url = element.get(key) or ""
                if url.startswith(base):
                    url = url[len(base) :] or "."
                elif url.startswith(("http", "#", "mailto:")):
                    continue
                path = posixpath.normpath(posixpath.join(folder, url.split("#")[0]))
                loaded.add(path if "." in path.rsplit("/", 1)[-1] else f"{path}/index.html")
    assert {"assets/digest.css", "assets/digest-search.js"} <= loaded
    assert [url for url in sorted(loaded) if not (site / url).exists()] == []
    # mkdocs-material's lunr search and source maps: 2.2 MB no page of this site loads.
    assets = site / "assets/javascripts"
    assert not (assets / "lunr").exists() and not (assets / "workers").exists()
    assert list(site.rglob("*.map")) == []
    assert any(assets.glob("bundle.*.min.js"))


def test_plain_mkdocs_builds_the_same_site_from_the_generated_config(built, tmp_path):
    project, _ = built
    generated, plain = project.folder / "mkdocs.generated.yml", tmp_path / "plain"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = ["mkdocs", "build", "--strict", "-q", "-f", str(generated), "-d", str(plain)]
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr

    def pages(site: Path) -> list[str]:
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))

    assert pages(plain) == pages(project.folder / "site")


def _ctrl_c_stops() -> None:
    """In the server's process: SIGINT is Ctrl-C, even when the suite runs as a background
    job, which a shell starts with SIGINT ignored (and a child inherits that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_builds_then_serves_the_site_under_its_url_path(built):
    project, _ = built
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--config", str(project.config), *SERVE],
        cwd=project.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=AT_NOW,
        preexec_fn=_ctrl_c_stops,
    )
    try:
        done = DONE.fullmatch(server.stdout.readline().strip())
        assert done and done.groups()[:2] == ("0", "unchanged") and done.group(6) == "0"
        serving = server.stdout.readline().strip()
        match = re.fullmatch(
            r"Serving (.+) at (http://127\.0\.0\.1:\d+/digest/) \(Ctrl-C to stop\)", serving
        )
        assert match and match.group(1) == str(project.folder / "site"), serving
        url = match.group(2)
        with urllib.request.urlopen(url + "daily/2026/03/02/") as response:
            assert "feat: add the widget" in response.read().decode()
        with urllib.request.urlopen(url + "assets/digest.css") as response:
            assert response.headers["Content-Type"] == "text/css"
        with urllib.request.urlopen(url.removesuffix("digest/")) as response:
            assert response.url == url  # the host's root leads to the site
        for missing in ["daily/", "nothing/here/", "../../etc/passwd"]:
            with pytest.raises(HTTPError) as error:
                urllib.request.urlopen(url + missing)
            assert error.value.code == 404
            assert "<title>" in error.value.read().decode()  # the site's own 404 page
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert out.strip() == "Stopped"


def test_a_failing_build_is_one_line_naming_the_problem(tmp_path):
    project = make_project(tmp_path)
    (project.folder / "pages").mkdir()
    (project.folder / "pages/notes.md").write_text("# Notes\n\n[gone](gone.md)\n", encoding="utf-8")
    result = cli("build", "--config", str(project.config), cwd=project.cwd)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: mkdocs build failed: WARNING - The following pages exist")
    assert 'not included in the "nav" configuration: - notes.md (and 1 more)' in line
    assert f"-f {project.folder / 'mkdocs.generated.yml'}" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site-dir", "elsewhere/mine.yml"], "is a file; pass a folder"),
        (["--site-dir", "elsewhere"], "holds {folder}/records, and a build empties its folder"),
        (["--site-dir", ".."], "holds {folder}/records"),
        (["--site-dir", "elsewhere/pages/site"], "is inside the docs folder {folder}/pages"),
        (["--site-dir", "notes"], "holds files that are not a built site"),
        (["--serve", "--port", "70000"], "--port 70000: use a port from 1 to 65535"),
        (["--port", "8001"], "--port only applies with --serve"),
    ],
)
def test_site_folder_and_port_mistakes_are_one_line_exit_2_nothing_written(tmp_path, args, message):
    project = make_project(tmp_path)
    notes = tmp_path / "notes" / "keep.txt"
    notes.parent.mkdir()
    notes.write_text("mine", encoding="utf-8")
    result = cli("build", "--config", str(project.config), *args, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and message.format(folder=project.folder) in line, line
    assert sorted(p.name for p in project.folder.iterdir()) == ["mine.yml"]
    assert notes.read_text(encoding="utf-8") == "mine"


def test_a_port_in_use_fails_before_building(tmp_path):
    project = make_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = cli(
            "build", "--config", str(project.config), "--serve", "--port", port, cwd=tmp_path
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"Error: --port {port}: 127.0.0.1:{port} is in use; pass another port, "
        "or 0 for any free one"
    )
    assert sorted(p.name for p in project.folder.iterdir()) == ["mine.yml"]
