"""`notify:` in digest.yml: each mistake one line naming the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import parse_config
from generator.config.notify import names
from generator.errors import ConfigError

BASE = {"site_url": "https://example.org/", "repos": [{"name": "o/r", "path": "clone"}]}


def parse(*targets: dict[str, Any]) -> Any:
    return parse_config({**BASE, "notify": list(targets)}, base=Path("/srv"))


def error(*targets: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(*targets)
    return str(caught.value).removeprefix("digest.yml: ")


def test_every_type_parses() -> None:
    config = parse(
        {"name": "team-moe", "type": "slack", "url_env": "MOE_WEBHOOK", "what": "high"},
        {"name": "fs", "type": "feishu", "url_env": "FS_URL", "secret_env": "FS_SECRET"},
        {"name": "dd", "type": "dingtalk", "url_env": "DD_URL", "secret_env": "DD_SECRET"},
        {"name": "wc", "type": "wecom", "url_env": "WC_URL"},
        {"name": "hook", "type": "webhook", "url_env": "HOOK_URL", "secret_env": "HOOK_KEY"},
        {
            "name": "mail",
            "type": "email",
            "smtp_host": "smtp.example.org",
            "security": "ssl",
            "username_env": "SMTP_USER",
            "password_env": "SMTP_PASS",
            "from": "digest@example.org",
            "to": ["a@example.org", "b@example.org"],
        },
    )
    assert names(config.notify) == ("team-moe", "fs", "dd", "wc", "hook", "mail")
    assert config.notify[0].what == "high" and config.notify[1].what == "day"
    mail = config.notify[5]
    assert mail.sender == "digest@example.org" and mail.port == 465
    assert parse().notify == ()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            {"name": "a", "type": "slack"},
            "notify[0]: type: slack needs url_env (the variable with its URL)",
        ),
        (
            {"name": "a", "type": "slack", "url_env": "X", "secret_env": "Y"},
            "notify[0]: type: slack is not signed; remove secret_env",
        ),
        ({"name": "a", "type": "email", "smtp_host": "h"}, "notify[0]: type: email needs from, to"),
        (
            {
                "name": "a",
                "type": "email",
                "smtp_host": "h",
                "from": "a@b.c",
                "to": ["x@y.z"],
                "url_env": "U",
            },
            "notify[0]: type: email takes no url_env or secret_env (it uses smtp_host)",
        ),
        (
            {"name": "a", "type": "wecom", "url_env": "U", "smtp_host": "h"},
            "notify[0]: smtp_host: only for type: email",
        ),
        (
            {
                "name": "a",
                "type": "email",
                "smtp_host": "h",
                "from": "a@b.c",
                "to": ["x@y.z"],
                "username_env": "U",
            },
            "notify[0]: username_env and password_env go together (or neither)",
        ),
        ({"name": "a", "type": "teams", "url_env": "U"}, "notify[0].type: "),
        ({"name": "a", "type": "slack", "url_env": "U", "what": "all"}, "notify[0].what: "),
        (
            {"name": "a", "type": "slack", "url_env": "https://hooks.slack.com/x"},
            "is not an environment variable name",
        ),
        ({"name": "a", "type": "slack", "url": "https://x"}, "notify[0].url: unknown key"),
        (
            {
                "name": "a",
                "type": "email",
                "smtp_host": "h",
                "from": "a@b.c",
                "to": ["x@y.z\nBcc: z@q.r"],
            },
            "is not an e-mail address",
        ),
    ],
)
def test_mistakes_name_the_key(target: dict[str, Any], message: str) -> None:
    assert message in error(target)


def test_names_are_unique() -> None:
    slack = {"name": "team", "type": "slack", "url_env": "U"}
    assert error(slack, slack) == "notify: target name used twice: team"
