"""`flask fitbud ...`: operator commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from fitbud.auth.roles import Role

fitbud_cli = AppGroup("fitbud", help="Fitbud administration commands.")


@fitbud_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account."""
    from fitbud.errors import DomainError
    from fitbud.extensions import db
    from fitbud.services.accounts import create_user

    try:
        user = create_user(email, password, name, Role.ADMIN)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(m for messages in error.errors.values() for m in messages)
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    click.echo(f"Admin {user.email} created (id {user.id}).")


@fitbud_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the database with a demo trainer, clients and their history (safe to run twice)."""
    from fitbud.demo import DEMO_LOGINS, seed_demo

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
    from fitbud.models.types import EncryptionKeyError
    from fitbud.services.encryption import rotate_encryption_keys

    try:
        rotated = rotate_encryption_keys()
    except EncryptionKeyError as error:
        raise click.ClickException(str(error)) from None
    for table, rows in rotated.items():
        click.echo(f"{table}: {rows} row(s) re-encrypted with the newest key.")


@fitbud_cli.command("send-due-reminders")
def send_due_reminders_command() -> None:
    """Send session reminders whose time has come (run every few minutes when there is no Redis)."""
    from fitbud.services.reminders import send_due_reminders

    sent, failed = send_due_reminders()
    click.echo(f"Sent {sent} reminder(s).")
    if failed:
        raise click.ClickException(f"{failed} reminder(s) failed; see the log. They will be retried.")


def register_cli(app: Flask) -> None:
    """Attach the `fitbud` command group."""
    app.cli.add_command(fitbud_cli)
