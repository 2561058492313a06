"""The tool as a user gets it: the wheel built from this tree, installed into a fresh virtual
environment outside the repository, writes a new archive with `init`, records a git history
made here, and builds a site that works in Chromium; zizmor finds nothing in the workflows
`init` writes nor in the action.

The wheel is built once per session (`python -m build --wheel`; the release workflow passes
the one it built in DIGEST_WHEEL_DIR instead). The new environment installs its
dependencies from PyPI through pip's cache, then every command runs from a folder outside
the repository with an environment that names nothing of it, so nothing can be read from
the source checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from test_workflows import PINNED, findings, zizmor

from generator.scaffold import ACTIONS, Options, Release, init_archive
from generator.site.serve import SiteServer, serving

from browser import chromium, guarded_page, require_browser
from gitrepo import GitRepo, run_git
from sitebuild import parse

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
IGNORED = shutil.ignore_patterns("__pycache__", "release.json")
REPO = "acme/widgets"
SITE_URL = "https://acme.github.io/widgets-digest/"
NOW = "2026-03-05T09:00:00+08:00"
DEADLOCK = "fix(cache): a deadlock when two requests evict the same radix node (#102)"
SUBJECTS = [
    "feat(scheduler): overlap the fused_moe kernel launch with the copy (#101)",
    DEADLOCK,
    "docs: explain the scheduler's overlap (#103)",
]


@dataclass(frozen=True)
class Tool:
    """The installed tool: its virtual environment and how to run it."""

    venv: Path
    env: dict[str, str]

    def __call__(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "commit-digest"), *args],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    given = os.environ.get("DIGEST_WHEEL_DIR")
    if given:
        (found,) = Path(given).resolve().glob("commit_digest-*.whl")
        return found
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (found,) = out.glob("commit_digest-*.whl")
    return found


@pytest.fixture(scope="session")
def tool(wheel, tmp_path_factory) -> Tool:
    venv = tmp_path_factory.mktemp("venv")
    assert not venv.is_relative_to(ROOT)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # This environment's pip installs into the new one, from PyPI through pip's cache.
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    installed = subprocess.run(
        [*pip, "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    # Nothing of this environment or of the repository: no PYTHONPATH, no tokens.
    keep = {"HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_CACHE_DIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(PATH=f"{venv / 'bin'}:/usr/bin:/bin", DIGEST_NOW=NOW)
    return Tool(venv, env)


@dataclass(frozen=True)
class Archive:
    folder: Path
    site: Path
    init: subprocess.CompletedProcess[str]
    run: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def archive(tool, tmp_path_factory) -> Archive:
    """`init` in an empty folder, the config pointed at a history made here, `run`, `build`."""
    base = tmp_path_factory.mktemp("user")
    upstream = GitRepo.init(base / "upstream")
    upstream.commit(SUBJECTS[0], {"python/pkg/scheduler.py": "overlap = True\n"},
                    committed="2026-03-02T10:15:00+08:00")  # fmt: skip
    upstream.commit(SUBJECTS[1], {"python/pkg/cache.py": "lock = 1\n"},
                    committed="2026-03-02T18:40:00+08:00")  # fmt: skip
    upstream.commit(SUBJECTS[2], {"docs/scheduler.md": "# Overlap\n"},
                    committed="2026-03-03T11:00:00+08:00")  # fmt: skip
    folder = base / "digest"
    folder.mkdir()
    args = ["init", "--repo", REPO, "--timezone", "Asia/Shanghai", "--site-url", SITE_URL]
    init = tool(*args, cwd=folder)
    assert init.returncode == 0, init.stderr
    # What a user would edit: the repository's clone URL, here the history made above.
    config_path = folder / "digest.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["repos"][0]["url"] = upstream.path.as_uri()
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    run = tool("run", "--since", "2026-03-02", "--until", "2026-03-03", cwd=folder)
    build = tool("build", cwd=folder)
    return Archive(folder, folder / "site", init, run, build)


def test_the_wheel_carries_every_file_of_the_package(wheel):
    """Templates, prompts, the glossary, the theme and the base MkDocs config, by kind: a
    file added under generator/ ships without a list to update."""
    tracked = run_git(ROOT, "ls-files", "generator").splitlines()
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [path for path in tracked if path not in names] == []
    for shipped in (
        "generator/site/theme/mkdocs.yml",
        "generator/site/theme/overrides/main.html",
        "generator/site/theme/overrides/assets/digest.css",
        "generator/site/theme/overrides/assets/digest-search.js",
        "generator/analysis/glossary.yml",
        "generator/render/templates/commit.md.j2",
        "generator/scaffold/templates/workflow.yml.j2",
    ):
        assert shipped in names


def test_version_and_where_it_runs_from(tool, tmp_path):
    assert tool("--version", cwd=tmp_path).stdout == f"commit-digest {VERSION}\n"
    where = subprocess.run(
        [str(tool.venv / "bin/python"), "-c", "import generator; print(generator.__file__)"],
        cwd=tmp_path,
        env=tool.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(tool.venv / "lib")


def test_init_refuses_a_folder_that_is_not_empty(tool, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = tool("init", "--repo", REPO, cwd=tmp_path)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (
        f"Error: {tmp_path} is not empty; init writes a new archive into an empty folder "
        "(--force writes only the files it lacks)\n"
    )
    forced = tool("init", "--repo", REPO, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / ".github/workflows/digest.yml").is_file()


def test_init_run_and_build_make_a_site_from_the_installed_package(archive, tool):
    assert archive.init.stdout.startswith(
        "Done: wrote digest.yml, .github/workflows/digest.yml, .gitignore, README.md in . "
    )
    workflow = (archive.folder / ".github/workflows/digest.yml").read_text(encoding="utf-8")
    assert f'COMMIT_DIGEST_VERSION: "{VERSION}"' in workflow
    assert 'commit-digest==$COMMIT_DIGEST_VERSION"' in workflow
    assert 'timezone: "Asia/Shanghai"' in workflow
    assert archive.run.returncode == 0, archive.run.stderr
    assert archive.run.stdout.startswith("Done: ") and " 3 commits" in archive.run.stdout
    assert archive.build.returncode == 0, archive.build.stderr
    assert archive.build.stdout.startswith(f"Done: 0 pages changed, site built in {archive.site}")
    # The theme comes from the installed package, not from a checkout.
    generated = yaml.safe_load((archive.folder / "mkdocs.generated.yml").read_text("utf-8"))
    inherited = (archive.folder / generated["INHERIT"]).resolve()
    assert inherited.is_relative_to(tool.venv.resolve()) and inherited.name == "mkdocs.yml"
    assert (archive.site / "assets/digest.css").is_file()
    assert (archive.site / "assets/digest-search.js").is_file()
    assert list((archive.site / "pagefind").glob("*/pagefind.js"))
    assert len(list((archive.site / "commits" / REPO).glob("*/index.html"))) == 3


def test_no_page_of_the_site_names_a_missing_file(archive):
    site_path = urlsplit(SITE_URL).path
    missing = set()
    pages = sorted(archive.site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        url = site_path + page.relative_to(archive.site).as_posix()
        for element in parse(page).iter():
            for attribute in ("href", "src"):
                target = element.get(attribute)
                if not target or target.startswith(("#", "data:", "mailto:")):
                    continue
                parts = urlsplit(urljoin(url, target))
                if parts.scheme or parts.netloc:
                    continue  # another site (GitHub): not ours to serve
                assert parts.path.startswith(site_path), (page, target)
                local = archive.site / unquote(parts.path[len(site_path) :])
                if parts.path.endswith("/"):
                    local = local / "index.html"
                if not local.is_file():
                    missing.add(f"{page.relative_to(archive.site)}: {target}")
    assert sorted(missing) == []


@pytest.fixture
def served(archive) -> Iterator[SiteServer]:
    with serving(archive.site, SITE_URL) as server:
        yield server


def test_styles_and_search_script_are_served_and_search_answers(served):
    for asset, kind in (("assets/digest.css", "text/css"), ("assets/digest-search.js", "script")):
        with urllib.request.urlopen(served.url + asset, timeout=10) as answer:
            assert answer.status == 200 and kind in answer.headers["Content-Type"]
    require_browser()
    with chromium() as browser, guarded_page(browser, served.url) as page:
        page.goto(served.url)
        page.wait_for_load_state("load")
        page.locator(".md-search__input").click()
        page.keyboard.type("deadlock")
        results = page.locator(".md-search-result__item h1")
        page.wait_for_function(
            "() => document.querySelectorAll('.md-search-result__item').length > 0",
            timeout=15_000,
        )
        titles = results.all_inner_texts()
        assert titles[0] == DEADLOCK, titles
        requested = [urlsplit(url).path for url in page.requested]  # type: ignore[attr-defined]
        assert any(p.endswith("/assets/digest.css") for p in requested)
        assert any(p.endswith("/assets/digest-search.js") for p in requested)
        assert any(re.search(r"/pagefind/[^/]+/pagefind\.js$", p) for p in requested)


def test_zizmor_finds_nothing_in_the_workflows_init_writes_nor_in_the_action(archive, tmp_path):
    written = zizmor(".github/workflows", cwd=archive.folder)
    assert written.returncode == 0 and findings(written) == [], findings(written)
    # `init --action` as a release writes it: the action pinned to the release's commit.
    release = Release("acme/commit-digest", "0123456789abcdef0123456789abcdef01234567")
    options = Options((REPO,), "Asia/Shanghai", action=True, release=release)
    init_archive(tmp_path / "with-action", options)
    with_action = zizmor(".github/workflows", cwd=tmp_path / "with-action")
    assert with_action.returncode == 0 and findings(with_action) == [], findings(with_action)
    text = (tmp_path / "with-action/.github/workflows/digest.yml").read_text(encoding="utf-8")
    assert f"uses: acme/commit-digest@{release.commit} # v{VERSION}" in text
    action = zizmor("action.yml", cwd=ROOT)
    assert action.returncode == 0 and findings(action) == [], findings(action)


def test_the_generated_workflows_pin_the_actions_this_project_pins():
    """One pin per action: the scaffold's table is the pins of .github/workflows/."""
    pins = {}
    for path in [*sorted((ROOT / ".github/workflows").glob("*.yml")), ROOT / "action.yml"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := PINNED.match(line):
                pins[match[1] + (match[2] or "")] = match[3]
    for name, sha, _tag in ACTIONS.values():
        assert pins[name] == sha, name


def test_a_new_version_rebuilds_the_archive_on_its_first_run(archive, tool, tmp_path_factory):
    """The same code under another version: the caches key on the version, so the first
    build after the upgrade builds the site from scratch. Last in this file: it upgrades
    the session's environment."""
    assert ", site unchanged in " in tool("build", cwd=archive.folder).stdout
    source = tmp_path_factory.mktemp("next-version")
    shutil.copytree(ROOT / "generator", source / "generator", ignore=IGNORED)
    for name in ("README.md", "CHANGELOG.md", "MANIFEST.in"):
        shutil.copy(ROOT / name, source / name)
    following = f"{VERSION}.post1"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (source / "pyproject.toml").write_text(
        pyproject.replace(f'version = "{VERSION}"', f'version = "{following}"', 1),
        encoding="utf-8",
    )
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(source / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (source / "dist").glob("*.whl")
    pip = [sys.executable, "-m", "pip", "--python", str(tool.venv / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "--quiet", "--disable-pip-version-check", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    assert tool("--version", cwd=archive.folder).stdout == f"commit-digest {following}\n"
    upgraded = tool("build", cwd=archive.folder)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f", site built in {archive.site} in " in upgraded.stdout
