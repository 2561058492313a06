"""`python -m generator run|render|build|report|init` (also `commit-digest …`): parse
arguments into one pipeline call."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import __version__, pipeline, releasereport, scaffold
from generator.config import DEFAULT_CONFIG, Config, load_config
from generator.errors import ConfigError, DigestError
from generator.localdays import today
from generator.progress import Progress
from generator.site.serve import open_server


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, like every other user mistake, instead of usage + message.
        raise ConfigError(f"{message} (see {self.prog} --help)")


RELATIVE_DAYS = {"today": 0, "yesterday": -1}
DEFAULT_PORT = 8000
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
        # The console script names itself in messages; `python -m generator` otherwise.
        prog="commit-digest"
        if Path(sys.argv[0]).name == "commit-digest"
        else "python -m generator",
        description="Turn each day's commits of the configured repositories into pages.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"commit-digest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    # Every command reads the config: one declaration of the option they share.
    config = _Parser(add_help=False)
    config.add_argument(
        "--config", default=DEFAULT_CONFIG, help=f"config file (default {DEFAULT_CONFIG})"
    )

    run = commands.add_parser(
        "run",
        parents=[config],
        help="fetch, analyse and record days, then render every page",
        description=(
            "Fetch each configured repository's commits per local day, analyse them, write "
            "data/<owner>/<repo>/YYYY/MM/DD.json and re-render docs/. Without dates: every "
            "day after the last complete one up to yesterday (first run: the last 7 days, "
            "or from the config's `start`)."
        ),
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

    commands.add_parser(
        "render",
        parents=[config],
        help="re-render every page from the records alone (no network, no git)",
        description="Re-render docs/ from data/ alone; the same records give byte-identical pages.",
    )

    build = commands.add_parser(
        "build",
        parents=[config],
        help="render what changed and build the site into site/ (optionally serve it)",
        description=(
            "Re-render the pages the records changed, then build the site with MkDocs into "
            "site/ next to the config (or --site-dir), and say where to open it."
        ),
    )
    build.add_argument(
        "--site-dir", type=Path, metavar="DIR", help="build here (default: the config's site_dir)"
    )
    build.add_argument(
        "--serve", action="store_true", help="then serve the site on 127.0.0.1 until Ctrl-C"
    )
    build.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"with --serve (default {DEFAULT_PORT})"
    )

    report = commands.add_parser(
        "report",
        parents=[config],
        help="what changed between two refs: commits, tiers, interface and dependency changes",
        description=(
            "Compare two refs of a configured repository (tags, branches, shas, or a date "
            "YYYY-MM-DD: the followed branch at that day's end) as a release page does."
        ),
    )
    report.add_argument(
        "--repo", required=True, metavar="OWNER/NAME", help="a configured repository"
    )
    report.add_argument("--from", dest="old", required=True, metavar="REF", help="the older ref")
    report.add_argument("--to", dest="new", required=True, metavar="REF", help="the newer ref")
    report.add_argument(
        "--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON"
    )
    _add_init(commands)
    return parser


def _add_init(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init",
        help="write a new archive (digest.yml, a workflow, .gitignore, README) into a folder",
        description=(
            "Write a new archive into DIR (default: the current folder), which must be empty: "
            "a commented digest.yml following the --repo repositories, a GitHub Actions "
            "workflow that installs this version of commit-digest and runs, builds and "
            "deploys it every night, a .gitignore and a README with the steps on GitHub."
        ),
    )
    init.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="OWNER/NAME",
        dest="repos",
        help="a repository to follow (repeat for more)",
    )
    init.add_argument(
        "--timezone", help="IANA timezone bounding each day (default: this machine's)"
    )
    init.add_argument(
        "--site-url",
        default=scaffold.DEFAULT_SITE_URL,
        help="where the site will be published (default: a placeholder to edit)",
    )
    init.add_argument(
        "--action", action="store_true", help="a workflow that uses the commit-digest action"
    )
    init.add_argument(
        "--force", action="store_true", help="write only the files DIR lacks, keep the rest"
    )


def _init(args: argparse.Namespace) -> int:
    options = scaffold.Options(
        repos=tuple(args.repos),
        timezone=args.timezone or scaffold.default_timezone(),
        site_url=args.site_url,
        action=args.action,
        release=scaffold.Release.of_package(),
    )
    written = scaffold.init_archive(args.dir, options, force=args.force)
    names = ", ".join(str(path.relative_to(args.dir)) for path in written) or "nothing"
    print(f"Done: wrote {names} in {args.dir} (timezone {options.timezone})")
    if options.action and options.release is None:
        print(
            "Warning: this commit-digest was not installed from a release, so the workflow "
            "names the action by its tag; pin it to the tag's commit SHA",
            file=sys.stderr,
        )
    print("Next: commit-digest run && commit-digest build (see README.md for GitHub)")
    return 0


def _build(args: argparse.Namespace, config: Config) -> int:
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port}: use a port from 1 to 65535, or 0 for any free one")
    if args.port != DEFAULT_PORT and not args.serve:
        raise ConfigError("--port only applies with --serve")
    site_dir = (args.site_dir or config.site_dir).resolve()
    # Bound before building, so that a port in use fails at once, not after the build.
    server = open_server(site_dir, config.site_url, args.port) if args.serve else None
    try:
        summary = pipeline.build(config, args.site_dir)
        print(summary.line(), flush=True)
        if server is None:
            command = f"{_python()} -m generator build --config {args.config} --serve"
            print(
                "To read it, serve it (opened as files, day links show folder listings and "
                f"search cannot work): {command}"
            )
            return 0
        print(f"Serving {site_dir} at {server.url} (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Stopped")
        return 0
    finally:
        if server is not None:
            server.server_close()


def _python() -> str:
    """This interpreter as the user can type it: relative when it is below the current folder
    (`.venv/bin/python`), else its full path."""
    python = Path(sys.executable)
    cwd = Path.cwd()
    return str(python.relative_to(cwd)) if python.is_relative_to(cwd) else str(python)


def main(argv: Sequence[str] | None = None, now: Clock | None = None) -> int:
    # Known before parsing, so that even an argument error can show its traceback.
    verbose = bool({"-v", "--verbose"} & set(sys.argv[1:] if argv is None else argv))
    try:
        now = now or clock_from_environment()
        args = build_parser().parse_args(argv)
        if args.command == "init":
            return _init(args)
        config = load_config(args.config)
        if args.command == "render":
            changed = pipeline.render(config)
            print(f"Done: rendered the archive, {changed} pages changed")
            return 0
        if args.command == "build":
            return _build(args, config)
        if args.command == "report":
            as_json = args.format == "json"
            print(releasereport.report(config, args.repo, args.old, args.new, as_json, now))
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
