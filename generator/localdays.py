"""Local days: which instants belong to a date in the configured timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Window:
    """`[start, end)`: from one local midnight to the next (23, 24 or 25 hours long)."""

    day: date
    start: datetime
    end: datetime

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def day_window(day: date, tz: ZoneInfo) -> Window:
    return Window(day, _local_midnight(day, tz), _local_midnight(day + timedelta(days=1), tz))


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    # Round-tripping through UTC normalises a midnight that a DST jump skips
    # (e.g. America/Santiago) to the first instant that exists.
    naive = datetime.combine(day, time(0), tzinfo=tz)
    return naive.astimezone(UTC).astimezone(tz)


def today(tz: ZoneInfo, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(tz).date()


def days_between(first: date, last: date) -> list[date]:
    """Every date from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
