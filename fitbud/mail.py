"""The only module that talks to a mail server: console, SMTP or in-memory backends."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from flask import Flask, current_app

logger = logging.getLogger("fitbud.mail")
_EXTENSION_KEY = "fitbud.mail"


@dataclass(frozen=True)
class Mail:
    """One outgoing email."""

    to: str
    subject: str
    body: str


class MailBackend(Protocol):
    """Something that can deliver a Mail."""

    def send(self, mail: Mail) -> None: ...


class ConsoleMailBackend:
    """Writes mail to the log: the default, so a fresh checkout needs no mail server.

    With `show_body` off (production) only the address and subject are logged: a body holds
    invitation links and other one-time secrets, which must never reach a log.
    """

    def __init__(self, show_body: bool = True) -> None:
        self.show_body = show_body

    def send(self, mail: Mail) -> None:
        if self.show_body:
            logger.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)
        else:
            logger.info("mail to %s: %s (body not logged in production)", mail.to, mail.subject)


class MemoryMailBackend:
    """Keeps mail in a list; tests read `outbox`."""

    def __init__(self) -> None:
        self.outbox: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.outbox.append(mail)


class SMTPMailBackend:
    """Delivers through an SMTP server from config."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.host = config["SMTP_HOST"]
        self.port = config["SMTP_PORT"]
        self.username = config.get("SMTP_USERNAME")
        self.password = config.get("SMTP_PASSWORD")
        self.use_tls = config["SMTP_USE_TLS"]
        self.sender = config["MAIL_FROM"]

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def init_app(app: Flask) -> None:
    """Pick the backend named by MAIL_BACKEND."""
    backends = {
        "console": lambda: ConsoleMailBackend(show_body=app.config.get("ENV_NAME") != "production"),
        "memory": MemoryMailBackend,
        "smtp": lambda: SMTPMailBackend(app),
    }
    name = app.config.get("MAIL_BACKEND", "console")
    if name not in backends:
        raise ValueError(f"MAIL_BACKEND must be one of {sorted(backends)}, not {name!r}")
    app.extensions[_EXTENSION_KEY] = backends[name]()


def mail_backend() -> MailBackend:
    """The current app's backend (tests may replace it in app.extensions)."""
    return current_app.extensions[_EXTENSION_KEY]


def send_mail(to: str, subject: str, body: str) -> None:
    """Deliver one email now, through the configured backend."""
    mail_backend().send(Mail(to=to, subject=subject, body=body))
