"""Faults a daily job meets, played with real processes on real repositories.

Each test builds two or three git repositories in tmp_path with commits on the
last days before today, writes a digest.yml next to them and runs
`python -m generator` as a subprocess from that folder, as the scheduled job
does. `run` without dates stops at yesterday in the config's timezone; every run
happens at the same fixed noon (DIGEST_NOW), so no test depends on the wall clock
or can straddle a local midnight.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from mkdocs.structure.files import _default_exclude  # mkdocs is pinned (1.6.1)

from generator.config import load_config
from generator.lock import archive_lock
from generator.records import record_days

from factory import load_archive, snapshot
from gitrepo import GitRepo, git_date

# -- a project: clones, digest.yml, and the CLI -------------------------------------


ZONE = "Asia/Shanghai"
TZ = ZoneInfo(ZONE)
NOW = datetime(2026, 3, 12, 12, 0, tzinfo=TZ)
"""When every run of these tests happens (DIGEST_NOW): noon, so that "yesterday" is
the same for every run of a test, and a fixed day, so the suite passes on any day."""
TODAY = NOW.date()
AT_NOW = {**os.environ, "DIGEST_NOW": NOW.isoformat()}
YESTERDAY = TODAY - timedelta(days=1)

SUBJECTS = [
    "feat(api): add a batch endpoint (#{n})",
    "fix: off-by-one in the scheduler window",
    "docs: explain the cache flags",
    "perf(kernel): fuse the two reductions (#{n})",
    "refactor: split the loader",
    "test: cover the empty-day path",
]
FILES = ["src/api/server.py", "src/sched/window.py", "docs/cache.md", "kernels/reduce.cu"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def build_repo(path: Path, days: list[date], per_day: int, seed: int) -> GitRepo:
    """A repository (branch main) with `per_day` commits on each of `days`, built in
    one `git fast-import` so dozens of commits cost one process."""
    rng = random.Random(seed)
    repo = GitRepo.init(path)
    stream = bytearray()
    contents = dict.fromkeys(FILES, "")
    moments = [at(days[0] - timedelta(days=3), 12)]  # a seed commit, before every day
    moments += [at(d, 8 + 2 * i, rng.randrange(60)) for d in days for i in range(per_day)]
    for n, moment in enumerate(moments, 1):
        message = rng.choice(SUBJECTS).format(n=100 + n) + f"\n\nChange {n} of {path.name}.\n"
        touched = FILES if n == 1 else rng.sample(FILES, rng.randint(1, 2))
        stamp = git_date(moment)[1:]
        raw = message.encode()
        stream += (
            f"commit refs/heads/main\nmark :{n}\n"
            f"author A U Thor <author@example.com> {stamp}\n"
            f"committer C O Mitter <committer@example.com> {stamp}\n"
            f"data {len(raw)}\n"
        ).encode() + raw
        for name in touched:
            contents[name] += f"line {n} {rng.random()}\n" * rng.randint(1, 5)
            data = contents[name].encode()
            stream += f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n"
        stream += b"\n"
    repo.fast_import(bytes(stream))
    return repo


@dataclass
class Project:
    root: Path
    repos: dict[str, GitRepo]

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def record(self, name: str, day: date) -> Path:
        return self.data / name / f"{day:%Y/%m/%d}.json"

    def load(self, name: str, day: date) -> dict:
        return json.loads(self.record(name, day).read_text(encoding="utf-8"))

    def day_page(self, day: date) -> Path:
        return self.docs / f"daily/{day:%Y/%m/%d}.md"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            env=AT_NOW,
        )

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", *args],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=AT_NOW,
        )


def make_project(
    root: Path,
    names: list[str],
    days: list[date],
    per_day: int = 2,
    *,
    start: date | None = None,
) -> Project:
    repos = {
        name: build_repo(root / "clones" / name.split("/")[1], days, per_day, seed=i)
        for i, name in enumerate(names)
    }
    write_config(root, names, start=start)
    return Project(root, repos)


def write_config(
    root: Path, names: list[str], *, start: date | None = None, language: str = "zh"
) -> None:
    """digest.yml for clones at clones/<name> (branch main), in the noon zone."""
    lines = [
        "site_url: https://example.org/digest/",
        f"timezone: {ZONE}",
        f"language: {language}",
        *([f"start: {start}"] if start else []),
        "repos:",
    ]
    for name in names:
        lines += [f"  - name: {name}", "    branch: main", f"    path: clones/{name.split('/')[1]}"]
    (root / "digest.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def last_days(count: int) -> list[date]:
    """The `count` days up to and including yesterday, oldest first."""
    return [YESTERDAY - timedelta(days=n) for n in range(count - 1, -1, -1)]


def progress_lines(stderr: str) -> list[tuple[str, str, str]]:
    """(day, repo, rest) of each `[i/n] <day> <repo>: ...` progress line."""
    return re.findall(r"^\[\d+/\d+\] (\d{4}-\d\d-\d\d) (\S+): (.*)$", stderr, re.M)


# -- 1. missed days -----------------------------------------------------------------


def test_missed_schedule_days_are_filled_in_order(tmp_path):
    names = ["acme/engine", "acme/docs"]
    days = last_days(6)
    project = make_project(tmp_path, names, days)
    d = YESTERDAY - timedelta(days=3)  # recorded up to D; the schedule then skipped 3 days

    first = project.cli("run", "--since", str(days[0]), "--until", str(d))
    assert first.returncode == 0, first.stderr
    assert all(record_days(project.data, n)[-1] == d for n in names)

    result = project.cli("run")
    assert result.returncode == 0, result.stderr
    missed = [d + timedelta(days=n) for n in (1, 2, 3)]
    lines = progress_lines(result.stderr)
    assert len(lines) == len(result.stderr.splitlines()) == 3 * len(names)
    # One repository after the other, each one's days oldest first.
    assert [(day, repo) for day, repo, _ in lines] == [
        (str(day), name) for name in names for day in missed
    ]
    for name in names:
        assert record_days(project.data, name) == days
        for day in missed:
            record = project.load(name, day)
            assert record["complete"] is True and "error" not in record
            assert len(record["commits"]) == 2
    for day in missed:
        page = project.day_page(day).read_text(encoding="utf-8")
        assert all(name in page for name in names)
    assert result.stdout.startswith("Done: 3 days, 12 commits ")

    again = project.cli("run")  # nothing is missing any more
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.startswith("Done: 0 days, 0 commits ")


# -- 2. a run killed at random points -----------------------------------------------

CRASH_REPOS = ["acme/engine", "acme/docs", "acme/infra"]
CRASH_DAYS = last_days(10)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass
class Timing:
    """Seconds from spawn to the first and the last progress line, and to exit."""

    first_line: float
    last_line: float
    total: float

    @property
    def render(self) -> float:
        return self.total - self.last_line


@dataclass
class Kill:
    kind: str
    """`spawn` (a delay from spawn), `line` (after the k-th progress line) or `render`
    (a delay after the last progress line, while pages are written)."""
    k: int = 0
    delay: float = 0.0


def timed_run(project: Project) -> Timing:
    proc = project.spawn("run")
    started = time.monotonic()
    stamps = [time.monotonic() - started for _ in proc.stderr]  # type: ignore[union-attr]
    _, err = proc.communicate(timeout=60)
    total = time.monotonic() - started
    assert proc.returncode == 0, err
    return Timing(stamps[0], stamps[-1], total)


def run_and_kill(project: Project, kill: Kill) -> tuple[bool, str]:
    """Start `run` without dates, SIGKILL it at the planned point; (killed?, where)."""
    proc = project.spawn("run")
    started = time.monotonic()
    assert proc.stderr is not None
    seen, total = 0, None
    if kill.kind == "spawn":
        time.sleep(kill.delay)
    else:
        for line in proc.stderr:
            counter = re.match(r"\[(\d+)/(\d+)\]", line)
            if counter:
                seen, total = int(counter[1]), int(counter[2])
            if kill.kind == "line" and seen >= kill.k:
                break
            if kill.kind == "render" and total is not None and seen == total:
                break
        time.sleep(kill.delay)
    at_s = time.monotonic() - started
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    killed = proc.returncode == -signal.SIGKILL
    where = f"{kill.kind} k={kill.k} +{kill.delay * 1000:.0f} ms, {at_s:.2f} s after spawn"
    where += f", after progress line {seen}/{total or '?'}"
    return killed, where if killed else where + " (had already finished)"


def temp_files(*folders: Path) -> list[Path]:
    return [p for f in folders if f.exists() for p in f.rglob(".*.tmp")]


def check_consistent(project: Project) -> tuple[int, int]:
    """Every record parses and every page is whole; returns (records, pages)."""
    records = sorted(project.data.rglob("*.json")) if project.data.exists() else []
    for path in records:
        assert not path.name.startswith("."), path
        json.loads(path.read_text(encoding="utf-8"))  # a truncated file would not parse
    pages = sorted(project.docs.rglob("*.md")) if project.docs.exists() else []
    for path in pages:
        assert not path.name.startswith("."), path
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and FRONT_MATTER.match(text), f"{path} is cut short"
    # Loading the archive (what `render` and every page build do) reads exactly
    # the record files, never a leftover temporary file next to them; MkDocs skips
    # dot-files (its default exclude_docs), so a leftover page never gets built.
    for path in temp_files(project.docs):
        assert _default_exclude.match_file(path.relative_to(project.docs).as_posix())
    config = load_config(project.root / "digest.yml")
    archive = load_archive(config.data_dir, [repo.name for repo in config.repos])
    assert len(archive.summary) == len(records)
    return len(records), len(pages)


def without_fetched_at(path: Path) -> dict:
    record = json.loads(path.read_text(encoding="utf-8"))
    record.pop("fetched_at")
    return record


def archive_of(project: Project) -> tuple[dict[Path, dict], dict[Path, bytes]]:
    """(records without fetched_at, page bytes), keyed by path inside the project."""
    records = {
        p.relative_to(project.root): without_fetched_at(p) for p in project.data.rglob("*.json")
    }
    pages = {
        p.relative_to(project.root): p.read_bytes()
        for p in project.docs.rglob("*")
        if p.is_file() and not p.name.endswith(".tmp")
    }
    return records, pages


def test_a_run_killed_at_random_points_loses_nothing(tmp_path):
    start = CRASH_DAYS[0]
    reference = make_project(tmp_path / "reference", CRASH_REPOS, CRASH_DAYS, 3, start=start)
    timing = timed_run(reference)
    expected_records, expected_pages = archive_of(reference)
    assert len(expected_records) == 30
    # commits, days, repositories, then the months, home and archive (and the history's
    # module pages and weeks, which depend on the days' paths and calendar)
    months = len({(day.year, day.month) for day in CRASH_DAYS})
    history = {"modules", "weekly"}
    pages = [p for p in expected_pages if p.suffix == ".md" and not history & set(p.parts)]
    assert len(pages) == 30 * 3 + 10 + 3 + months + 2
    assert any("modules" in p.parts for p in expected_pages)

    project = make_project(tmp_path / "crashed", CRASH_REPOS, CRASH_DAYS, 3, start=start)
    assert {n: r.head for n, r in project.repos.items()} == {
        n: r.head for n, r in reference.repos.items()
    }
    rng = random.Random(20260224)
    kills = [
        Kill("spawn", delay=rng.uniform(0, 0.05)),  # interpreter still starting
        Kill("spawn", delay=rng.uniform(0.5, 1.0) * timing.first_line),  # reading config
        Kill("line", k=rng.randint(1, 4), delay=rng.uniform(0, 0.01)),
        Kill("line", k=rng.randint(1, 4), delay=rng.uniform(0, 0.01)),
        Kill("line", k=rng.randint(1, 4), delay=rng.uniform(0, 0.01)),
        Kill("line", k=rng.randint(1, 4), delay=rng.uniform(0, 0.01)),
        Kill("render", delay=rng.uniform(0.1, 0.5) * timing.render),  # pages being written
        # Records all done now: a run that only re-renders, killed late in it.
        Kill("spawn", delay=timing.first_line + rng.uniform(0.1, 0.6) * timing.render),
    ]
    log = []
    for kill in kills:
        killed, where = run_and_kill(project, kill)
        records, pages = check_consistent(project)
        leftovers = temp_files(project.data, project.docs)
        names = ", ".join(str(p.relative_to(project.root)) for p in leftovers)
        log.append((killed, f"{where}: {records} records, {pages} pages; tmp: [{names}]"))
    print("\n".join(f"{'KILLED' if k else 'missed'} {line}" for k, line in log))
    assert sum(k for k, _ in log) >= 6, log

    # Temporary files a kill left between mkstemp and rename (the kills above catch
    # some by chance; these are planted so the check does not depend on luck) are
    # never read as records or pages, and the next run sweeps them away.
    plant_leftovers(project)  # a truncated record among them: reading it would fail
    final = project.cli("run")
    assert final.returncode == 0, final.stderr
    check_consistent(project)
    assert temp_files(project.data, project.docs) == []
    records, pages = archive_of(project)
    assert records == expected_records
    assert sorted(pages) == sorted(expected_pages)
    assert pages == expected_pages
    assert project.cli("render").stdout.strip() == "Done: rendered the archive, 0 pages changed"


def plant_leftovers(project: Project) -> list[Path]:
    """Half-written temporary files as write_atomic names them: `.<name>.<random>.tmp`."""
    day = CRASH_DAYS[4]
    folder = project.record(CRASH_REPOS[1], day).parent
    targets = {
        folder / f".{day:%d}.json.k1ll3d.tmp": b'{\n  "repo": "acme/do',
        folder / f".{CRASH_DAYS[-1] + timedelta(days=1):%d}.json.x0x0x0.tmp": b"",
        project.day_page(day).parent / f".{day:%d}.md.a1b2c3.tmp": b"---\ntitle: half",
        project.docs / "commits/acme/docs/.0123456789ab.md.zz9z.tmp": b"---\n",
    }
    for path, data in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return list(targets)


# -- 3. two runs at once ------------------------------------------------------------

LOCKED = re.compile(r"Error: another run \(pid (\d+)\) is writing (.+); wait for it to finish\n")


def test_a_second_run_while_the_lock_is_held_writes_nothing(tmp_path):
    days = last_days(4)
    project = make_project(tmp_path, ["acme/engine", "acme/docs"], days)
    assert project.cli("run", "--date", str(days[0])).returncode == 0
    before = snapshot(project.root)

    with archive_lock(project.data):
        for args in (["run"], ["run", "--date", str(days[1])], ["render"]):
            result = project.cli(*args)
            assert result.returncode == 1, args
            assert result.stdout == ""
            match = LOCKED.fullmatch(result.stderr)
            assert match, result.stderr
            assert int(match[1]) == os.getpid() and Path(match[2]) == project.data
    assert snapshot(project.root) == before
    assert project.cli("run").returncode == 0  # the lock went with its holder


def test_two_processes_at_once_the_second_stops(tmp_path):
    project = make_project(tmp_path, CRASH_REPOS, CRASH_DAYS, 3, start=CRASH_DAYS[0])
    first = project.spawn("run")
    assert first.stderr is not None
    first_line = first.stderr.readline()  # it holds the lock from before its first line
    assert first_line.startswith("[1/30] ")
    first.send_signal(signal.SIGSTOP)  # so that it surely still runs, however fast it is
    try:
        second = project.cli("run")
    finally:
        first.send_signal(signal.SIGCONT)
    first_out, first_err = first.communicate(timeout=60)
    assert first.returncode == 0, first_err
    assert first_out.startswith("Done: 10 days, 90 commits ")
    assert second.returncode == 1 and second.stdout == ""
    match = LOCKED.fullmatch(second.stderr)
    assert match, second.stderr
    assert int(match[1]) == first.pid
    assert len(progress_lines(first_line + first_err)) == 30
    assert all(project.load(n, d)["complete"] for n in CRASH_REPOS for d in CRASH_DAYS)


# -- 4. one repository fails upstream -----------------------------------------------


@pytest.mark.parametrize("missing", ["commit", "tree"])
def test_one_broken_clone_fails_alone_and_is_retried(tmp_path, missing):
    names = ["acme/engine", "acme/docs", "acme/infra"]
    days = last_days(5)
    project = make_project(tmp_path, names, days, 3, start=days[0])
    broken = project.repos["acme/docs"]
    broken.loosen()
    # The first commit of the middle day. Without the commit object `git rev-list`
    # cannot walk past it (every day of the repository fails); without its tree
    # only the diff of that commit (its day) fails. The branch tip stays readable,
    # so the config check (`rev-parse main^{commit}`) passes.
    shas = broken.git("rev-list", "--reverse", "main").split()
    victim = shas[1 + 2 * 3]  # after the seed, three commits a day: the first of days[2]
    assert broken.git("log", "-1", "--format=%cd", "--date=short", victim) == str(days[2])
    target = victim if missing == "commit" else broken.git("rev-parse", f"{victim}^{{tree}}")
    hidden = broken.object_file(target)
    backup = tmp_path / "backup-object"
    shutil.move(hidden, backup)
    failing = days if missing == "commit" else [days[2]]

    result = project.cli("run")
    assert result.returncode == 1, result.stderr
    failed = [ln for ln in result.stderr.splitlines() if ln.startswith("Failed: ")]
    assert len(failed) == len(failing)
    assert all(ln.startswith("Failed: Repository 'acme/docs': git ") for ln in failed)
    assert result.stdout.startswith(f"Done: {len(days)} days, ")
    assert f"{len(failing)} failed" in result.stdout
    for name in names:
        for day in days:
            record = project.load(name, day)
            if name == "acme/docs" and day in failing:
                assert record["complete"] is False and record["commits"] == []
                assert "acme/docs" in record["error"]
                page = project.day_page(day).read_text(encoding="utf-8")
                assert "获取失败，下次运行将重试" in page
            else:
                assert record["complete"] is True and "error" not in record
                assert len(record["commits"]) == 3

    shutil.move(backup, hidden)  # repaired: e.g. a fresh fetch
    retry = project.cli("run")
    assert retry.returncode == 0, retry.stderr
    assert [(d, r) for d, r, _ in progress_lines(retry.stderr)] == [
        (str(day), "acme/docs") for day in failing
    ]
    assert "Failed" not in retry.stderr
    for name in names:
        for day in days:
            record = project.load(name, day)
            assert record["complete"] is True and "error" not in record
            assert len(record["commits"]) == 3
    assert all("获取失败" not in project.day_page(d).read_text(encoding="utf-8") for d in days)
    assert project.cli("run").stdout.startswith("Done: 0 days, ")


def test_failed_placeholders_count_as_records_changed(tmp_path):
    days = last_days(2)
    project = make_project(tmp_path, ["acme/engine", "acme/docs"], days, start=days[0])
    broken = project.repos["acme/docs"]
    broken.loosen()
    broken.object_file(broken.rev_parse("main~1")).unlink()
    result = project.cli("run")
    assert result.returncode == 1
    assert len(list(project.data.rglob("*.json"))) == 4
    assert ", 4 records and " in result.stdout, result.stdout


# -- 5. history rewritten upstream --------------------------------------------------


def test_commits_a_force_push_dropped_stay_published(tmp_path):
    day = YESTERDAY - timedelta(days=2)
    names = ["acme/engine", "acme/docs"]
    build_repo(tmp_path / "clones/docs", [day], 2, seed=7)
    engine = GitRepo.init(tmp_path / "clones/engine")
    engine.commit("chore: base", {"a.py": "0\n"}, committed=at(day - timedelta(days=1), 12))
    a = engine.commit("feat: A (#1)", {"a.py": "1\n"}, committed=at(day, 9))
    c = engine.commit("fix: C", {"b.py": "2\n"}, committed=at(day, 10))
    b = engine.commit(
        "feat: B, later force-pushed away (#2)", {"c.py": "3\n"}, committed=at(day, 11)
    )
    write_config(tmp_path, names)
    project = Project(tmp_path, {"acme/engine": engine})

    first = project.cli("run", "--date", str(day))
    assert first.returncode == 0, first.stderr
    record = project.load("acme/engine", day)
    assert [x["sha"] for x in record["commits"]] == [b, c, a]
    assert all("dropped_at" not in x for x in record["commits"])
    b_page = project.docs / f"commits/acme/engine/{b[:12]}.md"
    assert b_page.exists()

    # Upstream: `git reset --hard C`, a new commit N, `git push --force`.
    engine.git("reset", "-q", "--hard", c)
    n = engine.commit("feat: N replaces B", {"c.py": "4\n"}, committed=at(day, 11, 30))
    assert engine.git("branch", "--contains", b) == ""  # B is on no branch any more

    again = project.cli("run", "--date", str(day))
    assert again.returncode == 0, again.stderr
    assert [line[:2] for line in progress_lines(again.stderr)] == [
        (str(day), "acme/engine"),
        (str(day), "acme/docs"),
    ]
    record = project.load("acme/engine", day)
    commits = {x["sha"]: x for x in record["commits"]}
    assert [x["sha"] for x in record["commits"]] == [n, b, c, a]  # newest first
    assert datetime.fromisoformat(commits[b]["dropped_at"]) == NOW
    assert [sha for sha, x in commits.items() if "dropped_at" in x] == [b]
    assert commits[b]["analysis"]["summary"]  # what was published stays as it was

    page = b_page.read_text(encoding="utf-8")
    assert FRONT_MATTER.match(page)
    assert "该提交已不在 main 分支上" in page
    day_page = project.day_page(day).read_text(encoding="utf-8")
    row = next(line for line in day_page.splitlines() if b[:12] in line and "|" in line)
    assert "已不在分支上" in row
    assert (project.docs / f"commits/acme/engine/{n[:12]}.md").exists()

    # Re-running again keeps the first time it was missed; the file is not rewritten.
    path = project.record("acme/engine", day)
    stamp = (path.read_bytes(), path.stat().st_mtime_ns)
    assert project.cli("run", "--date", str(day)).returncode == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == stamp

    write_config(tmp_path, names, language="en")
    assert project.cli("render").returncode == 0
    assert "This commit is no longer on main" in b_page.read_text(encoding="utf-8")
    assert "no longer on the branch" in project.day_page(day).read_text(encoding="utf-8")
