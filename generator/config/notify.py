"""`notify:`: where the day's reports are sent besides the site (chat groups, webhooks, mail).

Every secret (a webhook's URL, a signing key, an SMTP password) is named here by the
environment variable that holds it, never written into the config.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from generator.config.base import Strict

NotifyType = Literal["slack", "feishu", "dingtalk", "wecom", "webhook", "email"]
NotifyWhat = Literal["day", "watch", "high", "week"]
SIGNED = ("feishu", "dingtalk", "webhook")
"""The types whose messages carry a signature made with `secret_env`."""
_EMAIL_KEYS = ("smtp_host", "smtp_port", "username_env", "password_env", "sender", "to")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# One address, no display name: what goes into To/From must not carry a second header.
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")


class NotifyTarget(Strict):
    """One place the reports go: a chat group's robot, a webhook, or mailboxes."""

    name: str
    """Names the target in warnings and in `data/notified.json`; watches name it too.
    Renaming a target starts it afresh (from the next run's days)."""
    type: NotifyType
    """`slack` (incoming webhook), `feishu` (Feishu/Lark custom bot), `dingtalk` (custom
    robot), `wecom` (WeCom group robot), `webhook` (a signed JSON POST) or `email` (SMTP)."""
    what: NotifyWhat = "day"
    """`day`: each complete repository-day's report; `high`: only days with high-tier
    commits, listing those; `watch`: the commits of the watches that name this target;
    `week`: weekly reports."""
    url_env: str | None = None
    """The variable holding the webhook URL (the URL is a secret: whoever has it can post).
    Required for every type but `email`."""
    secret_env: str | None = None
    """The variable holding the signing secret: Feishu's and DingTalk's signed bots, and
    the HMAC key of `webhook` (header `X-Digest-Signature-256`)."""
    smtp_host: str | None = None
    """`email`: the SMTP server."""
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    """`email`: default 587 with `starttls`, 465 with `ssl`, 25 with `none`."""
    security: Literal["starttls", "ssl", "none"] = "starttls"
    """`email`: STARTTLS on a plain connection, TLS from the start (`ssl`), or none
    (only for a relay on the same machine)."""
    username_env: str | None = None
    password_env: str | None = None
    """`email`: the variables holding the SMTP login (both, or neither for no login)."""
    sender: str | None = Field(default=None, alias="from")
    """`email`: the From address."""
    to: tuple[str, ...] = ()
    """`email`: the recipients."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
            raise ValueError(f"{value!r} is not a name (letters, digits, '-', '_', '.')")
        return value

    @field_validator("url_env", "secret_env", "username_env", "password_env")
    @classmethod
    def _variable(cls, value: str | None) -> str | None:
        if value is not None and not _VARIABLE.fullmatch(value):
            raise ValueError(f"{value!r} is not an environment variable name")
        return value

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str | None) -> str | None:
        if value is not None and not _ADDRESS.fullmatch(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @field_validator("to")
    @classmethod
    def _recipients(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if not _ADDRESS.fullmatch(address):
                raise ValueError(f"{address!r} is not an e-mail address")
        return value

    @model_validator(mode="after")
    def _keys_of_its_type(self) -> NotifyTarget:
        if self.type == "email":
            missing = [k for k in ("smtp_host", "sender", "to") if not getattr(self, k)]
            if missing:
                keys = ", ".join("from" if k == "sender" else k for k in missing)
                raise ValueError(f"type: email needs {keys}")
            if self.url_env or self.secret_env:
                raise ValueError("type: email takes no url_env or secret_env (it uses smtp_host)")
            if (self.username_env is None) != (self.password_env is None):
                raise ValueError("username_env and password_env go together (or neither)")
            return self
        if not self.url_env:
            raise ValueError(f"type: {self.type} needs url_env (the variable with its URL)")
        stray = [
            "from" if k == "sender" else k
            for k in _EMAIL_KEYS
            if getattr(self, k) not in (None, ())
        ]
        if stray:
            raise ValueError(f"{', '.join(stray)}: only for type: email")
        if self.secret_env and self.type not in SIGNED:
            raise ValueError(f"type: {self.type} is not signed; remove secret_env")
        return self

    @property
    def port(self) -> int:
        """The SMTP port, the configured one or the default of `security`."""
        return self.smtp_port or {"starttls": 587, "ssl": 465, "none": 25}[self.security]

    @property
    def label(self) -> str:
        """How warnings name the target: `'team-moe' (slack)`."""
        return f"'{self.name}' ({self.type})"


def _unique_names(targets: tuple[NotifyTarget, ...]) -> tuple[NotifyTarget, ...]:
    seen = [t.name for t in targets]
    twice = sorted({n for n in seen if seen.count(n) > 1})
    if twice:
        raise ValueError(f"target name used twice: {', '.join(twice)}")
    return targets


NotifyTargets = Annotated[tuple[NotifyTarget, ...], AfterValidator(_unique_names)]
"""`Config.notify`: the targets, their names unique."""


def names(targets: Sequence[NotifyTarget]) -> tuple[str, ...]:
    """The targets' names, as a watch's `notify:` list may name them."""
    return tuple(t.name for t in targets)
