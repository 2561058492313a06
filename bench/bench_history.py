"""History benchmark: module pages, reverts and weekly reports on a real year, with the
site's budgets.

    python bench/bench_history.py --repo /work/.mirror/bytedance-iaas+sglang/repo \\
        --branch ep_main --since 2025-01-01 --until 2026-01-01 --work /tmp/bench-history

It runs `bench_scale.scale` on the clone (backfill, full build, daily update of the last
day, re-run; rules analyzer, zh) and keeps the archive, then reads what the history index
(`render.history`) and the built site hold:

- module pages (and their month pages), each repository's module list, weekly reports;
  the largest module page (Markdown and built HTML);
- reverts: the `Revert "…"` subjects `git log --grep` finds over the same days, how many
  of them the archive linked to the commit they revert (by sha or by subject), how many
  reverts by sha alone, how many commits stand reverted; a sample of 20 revert subjects
  with the commit each was linked to, to check by hand;
- follow-ups (fixes, follow-ups, relands) linked;
- the budgets: commit page median, site bytes per commit, daily update over full build.

It prints Markdown and asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from bench_backfill import add_job_options, branch_ref, machine, make_jobs, midnight
from bench_scale import Result, scale

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import load_config  # noqa: E402
from generator.render.history import HistoryIndex, module_maps  # noqa: E402
from generator.render.i18n import Labels  # noqa: E402
from generator.render.modulepages import ModulePages  # noqa: E402
from generator.render.settings import SiteSettings  # noqa: E402

SAMPLE = 20


def git_reverts(repo: Path, ref: str, since, until) -> list[tuple[str, str]]:
    """(sha, subject) of every `Revert "…"` commit committed in [since, until)."""
    out = subprocess.run(
        ["git", "-C", str(repo), "log", ref, "--format=%H%x00%s", "--grep", '^Revert "',
         f"--since={midnight(since).isoformat()}", f"--until={midnight(until).isoformat()}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [tuple(line.split("\0", 1)) for line in out.splitlines() if line]  # type: ignore[misc]


def history_figures(folder: Path, repo: Path, ref: str, since, until) -> list[str]:
    config = load_config(folder / "digest.yml")
    settings = SiteSettings.from_config(config)
    index = HistoryIndex.load(config.cache_dir, config.docs_dir, module_maps(settings))
    name = settings.repo_names[0]
    relations = index.relations(name)
    modules = ModulePages(index, Labels(settings.language), None).modules(name)
    docs, site = config.docs_dir, folder / "site"
    module_docs = docs / "modules" / name
    md_files = sorted(module_docs.rglob("*.md"), key=lambda p: p.stat().st_size)
    html = sorted((site / "modules").rglob("index.html"), key=lambda p: p.stat().st_size)
    weekly = list((docs / "weekly").rglob("*.md"))
    index_size = (docs / "modules" / f"{name}.md").stat().st_size
    largest, largest_html = md_files[-1], html[-1]
    html_median = int(statistics.median(p.stat().st_size for p in html))
    html_total = sum(p.stat().st_size for p in html) / 2**20
    weekly_total = sum(p.stat().st_size for p in (site / "weekly").rglob("index.html")) / 2**20
    lines = [
        f"- module pages: {len(modules):,} (plus {len(md_files) - len(modules):,} month "
        f"pages; the module list `modules/{name}.md`: {index_size:,} B)",
        f"- largest module page: `{largest.relative_to(docs)}` {largest.stat().st_size:,} B "
        f"Markdown; built HTML largest `{largest_html.parent.relative_to(site)}` "
        f"{largest_html.stat().st_size:,} B, median {html_median:,} B",
        f"- module pages' built HTML in all: {html_total:,.1f} MiB",
        f"- weekly reports: {len(weekly):,}; their HTML in all {weekly_total:,.2f} MiB",
    ]
    reverts = {sha: rel.reverts for sha, rel in relations.items() if rel.reverts}
    by_git = git_reverts(repo, ref, since, until)
    found = [(sha, subject) for sha, subject in by_git if sha in reverts]
    entries = {e.sha: e for e in index.entries(name)}
    by_sha = sum(1 for sha in reverts if entries[sha].refs.revert_shas)
    standing = sum(1 for rel in relations.values() if rel.reverted)
    follow = sum(len(rel.follows) for rel in relations.values())
    kinds: dict[str, int] = {}
    for rel in relations.values():
        for kind, _ in rel.follows:
            kinds[kind] = kinds.get(kind, 0) + 1
    lines += [
        f"- `git log --grep '^Revert \"'` over the days: {len(by_git)} reverts; the archive "
        f"linked {len(found)} of them to the commit they revert",
        f"- reverts linked in all: {len(reverts)} ({by_sha} name a sha in their body); commits "
        f"standing reverted: {standing}",
        f"- follow-ups linked: {follow} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})",  # noqa: E501
        "",
        f'Unlinked `Revert "…"` subjects ({len(by_git) - len(found)}):',
        "",
    ]
    lines += [f"- `{sha[:12]}` {subject}" for sha, subject in by_git if sha not in reverts]
    lines += ["", f"A sample of {SAMPLE} linked reverts (every k-th, oldest first):", ""]
    step = max(1, len(found) // SAMPLE)
    for sha, subject in list(reversed(found))[::step][:SAMPLE]:
        target = entries[reverts[sha]]
        lines.append(
            f"- {entries[sha].day} `{sha[:12]}` {subject}  \n"
            f"  → {target.day} `{target.sha[:12]}` {target.subject}"
        )
    return lines


def budgets(r: Result) -> list[str]:
    median = int(statistics.median(r.commit_pages)) if r.commit_pages else 0
    full = r.render.seconds + r.build.seconds
    daily = r.daily_run.seconds + r.daily_build.seconds
    return [
        f"- commits {r.commits:,} over {r.days} days",
        f"- commit page HTML median {median:,} B (target ≤ 10 KB)",
        f"- site {r.site_bytes / 2**20:,.1f} MiB in {r.site_files:,} files: "
        f"{r.site_bytes / max(r.commits, 1) / 1000:,.2f} KB per commit (target ≤ 10 KB)",
        f"- full build {full:.1f} s (render {r.render.seconds:.1f} + build {r.build.seconds:.1f}); "
        f"daily update {daily:.1f} s (run {r.daily_run.seconds:.1f} + build "
        f"{r.daily_build.seconds:.1f}): {daily / full:.3f} of a full build (target ≤ 0.2)",
        f"- re-run of the complete day: {r.rerun.seconds + r.rebuild.seconds:.1f} s",
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_job_options(parser, [5000])
    parser.add_argument("--work", type=Path, help="keep the archive and site here")
    args = parser.parse_args()
    args.keep, args.browser = True, False
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-history-"))
    work.mkdir(parents=True, exist_ok=True)
    for job in make_jobs(args, work):
        print(f"{job.label}: {job.since}..{job.until}", flush=True)
        result = scale(job, work, args)
        folder = work / f"scale-{job.label.replace(' ', '-')}"
        ref = branch_ref(job.repo, job.branch)
        print()
        print(machine())
        print()
        print("\n".join(budgets(result)))
        last = job.until + timedelta(days=1)
        print("\n".join(history_figures(folder, job.repo, ref, job.since, last)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
