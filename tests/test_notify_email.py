"""E-mail through a real SMTP server (aiosmtpd): a text and an HTML part, STARTTLS or TLS
with a login, and failures as warnings without the password."""

from __future__ import annotations

import ssl
from html.parser import HTMLParser
from pathlib import Path

import pytest
import trustme

from generator.config.notify import NotifyTarget
from generator.notify import LEDGER_FILE
from generator.text import WORD_JOINER

from notify_cases import (
    HOSTILE,
    HOSTILE_AUTHOR,
    SITE,
    Clock,
    commit,
    day_url,
    notice,
    run,
    small_day,
    target,
)
from notify_servers import SmtpServer, closed_port

# The test server offers a login on a plain connection (a local relay) and on TLS from
# the start, which aiosmtpd does not count as TLS; it warns of both.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
PASSWORD = "s3cret-smtp-password"
LOGIN = {"SMTP_USER": "digest", "SMTP_PASS": PASSWORD}


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture
def tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A server certificate for 127.0.0.1 from a CA the client is made to trust."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return context


def mail_target(server: SmtpServer, security: str, login: bool = False) -> NotifyTarget:
    extra = {"username_env": "SMTP_USER", "password_env": "SMTP_PASS"} if login else {}
    return target("email", smtp_port=server.port, security=security, **extra)


def test_a_day_arrives_as_text_and_html(tmp_path: Path) -> None:
    clock = Clock()
    with SmtpServer() as server:
        first = run([mail_target(server, "none")], [small_day()], tmp_path, {}, clock)
        again = run([mail_target(server, "none")], [small_day()], tmp_path, {}, clock)
    assert first.sent == ["team-email: day/sgl-project/sglang/2026-02-15"] and again.sent == []
    (mail,) = server.mails
    assert mail.recipients == ["team@example.org"]
    message = mail.message
    assert message["Subject"] == "sgl-project/sglang daily report 2026-02-15"
    assert message["From"] == "digest@example.org" and message["To"] == "team@example.org"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert "3 commits | 🔴 high 1 | 🟡 medium 1 | 🟢 low 1" in plain
    assert f"Day page <{day_url()}>" in plain
    parser = _Html()
    parser.feed(page)
    assert day_url() in parser.links
    assert len([link for link in parser.links if link.startswith(f"{SITE}commits/")]) == 3


def test_strangers_text_is_text_in_both_parts(tmp_path: Path) -> None:
    clock = Clock()
    hostile = notice([commit(1, "high", subject=HOSTILE, author=HOSTILE_AUTHOR, summary=HOSTILE)])
    with SmtpServer() as server:
        run([mail_target(server, "none")], [hostile], tmp_path, {}, clock)
    message = server.mails[0].message
    plain = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    parser = _Html()
    parser.feed(page)
    assert "script" not in parser.tags
    assert not [link for link in parser.links if "evil" in link]
    shown = "".join(parser.text).replace(WORD_JOINER, "")
    assert HOSTILE in shown and HOSTILE_AUTHOR in shown
    for live in ("@all", "@here", "https://evil"):
        assert live not in plain and live not in page
    assert HOSTILE in plain.replace(WORD_JOINER, "")
    assert HOSTILE not in message["Subject"]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_login(security: str, tls: ssl.SSLContext, tmp_path: Path) -> None:
    clock = Clock()
    with SmtpServer(security, "digest", PASSWORD, context=tls) as server:
        delivery = run(
            [mail_target(server, security, login=True)], [small_day()], tmp_path, LOGIN, clock
        )
    assert delivery.warnings == [] and len(server.mails) == 1
    assert PASSWORD not in (tmp_path / LEDGER_FILE).read_text()


def test_an_untrusted_certificate_is_refused(
    tls: ssl.SSLContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing.pem"))
    clock = Clock()
    with SmtpServer("starttls", "digest", PASSWORD, context=tls) as server:
        delivery = run(
            [mail_target(server, "starttls", login=True)], [small_day()], tmp_path, LOGIN, clock
        )
    assert server.mails == []
    assert delivery.warnings == [
        "notify 'team-email' (email): day/sgl-project/sglang/2026-02-15: TLS with the SMTP "
        "server failed (CERTIFICATE_VERIFY_FAILED); it is sent again next run"
    ]


def test_a_refused_login_is_a_warning_without_the_password(tmp_path: Path) -> None:
    clock = Clock()
    wrong = {"SMTP_USER": "digest", "SMTP_PASS": "not-the-password-at-all"}
    with SmtpServer("none", "digest", PASSWORD) as server:
        failed = run(
            [mail_target(server, "none", login=True)], [small_day()], tmp_path, wrong, clock
        )
        retried = run(
            [mail_target(server, "none", login=True)], [small_day()], tmp_path, LOGIN, clock
        )
    assert failed.warnings == [
        "notify 'team-email' (email): day/sgl-project/sglang/2026-02-15: the SMTP login was "
        "refused (535); it is sent again next run"
    ]
    assert "not-the-password-at-all" not in failed.warnings[0]
    assert len(retried.sent) == 1 and len(server.mails) == 1


def test_a_refused_connection_is_a_warning(tmp_path: Path) -> None:
    mailer = target("email", smtp_port=closed_port(), security="none")
    delivery = run([mailer], [small_day()], tmp_path, {}, Clock())
    assert delivery.warnings == [
        "notify 'team-email' (email): day/sgl-project/sglang/2026-02-15: the SMTP server "
        "refused the connection; it is sent again next run"
    ]
