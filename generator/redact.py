"""Secret-looking strings in diffs are replaced before any text leaves the machine.

Commit diffs sometimes carry credentials someone pushed by mistake. An LLM
endpoint is a third party: what it receives must not include them. Each
pattern names the kind of secret, so the model (and a reader of the prompt)
still knows something was there.
"""

from __future__ import annotations

import re

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|\Z)", re.S
        ),
    ),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("openai-key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("url-credentials", re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)")),
)
_SECRET_NAME = r"[\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key)[\w.-]*"
# `password = "..."`, `"api_key": "..."`: a quoted literal after a secret-sounding name.
# Only literals count, so `password_field = form.get(...)` stays as it is.
ASSIGNMENT = re.compile(
    rf"(?P<name>\b{_SECRET_NAME}[\"']?\s*[:=]\s*)(?P<quote>[\"'])(?P<value>[^\"'\s]{{8,}})(?P=quote)",
    re.IGNORECASE,
)
# `.env` files: `API_TOKEN=abc...` on a line of its own (diff prefix allowed).
ENV_LINE = re.compile(rf"(?im)^(?P<name>[+\- ]?{_SECRET_NAME}=)(?P<quote>)(?P<value>[^\s(]{{8,}})$")


def redact(text: str) -> tuple[str, int]:
    """The text with secrets replaced by `[REDACTED:<kind>]`, and how many were replaced."""
    count = 0
    for kind, pattern in PATTERNS:
        text, n = pattern.subn(f"[REDACTED:{kind}]", text)
        count += n

    def assignment(match: re.Match[str]) -> str:
        nonlocal count
        if match.group("value").startswith("[REDACTED"):
            return match.group(0)
        count += 1
        quote = match.group("quote")
        return f"{match.group('name')}{quote}[REDACTED:assigned-secret]{quote}"

    text = ASSIGNMENT.sub(assignment, text)
    return ENV_LINE.sub(assignment, text), count
