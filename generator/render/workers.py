"""Rendering every day's pages on several cores, for the renders that write the whole archive.

A full render is thousands of independent pages: a backfill, a new generator version or
`render` writes them all. Their days, and the module pages and weekly reports, are dealt
out to forked processes, each rendering its share with its own copy of the archive and
writing them itself (creating a file is the kernel's work, and that runs in parallel
too). The parent gathers which files each wrote, so that pages of nothing are still found
afterwards.

The pages are what one process writes: each page is a function of the archive alone, so
who renders it changes no byte (tested). A fork is only taken when the process runs no
other thread, since a thread's locks would stay taken in the child; otherwise, and on
machines without `fork`, the days are rendered here one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.files import OutputTree
from generator.render.historypages import Planned
from generator.render.pageset import Pages

MIN_DAYS = 60
"""Below this many days a fork costs more than it saves."""
MAX_WORKERS = 4

# What the forked children render: set just before the fork, read by `_render_share`.
_job: tuple[Pages, Path, list[list[date]], list[list[Planned]]] | None = None


def worker_count() -> int:
    """Processes worth forking here: one per core this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def render_days(
    pages: Pages,
    days: Sequence[date],
    out: OutputTree,
    workers: int,
    planned: Sequence[Planned] = (),
) -> int:
    """Write each day's page and its commits' pages, and the `planned` module pages and
    weekly reports (not their marks), into `out`, on `workers` processes when there are
    enough days and forking is safe; returns how many processes wrote."""
    planned = [p for p in planned if not p.kind.endswith("_mark")]
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or len(days) < MIN_DAYS or not forkable or threading.active_count() > 1:
        _write(pages, days, planned, out)
        return 1
    if planned:
        pages.history  # noqa: B018 (built once here, not once in every child)
    global _job
    # Dealt out in turn, so that busy and quiet periods are shared evenly.
    shares = [list(days[i::workers]) for i in range(workers)]
    _job = (pages, out.root, shares, [planned[i::workers] for i in range(workers)])
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_render_share, range(workers))
    finally:
        _job = None
    for written, changed in results:
        out.written.update(Path(p) for p in written)
        out.changed += changed
    return workers


def _write(pages: Pages, days: Sequence[date], planned: Sequence[Planned], out: OutputTree) -> None:
    for day in days:
        for page in pages.pages_of_day(day):
            out.write(*page)
    for page in planned:
        out.write(*pages.planned(page))


def _render_share(index: int) -> tuple[list[str], int]:
    """In a child: render share `index` of the pages; the files written, how many changed."""
    assert _job is not None, "only called in a child forked by render_days"
    pages, root, days, planned = _job
    out = OutputTree(root)
    _write(pages, days[index], planned[index], out)
    return [str(p) for p in out.written], out.changed
