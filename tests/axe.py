"""axe-core in the browser: what a reader with assistive technology would meet on a page.

`axe-playwright-python` carries axe-core's script (no download); `violations(page)` injects
it into a Playwright page and runs the WCAG 2.0/2.1 A and AA rules, returning the
violations at the given impacts (by default the ones that block: critical and serious).
`page_kinds(site_dir)` finds one page of every kind a built site holds, from its folders,
so that a kind added later (releases, watches, modules, weekly reports) is checked as soon
as the site has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = ("critical", "serious")
NOT_PAGES = {"assets", "pagefind", "feeds", "search"}
"""Top folders of a built site that hold no pages of the archive."""

SETTLED = "() => document.getAnimations().every((a) => a.playState !== 'running')"

_axe = Axe()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    targets: tuple[str, ...]
    """One CSS selector per element that fails the rule."""
    help: str

    def line(self) -> str:
        shown = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"{self.rule} ({self.impact}, {len(self.targets)}): {self.help} — {shown}"


def violations(
    page: Any, impacts: Iterable[str] = BLOCKING, tags: Iterable[str] = WCAG_TAGS
) -> list[Violation]:
    """axe-core's violations of the `tags` rules on the page, at `impacts`, once its
    transitions have ended (the search box fades in: half-faded text fails on contrast)."""
    page.wait_for_function(SETTLED, timeout=5_000)
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    found = _axe.run(page, options=options).response["violations"]
    wanted = set(impacts)
    return [
        Violation(
            v["id"],
            v["impact"],
            tuple(" ".join(node["target"]) for node in v["nodes"]),
            v["help"],
        )
        for v in found
        if v["impact"] in wanted
    ]


def report(found: Iterable[Violation]) -> str:
    return "\n".join(v.line() for v in found)


def page_kinds(site_dir: Path) -> dict[str, str]:
    """One page of each kind in a built site: kind → its path below the site's URL.

    A kind is a top folder and a depth (`daily/2026/02/10/`, `archive/` and
    `archive/2026/02/` are three kinds: day, archive, month), plus the home page. Of each
    kind the largest page is taken, the one with the most of what can go wrong."""
    kinds: dict[str, tuple[int, str]] = {"home": (0, "")}
    for top in sorted(p for p in site_dir.iterdir() if p.is_dir() and p.name not in NOT_PAGES):
        for html in top.rglob("index.html"):
            folder = html.parent.relative_to(site_dir)
            kind = f"{top.name}/{len(folder.parts)}"
            size = html.stat().st_size
            if kind not in kinds or size > kinds[kind][0]:
                kinds[kind] = (size, f"{folder.as_posix()}/")
    return {kind: path for kind, (_, path) in sorted(kinds.items())}
