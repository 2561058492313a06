"""Sent once: the ledger, failures as warnings retried by the next run, rate limits, and
no secret in any output."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.notify import LEDGER_FILE, check_targets, watch_key
from generator.notify import channel as notify_channel

from notify_cases import (
    DAY,
    REPO,
    SIGNED,
    Clock,
    commit,
    days,
    environ,
    notice,
    run,
    small_day,
    target,
)
from notify_servers import ChatServer, closed_port

CHAT = ["slack", "feishu", "dingtalk", "wecom", "webhook"]


def serve(kind: str, clock: Clock) -> ChatServer:
    return ChatServer(
        kind, secret=f"SEC{kind}0123456789abcdef" if kind in SIGNED else None, clock=clock.time
    )


def env_of(server: ChatServer) -> dict[str, str]:
    return environ(server.kind, server.url, server.secret)


def keys(server: ChatServer) -> list[str]:
    """The days of the messages the service accepted."""
    found = []
    for received in server.accepted:
        text = received.body.decode()
        found += [d for d in ("2026-02-14", "2026-02-15") if d in text]
    return found


def assert_no_secret(server: ChatServer, *texts: str) -> None:
    for text in texts:
        assert server.token not in text
        assert server.url not in text
        if server.secret:
            assert server.secret not in text


@pytest.mark.parametrize("kind", CHAT)
@pytest.mark.parametrize("fault", ["500", "refused", "timeout", "dropped"])
def test_a_failure_is_one_warning_and_the_next_run_sends_it(
    kind: str, fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notify_channel, "TIMEOUT", (2.0, 0.3))
    clock = Clock()
    two = days(2)
    with serve(kind, clock) as server:
        env = env_of(server)
        if fault == "500":
            server.fail(500, "rollup_error")
        elif fault == "timeout":
            server.stall(1.0)
        elif fault == "dropped":
            server.drop()
        else:
            env = environ(
                kind, f"http://127.0.0.1:{closed_port()}/hook/{server.token}", server.secret
            )
        failed = run([target(kind)], two, tmp_path, env, clock)
        retried = run([target(kind)], two, tmp_path, env_of(server), clock)
        again = run([target(kind)], two, tmp_path, env_of(server), clock)
    reason = {
        "500": "HTTP 500 from the webhook: rollup_error",
        "refused": "connection refused",
        "timeout": "no answer within 0.3 s",
        "dropped": "the connection was dropped before an answer",
    }[fault]
    assert failed.sent == []
    assert failed.warnings == [
        f"notify 'team-{kind}' ({kind}): day/{REPO}/2026-02-14: {reason}; "
        "it and 1 more are sent again next run"
    ]
    assert len(retried.sent) == 2 and retried.warnings == []
    assert again.sent == [] and again.warnings == []
    assert keys(server) == ["2026-02-14", "2026-02-15"]
    ledger = (tmp_path / LEDGER_FILE).read_text()
    assert_no_secret(server, *failed.warnings, ledger)


@pytest.mark.parametrize(
    ("kind", "answer", "reason"),
    [
        (
            "feishu",
            {"code": 19024, "msg": "Key Words Not Found"},
            "Feishu refused it: code 19024: Key Words Not Found",
        ),
        (
            "dingtalk",
            {"errcode": 310000, "errmsg": "keywords not in content"},
            "DingTalk refused it: errcode 310000: keywords not in content",
        ),
        (
            "wecom",
            {"errcode": 93000, "errmsg": "invalid webhook url"},
            "WeCom refused it: errcode 93000: invalid webhook url",
        ),
        ("slack", "channel_is_archived", "HTTP 410 from the webhook: channel_is_archived"),
    ],
)
def test_a_refused_message_leaves_the_others_going_and_is_retried_alone(
    kind: str, answer: object, reason: str, tmp_path: Path
) -> None:
    clock = Clock()
    two = days(2)
    with serve(kind, clock) as server:
        status = 410 if kind == "slack" else 200
        server.fail(status, answer if isinstance(answer, str) else json.dumps(answer))
        first = run([target(kind)], two, tmp_path, env_of(server), clock)
        second = run([target(kind)], two, tmp_path, env_of(server), clock)
    assert first.warnings == [
        f"notify 'team-{kind}' ({kind}): day/{REPO}/2026-02-14: {reason}; it is sent again next run"
    ]
    assert first.sent == [f"team-{kind}: day/{REPO}/2026-02-15"]
    assert second.sent == [f"team-{kind}: day/{REPO}/2026-02-14"]  # only what failed
    assert len(server.received) == 3


def test_dingtalk_sends_twenty_a_minute_without_waiting_a_real_minute(tmp_path: Path) -> None:
    clock = Clock()
    many = days(25)
    with serve("dingtalk", clock) as server:
        begun = [(REPO, many[0].day)]  # a run 25 days ago began it
        run([target("dingtalk")], [], tmp_path, env_of(server), clock, covered=begun)
        delivery = run([target("dingtalk")], many, tmp_path, env_of(server), clock, covered=[])
    assert delivery.warnings == [] and len(delivery.sent) == 25
    assert all(r.accepted for r in server.received)  # the robot saw no 21st in a minute
    assert sum(clock.slept) == pytest.approx(60.0)


def test_a_throttled_robot_stops_the_target_for_this_run(tmp_path: Path) -> None:
    clock = Clock()
    with serve("wecom", clock) as server:
        server.fail(200, json.dumps({"errcode": 45009, "errmsg": "api freq out of limit"}))
        delivery = run([target("wecom")], days(3), tmp_path, env_of(server), clock)
    assert len(server.received) == 1
    assert delivery.warnings == [
        f"notify 'team-wecom' (wecom): day/{REPO}/2026-02-13: WeCom refused it: errcode 45009: "
        "api freq out of limit; it and 2 more are sent again next run"
    ]


def test_a_run_waits_at_most_five_minutes_for_a_rate_limit(tmp_path: Path) -> None:
    clock = Clock()
    many = [small_day(DAY - timedelta(days=i)) for i in range(200)]
    with serve("dingtalk", clock) as server:
        begun = [(REPO, many[-1].day)]  # a run 200 days ago began it
        run([target("dingtalk")], [], tmp_path, env_of(server), clock, covered=begun)
        delivery = run([target("dingtalk")], many, tmp_path, env_of(server), clock, covered=[])
    assert sum(clock.slept) <= 300 and len(delivery.sent) == 120
    assert delivery.warnings == [
        "notify 'team-dingtalk' (dingtalk): its rate limit allows no more in this run; "
        "80 messages are sent next run"
    ]
    assert all(r.accepted for r in server.received)


def test_a_new_target_starts_at_the_days_its_first_run_covered(tmp_path: Path) -> None:
    clock = Clock()
    archive = days(30)
    with serve("slack", clock) as server:
        env = env_of(server)
        first = run([target("slack")], archive, tmp_path, env, clock, covered=[(REPO, DAY)])
        # A later run covering an older day (a backfill) does not move the start back.
        older = [(REPO, DAY - timedelta(days=10))]
        second = run([target("slack")], archive, tmp_path, env, clock, covered=older)
        later = small_day(DAY + timedelta(days=1))
        third = run([target("slack")], [*archive, later], tmp_path, env, clock, covered=[])
    assert first.sent == [f"team-slack: day/{REPO}/2026-02-15"]
    assert second.sent == []
    assert third.sent == [f"team-slack: day/{REPO}/2026-02-16"]


def test_a_first_run_backfilling_a_year_sends_its_last_week(tmp_path: Path) -> None:
    clock = Clock()
    year = [small_day(DAY - timedelta(days=i)) for i in range(365)]
    covered = [(n.repo, n.day) for n in year]
    with serve("webhook", clock) as server:
        delivery = run([target("webhook")], year, tmp_path, env_of(server), clock, covered=covered)
    assert len(delivery.sent) == 7
    assert json.loads((tmp_path / LEDGER_FILE).read_text())["targets"]["team-webhook"]["start"] == {
        REPO: "2026-02-09"
    }


def test_what_high_watch_and_addressing(tmp_path: Path) -> None:
    clock = Clock()
    quiet = notice([commit(1, "medium"), commit(2, "low")], day=DAY - timedelta(days=1))
    busy = small_day()
    moe = notice(
        [commit(5, "high")],
        kind="watch",
        key=watch_key("moe", REPO, DAY),
        watch="moe",
        title="MoE kernels",
        to=("watchers",),
    )
    other = notice(
        [commit(6, "low")], kind="watch", key=watch_key("fp8", REPO, DAY), watch="fp8", to=("x",)
    )
    targets = [target("webhook", "highs", what="high"), target("webhook", "watchers", what="watch")]
    with serve("webhook", clock) as server:
        env = env_of(server)
        delivery = run(targets, [quiet, busy, moe, other], tmp_path, env, clock)
    assert delivery.sent == [
        f"highs: high/{REPO}/2026-02-15",
        f"watchers: watch/moe/{REPO}/2026-02-15",
    ]
    high, watch = (r.json for r in server.received)
    assert [c["tier"] for c in high["commits"]] == ["high"] and high["kind"] == "high"
    assert high["counts"] == {"high": 1, "medium": 1, "low": 1}
    assert watch["watch"] == "moe" and watch["title"] == "MoE kernels"


def test_check_targets_names_each_missing_variable_and_never_a_value() -> None:
    targets = [
        target("feishu"),
        target("slack"),
        target("email", username_env="SMTP_USER", password_env="SMTP_PASS"),
    ]
    with pytest.raises(ConfigError) as caught:
        check_targets(
            targets, {"FEISHU_URL": "https://open.feishu.cn/open-apis/bot/v2/hook/abcdef123456"}
        )
    assert str(caught.value) == (
        "notify 'team-feishu' (feishu) needs $FEISHU_SECRET: set it in the environment "
        "(the value is a secret: never put it in the config), or remove the target; "
        "notify 'team-slack' (slack) needs $SLACK_URL: set it in the environment "
        "(the value is a secret: never put it in the config), or remove the target; "
        "notify 'team-email' (email) needs $SMTP_USER and $SMTP_PASS: set them in the environment "
        "(the value is a secret: never put it in the config), or remove the target"
    )
    with pytest.raises(ConfigError) as caught:
        check_targets([target("slack")], {"SLACK_URL": "hooks.slack.com/services/T0/B0/secretpart"})
    assert str(caught.value) == (
        "notify 'team-slack' (slack): $SLACK_URL is not an http(s) URL "
        "(copy the webhook address the service shows)"
    )
    check_targets([target("slack")], {"SLACK_URL": "https://hooks.slack.com/services/T0/B0/x"})


def test_a_missing_variable_at_delivery_is_a_warning(tmp_path: Path) -> None:
    delivery = run([target("slack")], [small_day()], tmp_path, {}, Clock())
    assert delivery.sent == [] and len(delivery.warnings) == 1
    assert delivery.warnings[0].startswith("notify 'team-slack' (slack) needs $SLACK_URL")
    assert delivery.warnings[0].endswith("; 1 messages wait for it")


def test_an_unreadable_ledger_is_written_anew(tmp_path: Path) -> None:
    clock = Clock()
    (tmp_path / LEDGER_FILE).write_text("{not json")
    with serve("slack", clock) as server:
        delivery = run([target("slack")], [small_day()], tmp_path, env_of(server), clock)
    assert len(delivery.sent) == 1
    saved = json.loads((tmp_path / LEDGER_FILE).read_text())
    assert list(saved["targets"]["team-slack"]["sent"]) == [f"day/{REPO}/2026-02-15"]
    assert (
        saved["targets"]["team-slack"]["sent"][f"day/{REPO}/2026-02-15"]
        == "2026-02-16T01:00:00+00:00"
    )


def test_redaction_takes_the_url_apart() -> None:
    secrets = notify_channel.Secrets(
        url="https://oapi.dingtalk.com/robot/send?access_token=abc123def456", secret="SECxyz789"
    )
    said = secrets.redact(
        "token abc123def456 failed for /robot/send?access_token=abc123def456 with SECxyz789"
    )
    assert "abc123def456" not in said and "SECxyz789" not in said


def test_days_of_other_repositories_start_on_their_own(tmp_path: Path) -> None:
    clock = Clock()
    other = replace(small_day(), repo="ai-dynamo/dynamo", key="day/ai-dynamo/dynamo/2026-02-15")
    with serve("slack", clock) as server:
        delivery = run(
            [target("slack")],
            [small_day(), other],
            tmp_path,
            env_of(server),
            clock,
            covered=[(REPO, DAY)],
        )
    assert delivery.sent == [f"team-slack: day/{REPO}/2026-02-15"]
