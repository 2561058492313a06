"""`python -m generator run|render`: parse arguments into one pipeline call."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from generator import pipeline
from generator.config import DEFAULT_CONFIG, load_config
from generator.errors import ConfigError, DigestError
from generator.progress import Progress
from generator.windows import today


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, like every other user mistake, instead of usage + message.
        raise ConfigError(f"{message} (see {self.prog} --help)")


RELATIVE_DAYS = {"today": 0, "yesterday": -1}
NOW_VARIABLE = "DIGEST_NOW"
Clock = Callable[[], datetime]


def clock_from_environment() -> Clock:
    """The wall clock, or the fixed instant in DIGEST_NOW: a run then behaves exactly as
    it would have at that moment (to reproduce a scheduled run, and for tests that must
    pass on any day)."""
    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return lambda: datetime.now(UTC)
    try:
        fixed = datetime.fromisoformat(value)
    except ValueError:
        fixed = None
    if fixed is None or fixed.tzinfo is None:
        raise ConfigError(
            f"{NOW_VARIABLE}={value!r} is not a time with a UTC offset; "
            "use e.g. 2026-02-16T01:30:00+08:00, or unset it"
        )
    return lambda: fixed


def _day(text: str) -> date | str:
    """A date, or `today`/`yesterday`, resolved later in the configured timezone."""
    if text in RELATIVE_DAYS:
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD, today or yesterday"
        ) from None


def _resolve(value: date | str | None, tz: ZoneInfo, now: datetime) -> date | None:
    if isinstance(value, str):
        return today(tz, now) + timedelta(days=RELATIVE_DAYS[value])
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m generator",
        description="Turn each day's commits of the configured repositories into pages.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser(
        "run",
        help="fetch, analyse and record days, then render every page",
        description=(
            "Fetch each configured repository's commits per local day, analyse them, write "
            "data/<owner>/<repo>/YYYY/MM/DD.json and re-render docs/. Without dates: every "
            "day after the last complete one up to yesterday (first run: the last 7 days, "
            "or from the config's `start`)."
        ),
    )
    run.add_argument(
        "--config", default=DEFAULT_CONFIG, help=f"config file (default {DEFAULT_CONFIG})"
    )
    run.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="one day")
    run.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first day (inclusive)")
    run.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="last day (inclusive)")
    run.add_argument("--repo", metavar="OWNER/NAME", help="only this configured repository")
    run.add_argument(
        "--reanalyze",
        action="store_true",
        help="analyse the requested days' commits again, even those with a current analysis",
    )

    render = commands.add_parser(
        "render",
        help="re-render every page from the records alone (no network, no git)",
        description="Re-render docs/ from data/ alone; the same records give byte-identical pages.",
    )
    render.add_argument(
        "--config", default=DEFAULT_CONFIG, help=f"config file (default {DEFAULT_CONFIG})"
    )
    return parser


def main(argv: Sequence[str] | None = None, now: Clock | None = None) -> int:
    # Known before parsing, so that even an argument error can show its traceback.
    verbose = bool({"-v", "--verbose"} & set(sys.argv[1:] if argv is None else argv))
    try:
        now = now or clock_from_environment()
        args = build_parser().parse_args(argv)
        config = load_config(args.config)
        if args.command == "render":
            changed = pipeline.render(config)
            print(f"Done: rendered the archive, {changed} pages changed")
            return 0
        if args.date and (args.since or args.until):
            raise ConfigError("--date cannot be combined with --since/--until")
        since = _resolve(args.since or args.date, config.tz, now())
        until = _resolve(args.until or args.date, config.tz, now())
        requested = pipeline.DayRange(since, until)
        summary = pipeline.run(
            config, requested, args.repo, Progress.for_stream(), now, reanalyze=args.reanalyze
        )
        for warning in summary.warnings:
            print(f"Warning: {warning}", file=sys.stderr)
        print(summary.line())
        for failure in summary.failures:
            print(f"Failed: {failure}", file=sys.stderr)
        return 1 if summary.failures else 0
    except DigestError as exc:
        if verbose:
            traceback.print_exc()
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted; records written so far are complete, re-run to finish", file=sys.stderr)
        return 130
