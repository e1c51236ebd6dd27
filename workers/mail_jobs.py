"""Jobs that send email through the mail backend."""

from __future__ import annotations

from fitbud.mail import send_mail
from workers.context import job_context


def send_email_job(to: str, subject: str, body: str) -> None:
    """Send one email (queued so a slow mail server never delays a request)."""
    with job_context():
        send_mail(to, subject, body)
