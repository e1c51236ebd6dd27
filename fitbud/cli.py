"""`flask fitbud ...`: operator commands."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from fitbud.auth.roles import Role
from fitbud.demo import DEMO_LOGINS, seed_demo
from fitbud.errors import DomainError
from fitbud.extensions import db
from fitbud.models import Report, ReportStatus, ReportType, utcnow
from fitbud.models.types import EncryptionKeyError
from fitbud.services import reports
from fitbud.services.accounts import create_user, find_user_by_email
from fitbud.services.encryption import rotate_encryption_keys
from fitbud.services.exercises import reload_builtin_library
from fitbud.services.foods import reload_builtin_foods
from fitbud.services.periodic import run_periodic
from fitbud.services.reminders import send_due_reminders

fitbud_cli = AppGroup("fitbud", help="Fitbud administration commands.")


@fitbud_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account."""
    try:
        # The operator vouches for the address of an account they create by hand.
        user = create_user(email, password, name, Role.ADMIN, email_verified_at=utcnow())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(m for messages in error.errors.values() for m in messages)
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    click.echo(f"Admin {user.email} created (id {user.id}).")


@fitbud_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the database with a demo trainer, clients and their history (safe to run twice).

    Refused with FLASK_CONFIG=production: the demo accounts (an admin among them) share a
    password printed in the README.
    """
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException(
            "seed-demo refuses to run with FLASK_CONFIG=production: it creates an admin and other "
            "accounts with the published demo password. For a throwaway demo database, run it "
            "with FLASK_CONFIG=development and the same DATABASE_URL."
        )
    with click.progressbar(length=100, label="Seeding demo data") as bar:
        seed_demo(progress=lambda step: bar.update(step))
    click.echo("\nDemo logins:")
    for role, email, password in DEMO_LOGINS:
        click.echo(f"  {role:<8} {email:<28} {password}")


@fitbud_cli.command("rotate-encryption-keys")
def rotate_encryption_keys_command() -> None:
    """Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS.

    Put the new key first, keep the old ones after it, run this, then remove the old keys.
    """
    try:
        rotated = rotate_encryption_keys()
    except EncryptionKeyError as error:
        raise click.ClickException(str(error)) from None
    for table, rows in rotated.items():
        click.echo(f"{table}: {rows} row(s) re-encrypted with the newest key.")


@fitbud_cli.command("send-due-reminders")
def send_due_reminders_command() -> None:
    """Send session reminders whose time has come (run every few minutes when there is no Redis)."""
    sent, failed = send_due_reminders()
    click.echo(f"Sent {sent} reminder(s).")
    if failed:
        raise click.ClickException(f"{failed} reminder(s) failed; see the log. They will be retried.")


@fitbud_cli.command("periodic")
def periodic_command() -> None:
    """One periodic pass: outbox jobs, due reminders, expired replays, stopped imports (cron it every minute)."""
    result = run_periodic()
    click.echo(
        f"Outbox: {result.outbox_sent} handed over, {result.outbox_failed} to retry. "
        f"Reminders: {result.reminders_sent} sent, {result.reminders_failed} failed. "
        f"Expired replays deleted: {result.replays_purged}. "
        f"Imports whose job died: {result.imports_stopped}."
    )


@fitbud_cli.command("report")
@click.argument("report_type", type=click.Choice(["trainer_monthly", "client_export", "platform"]))
@click.option("--user", "email", required=True, help="Who the report is for (its owner).")
@click.option("--month", help="trainer_monthly: YYYY-MM (default: last month).")
@click.option("--format", "file_format", type=click.Choice(["xlsx", "csv"]), help="trainer_monthly file type.")
@click.option("--client-id", type=int, help="client_export: the client.")
@click.option("--weeks", type=int, help="platform: weeks of history (default 12).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Where to save the file.")
@click.option("--queue", "use_queue", is_flag=True, help="Queue it for the workers and follow its progress.")
def report_command(report_type, email, month, file_format, client_id, weeks, output, use_queue) -> None:
    """Build a report now (or on the workers with --queue) with a progress bar, and save the file."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    params = {
        key: value
        for key, value in {"month": month, "format": file_format, "client_id": client_id, "weeks": weeks}.items()
        if value is not None
    }
    try:
        report = (reports.start_report if use_queue else reports.create_report)(user, ReportType(report_type), params)
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(f"{field}: {m}" for field, messages in error.errors.items() for m in messages)
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    report_id = report.id
    with click.progressbar(length=100, label=f"Report #{report_id}") as bar:
        if use_queue:
            while True:
                db.session.expire_all()
                current = reports.get_report(user, report_id)
                bar.update(current.progress - bar.pos)
                if current.status in (ReportStatus.FINISHED, ReportStatus.FAILED):
                    break
                time.sleep(0.5)
        else:
            reports.execute_report(report_id, on_progress=lambda percent: bar.update(percent - bar.pos))
    db.session.expire_all()
    report = db.session.get(Report, report_id)
    if report.status is not ReportStatus.FINISHED:
        raise click.ClickException(f"Report #{report_id} failed: {report.error}")
    file_name, _content_type, content = reports.report_file(user, report_id)
    path = output or file_name
    with open(path, "wb") as handle:
        handle.write(content)
    click.echo(f"Report #{report_id} saved to {path} ({len(content):,} bytes).")


@fitbud_cli.command("load-exercises")
def load_exercises_command() -> None:
    """Load the built-in exercise library again (upsert by slug; running it twice changes nothing)."""
    result = reload_builtin_library()
    click.echo(
        f"Built-in exercises: {result.inserted} added, {result.updated} updated, {result.unchanged} unchanged."
    )


@fitbud_cli.command("load-foods")
def load_foods_command() -> None:
    """Load the built-in food table again (upsert by slug; running it twice changes nothing)."""
    result = reload_builtin_foods()
    click.echo(f"Built-in foods: {result.inserted} added, {result.updated} updated, {result.unchanged} unchanged.")


def register_cli(app: Flask) -> None:
    """Attach the `fitbud` command group."""
    app.cli.add_command(fitbud_cli)
