"""Static SVG charts, written by the generator into the pages: no script, no web font, no
request. A calendar heat map of commits per day and a weekly bar chart by tier.

Colours come from classes that `overrides/assets/digest.css` fills from the theme's
palette, so the charts follow the light and the dark scheme. Each day or week
carries a `<title>`, which browsers show as a tooltip. Only dates, counts and
labels reach the SVG, all escaped.

For screen readers the weekly chart is one image named by its summary; the heat map,
whose days are links, is a group of them (an image's content is not read, so links
inside one cannot be reached): each day with a page is a link named by its `<title>`
(its date and count), and the rest (the axes, the legend, days without a page) is
hidden from them.

Links in raw HTML are where the engines part: MkDocs leaves them as written,
Zensical rewrites them as if relative to the Markdown file. The two agree only
on a page whose source folder is its built folder (`index.md`), so a chart with
links (the heat map) goes on the home page only; its links are `links.href`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from generator.models import TIERS
from generator.render.activity import YEAR_WEEKS, Week, year_start
from generator.render.i18n import Labels
from generator.render.mdtext import Md
from generator.text import TIER_EMOJI

CELL, STEP = 10, 12
"""A day's square and the distance between two squares' corners."""
LEFT, TOP = 24, 16
"""Room for the weekday labels and for the month labels."""
BAR, BAR_STEP, PLOT = 9, 12, 100
LEGEND_SLOT = 64
AXIS = 30
"""Room right of the bars for the scale."""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _svg(
    css: str, width: int, height: int, label: str, parts: Sequence[str], role: str = "img"
) -> Md:
    # One line per element and no blank line: Python-Markdown passes the block through as
    # raw HTML. The box scrolls sideways on a phone rather than shrink the squares, so the
    # keyboard must be able to reach it to scroll it: a chart without links of its own is
    # focusable.
    focusable = ' tabindex="0"' if role == "img" else ""
    head = (
        f'<div class="cd-chart {css}"{focusable}><svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="{role}" '
        f'aria-label="{_e(label)}">'
    )
    return Md("\n".join([head, *parts, "</svg></div>"]))


def _levels(counts: Sequence[int]) -> Callable[[int], int]:
    """Colour level 0–4 of a count: 0 for none, else 1 + how many of the quartiles of the
    non-zero counts it exceeds, so one huge day does not wash out the rest."""
    ranked = sorted(c for c in counts if c)
    if not ranked:
        return lambda count: 0
    cuts = [ranked[(len(ranked) - 1) * q // 4] for q in (1, 2, 3)]
    return lambda count: 0 if not count else 1 + sum(count > cut for cut in cuts)


def _month_labels(
    first: date, columns: int, labels: Labels, y: int, x0: int, step: int
) -> list[str]:
    """A month's short name over the column of the week holding its first day; the first
    column is named too, unless the next name would crowd it."""
    starts = [
        column for column in range(1, columns) if (first + timedelta(weeks=column, days=6)).day <= 7
    ]
    if not starts or starts[0] >= 3:
        starts.insert(0, 0)
    parts = []
    for column in starts:
        sunday = first + timedelta(weeks=column, days=6)
        month = sunday.month if column else first.month
        x = x0 + column * step
        parts.append(f'<text class="cd-axis" x="{x}" y="{y}">{_e(labels.month(month))}</text>')
    return parts


def heat_map(
    counts: dict[date, int],
    end: date,
    day_href: Callable[[date], str | None],
    labels: Labels,
) -> Md:
    """Commits per day over the 53 weeks that end with the week of `end`: a square per day
    up to `end`, its colour by count, a tooltip with the date and count, and a link to the
    day's page when `day_href` gives one (named by that tooltip, for screen readers, which
    are shown the links only)."""
    first = year_start(end)
    level = _levels(list(counts.values()))
    axes = _month_labels(first, YEAR_WEEKS, labels, TOP - 5, LEFT, STEP)
    for row, key in ((0, "weekday.mon"), (2, "weekday.wed"), (4, "weekday.fri")):
        y = TOP + row * STEP + CELL - 2
        axes.append(f'<text class="cd-axis" x="0" y="{y}">{_e(labels(key))}</text>')
    parts = [_hidden(axes)]
    unlinked: list[str] = []  # a run of days without a page, hidden as one group
    day, total = first, 0
    while day <= end:
        column, row = (day - first).days // 7, day.weekday()
        count = counts.get(day, 0)
        total += count
        tip = f"<title>{_e(day.isoformat())} · {_e(labels('commit_count', total=count))}</title>"
        square = (
            f'<rect class="cd-l{level(count)}" x="{LEFT + column * STEP}" y="{TOP + row * STEP}" '
            f'width="{CELL}" height="{CELL}" rx="2"'
        )
        href = day_href(day)
        if href:
            parts += [_hidden(unlinked)] if unlinked else []
            unlinked = []
            parts.append(f'<a href="{_e(href)}">{tip}{square}/></a>')
        else:
            unlinked.append(f"{square}>{tip}</rect>")
        day += timedelta(days=1)
    parts += [_hidden(unlinked)] if unlinked else []
    width = LEFT + YEAR_WEEKS * STEP
    legend_y = TOP + 7 * STEP + 6
    x = width - 5 * STEP - 40
    legend = [
        f'<text class="cd-axis" x="{x - 4}" y="{legend_y + CELL - 2}" '
        f'text-anchor="end">{_e(labels("less"))}</text>'
    ]
    for n in range(5):
        legend.append(
            f'<rect class="cd-l{n}" x="{x + n * STEP}" y="{legend_y}" width="{CELL}" '
            f'height="{CELL}" rx="2"/>'
        )
    legend.append(
        f'<text class="cd-axis" x="{x + 5 * STEP + 2}" y="{legend_y + CELL - 2}">'
        f"{_e(labels('more'))}</text>"
    )
    parts.append(_hidden(legend))
    label = labels("heatmap_label", start=first.isoformat(), end=end.isoformat(), total=total)
    return _svg("cd-heatmap", width, legend_y + CELL + 2, label, parts, role="group")


def _hidden(parts: Sequence[str]) -> str:
    """Drawn, but not read out by screen readers."""
    return "\n".join(['<g aria-hidden="true">', *parts, "</g>"])


def weekly_bars(weeks: Sequence[Week], labels: Labels) -> Md:
    """Commits per week, stacked by tier (high at the bottom), with a tooltip per week. The
    scale and the legend are on the right, the end a phone shows first."""
    top = max((week.total for week in weeks), default=0)
    scale = PLOT / top if top else 0
    base, right = TOP + PLOT, len(weeks) * BAR_STEP
    parts = [
        f'<line class="cd-grid" x1="0" y1="{TOP}" x2="{right}" y2="{TOP}"/>',
        f'<line class="cd-grid" x1="0" y1="{base}" x2="{right}" y2="{base}"/>',
        f'<text class="cd-axis" x="{right + 4}" y="{TOP + 4}">{top}</text>',
        f'<text class="cd-axis" x="{right + 4}" y="{base + 4}">0</text>',
    ]
    for n, week in enumerate(weeks):
        if not week.total:
            continue
        x, y = n * BAR_STEP, base
        tiers = " · ".join(f"{TIER_EMOJI[t]} {labels.tier(t)} {week.tiers[t]}" for t in TIERS)
        tip = labels("week_tip", start=week.start.isoformat(), total=week.total, tiers=tiers)
        bars = []
        for tier in TIERS:
            height = round(week.tiers[tier] * scale, 1)
            if height:
                y = round(y - height, 1)
                bars.append(
                    f'<rect class="cd-t-{tier}" x="{x}" y="{y}" width="{BAR}" height="{height}"/>'
                )
        parts.append(f"<g><title>{_e(tip)}</title>{''.join(bars)}</g>")
    if weeks:
        parts += _month_labels(weeks[0].start, len(weeks), labels, base + 14, 0, BAR_STEP)
    for n, tier in enumerate(TIERS):
        x = right - (len(TIERS) - n) * LEGEND_SLOT
        parts.append(f'<rect class="cd-t-{tier}" x="{x}" y="2" width="8" height="8" rx="1"/>')
        parts.append(f'<text class="cd-axis" x="{x + 11}" y="10">{_e(labels.tier(tier))}</text>')
    total = sum(week.total for week in weeks)
    label = labels("weekly_label", weeks=len(weeks), total=total)
    return _svg("cd-weekly", right + AXIS, base + 18, label, parts)
