"""Slack incoming webhooks: `POST {"text": ...}` in mrkdwn; Slack answers `ok` (HTTP 200)
or an error word with a 4xx/5xx status (`invalid_payload`, `channel_is_archived`, ...).

`text` is cut by Slack beyond 40,000 characters; links are `<url|label>`; `&`, `<` and `>`
in strangers' text are the HTML entities Slack asks for, so none opens a mention, a
channel link or a link. Link previews are turned off: one message, no cards under it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from generator.config.notify import NotifyTarget
from generator.notify import layout, text
from generator.notify.channel import (
    DeliveryFailed,
    Secrets,
    post,
    quote,
    status_failure,
    to_json,
)
from generator.notify.message import Notice

TEXT_LIMIT = 40_000
"""Characters of `text` Slack keeps."""
STYLE = layout.Style(
    text=text.slack,
    link=lambda label, url: f"<{url}|{label}>",
    bold=lambda s: f"*{s}*",
)


class Slack:
    rate = ((1, 1.0),)
    """Slack allows about one message a second per incoming webhook."""

    def format(self, notice: Notice) -> dict[str, Any]:
        return layout.fit(
            len(notice.commits),
            lambda shown: {
                "text": layout.render(notice, shown, STYLE),
                "unfurl_links": False,
                "unfurl_media": False,
            },
            lambda message: len(message["text"]),
            TEXT_LIMIT,
        )

    def send(
        self, message: dict[str, Any], target: NotifyTarget, secrets: Secrets, now: datetime
    ) -> None:
        answer = post(secrets.url, to_json(message), {}, secrets)
        if answer.status != 200:
            raise status_failure(answer, secrets)
        if answer.text.strip() != "ok":
            said = quote(answer.text, secrets)
            raise DeliveryFailed(f"the webhook answered {said!r} instead of 'ok'")
