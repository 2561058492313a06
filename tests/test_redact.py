from __future__ import annotations

import pytest

from generator.redact import redact

KEY_BLOCK = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAA\n"
    "-----END OPENSSH PRIVATE KEY-----"
)


@pytest.mark.parametrize(
    ("secret", "kind"),
    [
        ("ghp_" + "a1B2" * 9, "github-token"),
        ("github_pat_" + "x" * 60, "github-token"),
        ("AKIAIOSFODNN7EXAMPLE", "aws-access-key"),
        ("sk-proj-" + "Ab3" * 12, "openai-key"),
        ("xoxb-123456789012-abcdefghij", "slack-token"),
        ("AIza" + "B" * 35, "google-api-key"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", "jwt"),
        (KEY_BLOCK, "private-key"),
    ],
)
def test_known_secret_shapes_are_replaced(secret, kind):
    diff = f"+config = load()\n+KEY_VALUE({secret!r})\n+done\n"
    text, count = redact(diff)
    assert secret not in text
    assert f"[REDACTED:{kind}]" in text
    assert count == 1
    assert text.startswith("+config = load()\n") and text.endswith("+done\n")


def test_assigned_secrets_and_url_credentials():
    diff = (
        '+DB_PASSWORD = "hunter2hunter2"\n+url = "https://bob:s3cretpass@db.example.org/x"\n'
        "+SERVICE_API_TOKEN=abcdefgh12345678\n"
    )
    text, count = redact(diff)
    assert "hunter2hunter2" not in text and "s3cretpass" not in text
    assert "abcdefgh12345678" not in text
    assert '+DB_PASSWORD = "[REDACTED:assigned-secret]"' in text
    assert "https://[REDACTED:url-credentials]@db.example.org/x" in text
    assert "+SERVICE_API_TOKEN=[REDACTED:assigned-secret]" in text
    assert count == 3


def test_ordinary_code_is_untouched():
    diff = "+def tokenize(text):\n+    max_tokens = 4096\n+    password_field = form.get('pw')\n"
    assert redact(diff) == (diff, 0)
