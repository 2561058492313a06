"""Interface changes (generator/interfaces): agreement with the dev sets, cost over a year,
a release, and the patch path. Run by hand; it prints figures and asserts nothing.

    python bench/bench_interfaces.py                       # everything, 2 timed runs
    python bench/bench_interfaces.py --only cost --repeat 3
    python bench/bench_interfaces.py --only agreement --verify

* agreement: for every commit of a dev set's month (committer date at UTC+8, reachable
  from the snapshot's main), the extractor runs as the git source will (blob ids from
  `diff-tree --raw`, blobs from one long-lived `cat-file --batch`) on the four files the
  dev sets cover; recall and precision of added/removed, recall of default, the misses.
  `--verify` also compares, for every candidate file of those commits, the extractor
  with the whole-file comparison (`compare`).
* cost: over sglang's year, one `git log --numstat -M` (the fastest of repeat + 1), what
  `--raw` adds to the git source's `diff-tree`, and the extraction of every commit (blob
  reads through `cat-file` + comparison), with the commits that change an interface and
  the totals per kind and change.
* release: the changes between two tags, from the whole files at the two tags.
* patches: how often `from_patch` answers from a commit's patch alone, and whether its
  answers agree with the extractor's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from interfaces_git import RAW_ARGS, Git, commits, git, midnight, patches, tree_files

from generator.interfaces import Extractor, FileRevision, candidate, compare, from_patch

ROOT = Path(__file__).resolve().parent.parent
MIRRORS = Path("/work/.mirror")
DATA = Path("/work/shared/data")
Key = tuple[str, str, str, str, str]
"""(sha, kind, name, change, file)."""


def run_extractor(
    repo: Path, shas: list[tuple[str, str | None]], keep: set[str] | None = None
) -> tuple[dict[Key, tuple[str | None, str | None]], list[str], Extractor]:
    """Every commit's changes; `keep`: only the files at these paths."""
    gitp = Git(repo)
    extractor = Extractor()
    found: dict[Key, tuple[str | None, str | None]] = {}
    notes: list[str] = []
    try:
        for start in range(0, len(shas), 200):
            batch = shas[start : start + 200]
            files = gitp.files(batch)
            for sha, _ in batch:
                revs = files.get(sha, [])
                if keep is not None:
                    revs = [f for f in revs if f.path in keep or f.old_path in keep]
                result = extractor.changes(revs, gitp.read)
                notes += [f"{sha[:10]} {note}" for note in result.notes]
                for c in result.changes:
                    found[(sha, c.kind, c.name, c.change, c.file)] = (c.old, c.new)
    finally:
        gitp.close()
    return found, notes, extractor


def agreement(label: str, repo: Path, dataset: Path, verify: bool) -> None:
    data = json.loads(dataset.read_text())
    truth: dict[Key, tuple[str | None, str | None]] = {}
    for commit in data["commits"]:
        for c in commit["changes"]:
            key = (commit["sha"], c["kind"], c["name"], c["change"], c["file"])
            truth[key] = (c.get("old"), c.get("new"))
    files = {key[4] for key in truth}
    shas = commits(repo, "main", data["since"], data["until"])
    ours, notes, _ = run_extractor(repo, shas, keep=files)
    both = {k for k in ours if k in truth}
    moved = {k for k in truth if k[3] in ("added", "removed")}
    ours_moved = {k for k in ours if k[3] in ("added", "removed")}
    defaults = {k for k in truth if k[3] == "default"}
    same_text = {k for k in defaults & both if ours[k] == truth[k]}
    dev_kinds = {(k[4], k[1]) for k in truth}
    in_scope = {k for k in ours_moved if (k[4], k[1]) in dev_kinds and not k[2].startswith("-")}
    print(f"\n## Agreement: {label} ({dataset.name}, {len(shas)} commits, files {sorted(files)})\n")
    print(f"- added/removed recall: {_ratio(moved & both, moved)}")
    print(f"- added/removed precision: {_ratio(ours_moved & both, ours_moved)}")
    print(f"- added/removed precision, dev set's kinds only: {_ratio(in_scope & both, in_scope)}")
    print(
        f"- default recall: {_ratio(defaults & both, defaults)} (same old/new text: {_ratio(same_text, defaults)})"
    )
    for key in sorted(moved - both) + sorted(defaults - both):
        print(f"  - missed: {key[0][:10]} {key[1]} {key[2]} {key[3]} {key[4]}")
    for key in sorted(ours_moved - both):
        print(f"  - extra: {key[0][:10]} {key[1]} {key[2]} {key[3]} {key[4]}")
    extra_defaults = {k for k in ours if k[3] == "default"} - defaults
    print(f"- default changes found that the dev set lacks: {len(extra_defaults)}")
    for key in sorted(extra_defaults):
        print(f"  - extra default: {key[0][:10]} {key[1]} {key[2]} {key[4]}: {ours[key]}")
    for key in sorted(defaults & both - same_text):
        print(f"  - default text differs: {key[2]}: {ours[key]} vs {truth[key]}")
    for note in notes:
        print(f"  - note: {note}")
    if verify:
        _verify(repo, shas)
    return None


def _ratio(part: set[Key], whole: set[Key]) -> str:
    return f"{len(part)}/{len(whole)} = {len(part) / len(whole):.1%}" if whole else "n/a (0/0)"


def _verify(repo: Path, shas: list[tuple[str, str | None]]) -> None:
    """The extractor against the whole-file comparison, for every candidate file."""
    gitp = Git(repo)
    extractor = Extractor()
    checked = differ = 0
    try:
        files = gitp.files(shas)
        for sha, _ in shas:
            for f in extractor.candidates(files.get(sha, [])):
                blobs = gitp.read([b for b in (f.old_blob, f.new_blob) if b and b.strip("0")])
                got = extractor.file_changes(f, blobs)
                old = blobs.get(f.old_blob or "")
                want = compare(f.path, old, blobs.get(f.new_blob or ""), (), f.old_path)
                checked += 1
                if got != want:
                    differ += 1
                    print(f"  - differs: {sha[:10]} {f.path}: {got} vs {want}")
    finally:
        gitp.close()
    print(f"- verify: {checked} file changes, {differ} differ from the whole-file comparison")


def cost(repo: Path, year: int, repeat: int) -> None:
    since, until = f"{year}-01-01", f"{year + 1}-01-01"
    shas = commits(repo, "main", since, until)
    window = [
        f"--since={midnight(since).isoformat()}",
        f"--until={(midnight(until) - timedelta(seconds=1)).isoformat()}",
    ]
    log = _best(repeat + 1, ["git", "log", "--numstat", "-M", *window, "main", "--"], repo, None)
    request = "".join(f"{s} {p}\n" if p else f"{s}\n" for s, p in shas).encode()
    numstat = [a for a in RAW_ARGS if a != "--raw"]
    plain = _best(repeat, ["git", "diff-tree", "--stdin", *numstat], repo, request)
    raw = _best(repeat, ["git", "diff-tree", "--stdin", *RAW_ARGS], repo, request)
    runs = []
    for _ in range(repeat):
        gitp = Git(repo)
        files = gitp.files(shas)
        extractor, read = Extractor(), _counting(gitp)
        wall, cpu = time.perf_counter(), time.process_time()
        results = [extractor.changes(files.get(sha, []), read) for sha, _ in shas]
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        runs.append((wall, cpu, gitp.cat_cpu(), read.count, read.bytes, results))  # type: ignore[attr-defined]
        gitp.close()
    wall, cpu, cat_cpu, count, size, results = min(runs, key=lambda r: r[0])
    totals = Counter((c.kind, c.change) for r in results for c in r.changes)
    changed = sum(1 for r in results if r.changes)
    notes = sum(len(r.notes) for r in results)
    print(
        f"\n## Cost: sglang {year} ({len(shas)} commits; load before: {os.getloadavg()[0]:.1f})\n"
    )
    print(f"- git log --numstat -M: {log[0]:.2f} s wall, {log[1]:.2f} s CPU (best of {repeat + 1})")
    print(f"- diff-tree --stdin --numstat: {plain[0]:.2f} s; with --raw: {raw[0]:.2f} s")
    print(
        f"- extraction of every commit: {wall:.2f} s wall = {wall / log[0]:.2f}x git log; "
        f"Python CPU {cpu:.2f} s, cat-file CPU {cat_cpu:.2f} s (best of {repeat}: "
        + ", ".join(f"{r[0]:.2f}" for r in runs)
        + ")"
    )
    print(f"- blobs read: {count} ({size / 1e6:.0f} MB)")
    print(f"- commits with interface changes: {changed} of {len(shas)}; notes: {notes}")
    for (kind, change), n in sorted(totals.items()):
        print(f"  - {kind} {change}: {n}")
    by_file = Counter(c.file for r in results for c in r.changes)
    print(
        "- files with the most changes: " + ", ".join(f"{f} {n}" for f, n in by_file.most_common(8))
    )


def _counting(gitp: Git):  # type: ignore[no-untyped-def]
    def read(ids):  # type: ignore[no-untyped-def]
        blobs = gitp.read(ids)
        read.count += len(blobs)  # type: ignore[attr-defined]
        read.bytes += sum(map(len, blobs.values()))  # type: ignore[attr-defined]
        return blobs

    read.count = read.bytes = 0  # type: ignore[attr-defined]
    return read


def _best(runs: int, command: list[str], repo: Path, stdin: bytes | None) -> tuple[float, float]:
    """The fastest wall time of `runs` runs, and the least CPU."""
    walls, cpus = [], []
    for _ in range(runs):
        began, usage = time.perf_counter(), os.times()
        subprocess.run(command, cwd=repo, input=stdin, stdout=subprocess.DEVNULL, check=True)
        after = os.times()
        walls.append(time.perf_counter() - began)
        cpus.append(
            after.children_user
            + after.children_system
            - usage.children_user
            - usage.children_system
        )
    return min(walls), min(cpus)


def release(repo: Path, old: str, new: str, focus: tuple[str, ...]) -> None:
    files = [f for f in tree_files(repo, old, new) if candidate(f.path) or f.old_path]
    gitp = Git(repo)
    changes = []
    try:
        for f in files:
            blobs = gitp.read([b for b in (f.old_blob, f.new_blob) if b and b.strip("0")])
            result = compare(
                f.path, blobs.get(f.old_blob or ""), blobs.get(f.new_blob or ""), (), f.old_path
            )
            changes += result.changes
            if result.note:
                print(f"  - note: {result.note}")
    finally:
        gitp.close()
    print(f"\n## Release: {old} → {new} (whole files at the two tags)\n")
    for path in focus:
        mine = [c for c in changes if c.file == path]
        counts = Counter((c.kind, c.change) for c in mine)
        print(f"- {path}: " + ", ".join(f"{k} {c} {n}" for (k, c), n in sorted(counts.items())))
        for c in mine:
            text = f" ({c.old} → {c.new})" if c.change == "default" else ""
            print(f"  - {c.kind} {c.change} {c.name}{text}")
    counts = Counter((c.kind, c.change) for c in changes)
    print(
        "- everything the defaults find: "
        + ", ".join(f"{k} {c} {n}" for (k, c), n in sorted(counts.items()))
    )
    by_file = Counter(c.file for c in changes)
    print("  - by file: " + ", ".join(f"{f} {n}" for f, n in by_file.most_common(15)))


def patch_path(label: str, repo: Path, since: str, until: str) -> None:
    shas = commits(repo, "main", since, until)
    gitp = Git(repo)
    extractor = Extractor()
    total = answered = differ = 0
    try:
        files = gitp.files(shas)
        for sha, parent in shas:
            revs = extractor.candidates(files.get(sha, []))
            if not revs:
                continue
            diffs = patches(repo, sha, parent)
            for f in revs:
                got = from_patch(f.path, diffs.get(f.path), (), f.old_path)
                total += 1
                if got is None:
                    continue
                answered += 1
                want = extractor.file_changes(f, gitp.read(extractor.wanted([f])))
                if want.note is None and got != want.changes:
                    differ += 1
                    print(f"  - differs: {sha[:10]} {f.path}: {got} vs {want.changes}")
    finally:
        gitp.close()
    print(f"\n## Patch path: {label} {since}..{until}\n")
    print(
        f"- candidate file changes: {total}; answered from the patch: {answered} ({answered / max(total, 1):.0%}); disagreeing with the extractor: {differ}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sglang", type=Path, default=MIRRORS / "bytedance-iaas+sglang/repo")
    parser.add_argument("--vllm", type=Path, default=MIRRORS / "local-inference-lab+vllm/repo")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", default="agreement,cost,release,patches")
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--tags", default="v0.5.17,v0.5.18")
    parser.add_argument(
        "--verify-range", metavar="SINCE,UNTIL", help="also verify sglang over these days"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(
        f"Machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; git {git(ROOT, '--version').split()[-1]}"
    )
    if args.verify_range:
        since, until = args.verify_range.split(",")
        print(f"\n## Verify: sglang {since}..{until}\n")
        _verify(args.sglang, commits(args.sglang, "main", since, until))
    if "agreement" in only:
        agreement(
            "sglang", args.sglang, args.data / "interface-changes-sglang-2026-02.json", args.verify
        )
        agreement("vllm", args.vllm, args.data / "interface-changes-vllm-2026-04.json", args.verify)
    if "cost" in only:
        cost(args.sglang, args.year, args.repeat)
    if "release" in only:
        old, new = args.tags.split(",")
        focus = ("python/sglang/srt/server_args.py", "python/sglang/srt/environ.py")
        release(args.sglang, old, new, focus)
    if "patches" in only:
        patch_path("sglang", args.sglang, "2026-02-01", "2026-03-01")
        patch_path("vllm", args.vllm, "2026-04-01", "2026-05-01")


if __name__ == "__main__":
    main()
