"""Notifications: each complete day's report sent where teams talk (Slack, Feishu,
DingTalk, WeCom, a signed webhook, e-mail), once per target, as `data/notified.json`
records. `build_notices` finds what the targets lack; `deliver` sends it."""

from __future__ import annotations

from generator.notify.ledger import LEDGER_FILE, Ledger
from generator.notify.message import Notice, NoticeCommit, day_key, watch_key, week_key
from generator.notify.notices import build_notices
from generator.notify.sink import Delivery, check_targets, deliver

__all__ = [
    "LEDGER_FILE",
    "Delivery",
    "Ledger",
    "Notice",
    "NoticeCommit",
    "build_notices",
    "check_targets",
    "day_key",
    "deliver",
    "watch_key",
    "week_key",
]
