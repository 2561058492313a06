"""E-mail through SMTP (`smtplib`): a plain-text part and an HTML part, no size limit.

The connection is TLS from the start (`security: ssl`, port 465) or upgraded with
STARTTLS (`starttls`, port 587, the default), certificates checked against the system's
authorities; `none` is for a relay on the same machine. Strangers' text is HTML-escaped
in the HTML part and its URLs and mentions are broken in both, so a mail client makes
no link of them; only the header fields the config names (From, To) and our own title
are headers, so no commit text can add one.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from generator.config.notify import NotifyTarget
from generator.notify import layout
from generator.notify.channel import DeliveryFailed, Secrets, quote
from generator.notify.message import Notice
from generator.text import neutral, one_line

TIMEOUT = 20.0

PLAIN_STYLE = layout.Style(text=neutral, link=lambda label, url: f"{label} <{url}>")
HTML_STYLE = layout.Style(
    text=lambda s: html.escape(neutral(s)),
    link=lambda label, url: f'<a href="{html.escape(url)}">{label}</a>',
    bold=lambda s: f"<strong>{s}</strong>",
    indent="&nbsp;&nbsp;",
    newline="<br>\n",
    paragraph="\n</p>\n<p>\n",
)


def message(notice: Notice, target: NotifyTarget, now: datetime) -> EmailMessage:
    """The mail: title as subject, the layout as text and as HTML, every commit listed."""
    mail = EmailMessage()
    mail["Subject"] = one_line(layout.title(notice))
    mail["From"] = target.sender or ""
    mail["To"] = ", ".join(target.to)
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = make_msgid(domain="commit-digest.invalid")
    count = len(notice.commits)
    mail.set_content(layout.render(notice, count, PLAIN_STYLE) + "\n")
    body = layout.render(notice, count, HTML_STYLE)
    lang = "zh-CN" if notice.language == "zh" else "en"
    mail.add_alternative(
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"></head>'
        f"<body>\n<p>\n{body}\n</p>\n</body></html>\n",
        subtype="html",
    )
    return mail


class Email:
    rate = ()

    def format(self, notice: Notice) -> Notice:
        return notice  # the mail is made when sent: it carries the time it was sent

    def send(self, notice: Notice, target: NotifyTarget, secrets: Secrets, now: datetime) -> None:
        mail = message(notice, target, now)
        host = target.smtp_host or ""
        try:
            context = ssl.create_default_context()
            if target.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, target.port, timeout=TIMEOUT, context=context
                )
            else:
                smtp = smtplib.SMTP(host, target.port, timeout=TIMEOUT)
            with smtp:
                if target.security == "starttls":
                    smtp.starttls(context=context)
                if secrets.username:
                    smtp.login(secrets.username, secrets.password)
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(
                f"the SMTP login was refused ({exc.smtp_code})", stop=True
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise DeliveryFailed(f"the SMTP server refused the recipients ({codes})") from None
        except smtplib.SMTPResponseException as exc:
            said = quote(exc.smtp_error.decode("utf-8", "replace"), secrets)
            stop = exc.smtp_code >= 400 and exc.smtp_code < 500
            raise DeliveryFailed(
                f"the SMTP server answered {exc.smtp_code}: {said}", stop
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed(
                f"the SMTP server offers no {target.security.upper()} (or no login)", stop=True
            ) from None
        except ssl.SSLError as exc:
            reason = exc.reason or type(exc).__name__
            raise DeliveryFailed(f"TLS with the SMTP server failed ({reason})", stop=True) from None
        except ConnectionRefusedError:
            raise DeliveryFailed("the SMTP server refused the connection", stop=True) from None
        except TimeoutError:
            raise DeliveryFailed(
                f"no answer from the SMTP server within {TIMEOUT:.0f} s", stop=True
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP failed ({type(exc).__name__})", stop=True) from None
