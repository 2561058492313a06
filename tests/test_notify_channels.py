"""Each channel against a local server that checks what its service checks: the shape,
the signature, the size limit, and strangers' text arriving as text."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest

from notify_cases import (
    HOSTILE,
    HOSTILE_AUTHOR,
    SIGNED,
    SITE,
    Clock,
    commit,
    day_url,
    environ,
    huge_day,
    notice,
    raw_text,
    run,
    seen,
    small_day,
    target,
)
from notify_servers import ChatServer, Received

KINDS = ["slack", "feishu", "dingtalk", "wecom", "webhook"]
LIMITS = {"slack": 40_000, "feishu": 20 * 1024, "dingtalk": 20_000, "wecom": 4096}


def serve(kind: str, clock: Clock) -> ChatServer:
    return ChatServer(
        kind, secret=f"SEC{kind}0123456789abcdef" if kind in SIGNED else None, clock=clock.time
    )


def env_of(server: ChatServer) -> dict[str, str]:
    return environ(server.kind, server.url, server.secret)


def listed(received: Received, n: int) -> list[int]:
    """Which of commits 0..n-1 the message lists (by their page links)."""
    text = received.body.decode("utf-8")
    return [i for i in range(n) if f"/{i:04d}abababab/" in text]


# -- tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_day_arrives_once_in_the_services_shape(kind: str, tmp_path: Path) -> None:
    clock = Clock()
    with serve(kind, clock) as server:
        first = run([target(kind)], [small_day()], tmp_path, env_of(server), clock)
        again = run([target(kind)], [small_day()], tmp_path, env_of(server), clock)
    assert first.sent == [f"team-{kind}: day/sgl-project/sglang/2026-02-15"]
    assert first.warnings == [] and again.sent == [] and again.warnings == []
    assert len(server.received) == 1 and server.received[0].accepted, server.received[0].refusal
    received = server.received[0]
    if kind == "webhook":
        body = received.json
        assert body["key"] == "day/sgl-project/sglang/2026-02-15"
        assert body["counts"] == {"high": 1, "medium": 1, "low": 1}
        assert [c["tier"] for c in body["commits"]] == ["high", "medium", "low"]
        assert body["commits"][0]["interface_changes"][0]["name"] == "--max-running-requests"
        assert received.headers["X-Digest-Delivery"] == body["key"]
        return
    shown, links = seen(received)
    assert "sgl-project/sglang daily report 2026-02-15" in shown
    assert "3 commits | 🔴 high 1 | 🟡 medium 1 | 🟢 low 1" in shown
    assert "Rewrites the scheduler's batching." in shown  # high: with its summary
    assert "--max-running-requests default changed: None → 128" in shown
    assert day_url() in links
    assert all(link.startswith((SITE, "https://github.com/sgl-project/sglang/")) for link in links)
    assert len([link for link in links if link.startswith(f"{SITE}commits/")]) == 3


@pytest.mark.parametrize("kind", KINDS)
def test_strangers_text_arrives_as_text(kind: str, tmp_path: Path) -> None:
    clock = Clock()
    hostile = notice([commit(1, "high", subject=HOSTILE, author=HOSTILE_AUTHOR, summary=HOSTILE)])
    with serve(kind, clock) as server:
        delivery = run([target(kind)], [hostile], tmp_path, env_of(server), clock)
    assert delivery.warnings == [] and server.received[0].accepted
    received = server.received[0]
    if kind == "webhook":  # data for a program: exactly as recorded
        assert received.json["commits"][0]["subject"] == HOSTILE
        assert received.json["commits"][0]["author"] == HOSTILE_AUTHOR
        return
    raw = raw_text(received)
    shown, links = seen(received)
    assert HOSTILE in shown and f"— {HOSTILE_AUTHOR}" in shown  # shown as written
    assert not [link for link in links if "evil" in link]
    # Feishu's text elements are never markup: only mentions and bare URLs could act there.
    markup = () if kind == "feishu" else ("<!channel>", "<script", "<@")
    for live in ("@all", "@here", "https://evil", *markup):
        assert live not in raw, live
    if kind in ("dingtalk", "wecom"):
        rendered = markdown.markdown(raw)
        assert "<script" not in rendered and 'evil.example"' not in rendered
        assert "<em>" not in rendered and "<code>" not in rendered
    if kind == "feishu":
        post = next(iter(received.json["content"]["post"].values()))
        assert {e["tag"] for p in post["content"] for e in p} <= {"text", "a"}  # no `at`


@pytest.mark.parametrize("kind", ["slack", "feishu", "dingtalk", "wecom"])
def test_a_huge_day_fits_cutting_the_lower_tiers_first(kind: str, tmp_path: Path) -> None:
    clock = Clock()
    day = huge_day()
    with serve(kind, clock) as server:
        delivery = run([target(kind)], [day], tmp_path, env_of(server), clock)
    assert delivery.warnings == [], delivery.warnings
    received = server.received[0]
    assert received.accepted, received.refusal
    shown_ids = listed(received, 300)
    kept = len(shown_ids)
    assert shown_ids == list(range(kept)) and 0 < kept < 300  # a prefix: high first
    shown, _ = seen(received)
    assert f"… and {300 - kept} more (" in shown
    size = {
        "slack": len(received.json.get("text", "")),
        "feishu": len(received.body),
        "dingtalk": len(raw_text(received)),
        "wecom": len(raw_text(received).encode()),
    }[kind]
    assert LIMITS[kind] * 0.8 < size <= LIMITS[kind]  # full, within the limit
    if kind != "wecom":  # 4,096 bytes hold fewer than the 10 high commits
        assert kept >= 10


def test_a_huge_day_goes_whole_to_a_webhook(tmp_path: Path) -> None:
    clock = Clock()
    with serve("webhook", clock) as server:
        run([target("webhook")], [huge_day()], tmp_path, env_of(server), clock)
    assert len(server.received[0].json["commits"]) == 300


@pytest.mark.parametrize("kind", SIGNED)
def test_a_wrong_secret_is_refused_and_named_without_the_secret(kind: str, tmp_path: Path) -> None:
    clock = Clock()
    with serve(kind, clock) as server:
        env = environ(kind, server.url, "SEC-not-the-right-one-42")
        delivery = run([target(kind)], [small_day()], tmp_path, env, clock)
    assert server.received[0].refusal == "signature"
    expected = {
        "feishu": "Feishu refused it: code 19021: sign match fail or timestamp is not within",
        "dingtalk": "DingTalk refused it: errcode 310000: sign not match",
        "webhook": "HTTP 401 from the webhook: bad signature",
    }[kind]
    assert len(delivery.warnings) == 1 and expected in delivery.warnings[0]
    assert "SEC-not-the-right-one-42" not in delivery.warnings[0]
    assert server.token not in delivery.warnings[0]


@pytest.mark.parametrize("kind", ["feishu", "dingtalk"])
def test_a_stale_timestamp_is_refused(kind: str, tmp_path: Path) -> None:
    clock = Clock()
    with serve(kind, clock) as server:
        server.clock = lambda: clock.now + 2 * 3600  # the service's clock is two hours ahead
        delivery = run([target(kind)], [small_day()], tmp_path, env_of(server), clock)
    assert server.received[0].refusal == "signature" and len(delivery.warnings) == 1


def test_the_webhook_signature_is_githubs(tmp_path: Path) -> None:
    import hashlib
    import hmac

    clock = Clock()
    with serve("webhook", clock) as server:
        run([target("webhook")], [small_day()], tmp_path, env_of(server), clock)
    received = server.received[0]
    assert server.secret
    good = hmac.new(server.secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Digest-Signature-256"] == f"sha256={good}"
    assert received.headers["X-Digest-Event"] == "day"
    assert json.loads(received.body)["version"] == 1


def test_chinese_labels(tmp_path: Path) -> None:
    clock = Clock()
    with serve("wecom", clock) as server:
        run([target("wecom")], [small_day(language="zh")], tmp_path, env_of(server), clock)
    shown, _ = seen(server.received[0])
    assert "sgl-project/sglang 每日更新报告 2026-02-15" in shown
    assert "本日共 3 个提交 | 🔴高 1 | 🟡中 1 | 🟢低 1" in shown
    assert "🔴 高（1）" in shown and "查看日报" in shown
