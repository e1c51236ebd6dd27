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


@fitbud_cli.command("load-exercises")
def load_exercises_command() -> None:
    """Load the built-in exercise library again (upsert by slug; running it twice changes nothing)."""
    from fitbud.services.exercises import reload_builtin_library

    result = reload_builtin_library()
    click.echo(
        f"Built-in exercises: {result.inserted} added, {result.updated} updated, {result.unchanged} unchanged."
    )


def register_cli(app: Flask) -> None:
    """Attach the `fitbud` command group."""
    app.cli.add_command(fitbud_cli)
