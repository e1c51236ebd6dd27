"""Alembic environment: runs inside the Flask app so it migrates the app's own database."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

import fitbud.models  # noqa: F401 - autogenerate only sees models that were imported
from fitbud.models.base import UTCDateTime

config = context.config
if config.config_file_name is not None:
    # Keep the app's loggers alive when migrations run inside it (tests, `make run`).
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def _engine():
    return target_db.engine


config.set_main_option(
    "sqlalchemy.url", _engine().url.render_as_string(hide_password=False).replace("%", "%%")
)


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as the plain column type it is stored as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_options():
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("compare_type", True)
    options["render_item"] = render_item
    return options


def run_migrations_offline():
    """Emit SQL to the script output instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        **_configure_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations against the app's engine."""

    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    options = _configure_options()
    if options.get("process_revision_directives") is None:
        options["process_revision_directives"] = process_revision_directives

    with _engine().connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
