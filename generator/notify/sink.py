"""The sink: after a run, send each target what the ledger says it has not had yet.

A failure is a warning, never an exception: the records and pages are written, the site
deploys, and the next run sends what failed. Secrets are read here from the environment,
handed to the channel, and appear in no warning (`Secrets.redact`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from generator.config.notify import NotifyTarget
from generator.errors import ConfigError
from generator.notify.channel import Channel, DeliveryFailed, Secrets
from generator.notify.feishu import Feishu
from generator.notify.ledger import Ledger
from generator.notify.mail import Email
from generator.notify.message import Notice
from generator.notify.robots import DingTalk, WeCom
from generator.notify.slack import Slack
from generator.notify.webhook import Webhook

CHANNELS: dict[str, Channel] = {
    "slack": Slack(),
    "feishu": Feishu(),
    "dingtalk": DingTalk(),
    "wecom": WeCom(),
    "webhook": Webhook(),
    "email": Email(),
}
MAX_WAIT = 300.0
"""Seconds a run waits for one target's rate limit in all; the rest waits for the next run."""


@dataclass
class Delivery:
    sent: list[str] = field(default_factory=list)
    """`team-moe: day/sgl-project/sglang/2026-02-15` for each message delivered."""
    warnings: list[str] = field(default_factory=list)
    """One line each, without the `Warning: ` the CLI puts before it."""


def check_targets(targets: Sequence[NotifyTarget], environ: Mapping[str, str]) -> None:
    """Raise ConfigError naming every variable a target needs and the environment lacks
    (call it before a run writes anything, as the GitHub token is checked)."""
    problems = []
    for target in targets:
        try:
            Secrets.read(target, environ)
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("; ".join(problems))


def addressed(notice: Notice, target: NotifyTarget) -> Notice | None:
    """The notice as the target takes it (`what: high` takes a day's high tier), or None."""
    if notice.to is not None and target.name not in notice.to:
        return None
    if target.what == "high" and notice.kind == "day":
        return notice.high_only()
    return notice if notice.kind == target.what else None


def deliver(
    targets: Sequence[NotifyTarget],
    notices: Sequence[Notice],
    data_dir: Path,
    environ: Mapping[str, str],
    now: Callable[[], datetime],
    sleep: Callable[[float], None] = time.sleep,
    covered: Iterable[tuple[str, date]] | None = None,
) -> Delivery:
    """Send every target the notices addressed to it that it has not had, within the days
    it covers. `covered` is the (repository, day) pairs the run fetched: a target starts
    at them (default: the notices' own days). Notices must be of complete days only."""
    result = Delivery()
    if not targets:
        return result
    ledger = Ledger.load(data_dir)
    days: dict[str, list[date]] = {}
    pairs = covered if covered is not None else ((n.repo, n.day) for n in notices)
    for repo, day in pairs:
        days.setdefault(repo, []).append(day)
    for target in targets:
        for repo, repo_days in days.items():
            ledger.begin(target.name, repo, repo_days)
    ledger.save()
    for target in targets:
        due = [
            mine
            for notice in notices
            if (mine := addressed(notice, target))
            and ledger.covers(target.name, mine.repo, mine.until)
            and not ledger.delivered(target.name, mine.key)
        ]
        if due:
            _deliver_to(target, due, ledger, environ, now, sleep, result)
    return result


def _deliver_to(
    target: NotifyTarget,
    due: list[Notice],
    ledger: Ledger,
    environ: Mapping[str, str],
    now: Callable[[], datetime],
    sleep: Callable[[float], None],
    result: Delivery,
) -> None:
    where = f"notify {target.label}"
    try:
        secrets = Secrets.read(target, environ)
    except ConfigError as exc:
        result.warnings.append(f"{exc}; {len(due)} messages wait for it")
        return
    channel = CHANNELS[target.type]
    limiter = RateLimiter(channel.rate, lambda: now().timestamp(), sleep)
    for index, notice in enumerate(due):
        left = len(due) - index - 1
        if not limiter.wait():
            result.warnings.append(
                f"{where}: its rate limit allows no more in this run; "
                f"{left + 1} messages are sent next run"
            )
            return
        try:
            channel.send(channel.format(notice), target, secrets, now())
        except DeliveryFailed as failure:
            reason = secrets.redact(failure.reason)
            if failure.stop and left:
                result.warnings.append(
                    f"{where}: {notice.key}: {reason}; it and {left} more are sent again next run"
                )
                return
            result.warnings.append(f"{where}: {notice.key}: {reason}; it is sent again next run")
            continue
        ledger.record(target.name, notice.key, now())
        ledger.save()  # at once: a run killed later must not send it twice
        result.sent.append(f"{target.name}: {notice.key}")


class RateLimiter:
    """At most `count` messages in any `seconds`, for each (count, seconds) rule, waiting
    with the given clock and sleep (a test passes a fake pair and waits no real minute)."""

    def __init__(
        self,
        rules: Iterable[tuple[int, float]],
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        budget: float = MAX_WAIT,
    ) -> None:
        self.rules = tuple(rules)
        self.clock = clock
        self.sleep = sleep
        self.budget = budget
        self.sent: list[float] = []

    def wait(self) -> bool:
        """Wait until one more message is allowed, and count it; False (without waiting)
        when that would take the run over its budget of waiting."""
        now = self.clock()
        delay = 0.0
        for count, seconds in self.rules:
            recent = [t for t in self.sent if t > now - seconds]
            if len(recent) >= count:
                delay = max(delay, recent[-count] + seconds - now)
        if delay > self.budget:
            return False
        if delay > 0:
            self.budget -= delay
            self.sleep(delay)
            now = self.clock()
        self.sent.append(now)
        longest = max((s for _, s in self.rules), default=0.0)
        self.sent = [t for t in self.sent if t > now - longest]
        return True
