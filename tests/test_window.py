"""Which days a run does when none are given, and day windows across DST."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.localdays import day_window
from generator.pipeline import DayRange, pending_days

from factory import make_record, store

YESTERDAY = date(2026, 3, 10)


@pytest.fixture
def config(make_config, tmp_path: Path):
    (tmp_path / "clone").mkdir()
    return make_config(repos=[{"name": "o/r", "path": str(tmp_path / "clone")}])


def test_first_run_does_the_last_seven_days(config):
    days = pending_days(config, config.repos[0], DayRange(), YESTERDAY)
    assert days == [YESTERDAY - timedelta(days=n) for n in range(6, -1, -1)]


def test_first_run_starts_at_the_configured_start(make_config, tmp_path):
    (tmp_path / "clone").mkdir()
    config = make_config(
        repos=[{"name": "o/r", "path": str(tmp_path / "clone")}], start="2026-02-25"
    )
    days = pending_days(config, config.repos[0], DayRange(), YESTERDAY)
    assert days[0] == date(2026, 2, 25) and days[-1] == YESTERDAY and len(days) == 14


def test_missed_days_are_filled_in_order(config):
    store(config, make_record("o/r", date(2026, 3, 6), []))
    days = pending_days(config, config.repos[0], DayRange(), YESTERDAY)
    assert days == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9), YESTERDAY]


def test_incomplete_days_are_retried(config):
    store(
        config,
        make_record("o/r", date(2026, 3, 1), [], complete=False),
        make_record("o/r", date(2026, 3, 8), []),
        make_record("o/r", date(2026, 3, 9), [], complete=False),
    )
    days = pending_days(config, config.repos[0], DayRange(), YESTERDAY)
    assert days == [date(2026, 3, 1), date(2026, 3, 9), YESTERDAY]


def test_nothing_to_do_when_up_to_date(config):
    store(config, make_record("o/r", YESTERDAY, []))
    assert pending_days(config, config.repos[0], DayRange(), YESTERDAY) == []


def test_explicit_range_and_open_ended_bounds(config):
    store(config, make_record("o/r", date(2026, 3, 8), []))
    both = pending_days(
        config, config.repos[0], DayRange(date(2026, 1, 1), date(2026, 1, 3)), YESTERDAY
    )
    assert both == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    until = pending_days(config, config.repos[0], DayRange(until=date(2026, 3, 11)), YESTERDAY)
    assert until == [date(2026, 3, 9), YESTERDAY, date(2026, 3, 11)]
    since = pending_days(config, config.repos[0], DayRange(since=date(2026, 3, 9)), YESTERDAY)
    assert since == [date(2026, 3, 9), YESTERDAY]


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 8), 23), (date(2026, 11, 1), 25), (date(2026, 3, 9), 24)],
)
def test_new_york_dst_days(day, hours):
    window = day_window(day, ZoneInfo("America/New_York"))
    assert window.end.timestamp() - window.start.timestamp() == hours * 3600
    assert window.start.hour == 0 and window.end.hour == 0


def test_windows_tile_time_without_gaps():
    tz = ZoneInfo("America/Santiago")  # its DST jumps happen at midnight
    day = date(2026, 1, 1)
    for _ in range(366):
        this, following = day_window(day, tz), day_window(day + timedelta(days=1), tz)
        assert this.end.astimezone(UTC) == following.start.astimezone(UTC)
        assert this.start.astimezone(UTC) < this.end.astimezone(UTC)
        day += timedelta(days=1)
