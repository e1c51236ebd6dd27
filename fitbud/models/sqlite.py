"""SQLite needs foreign keys switched on per connection, or ON DELETE rules silently do nothing."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from fitbud.extensions import db


def enable_sqlite_foreign_keys(app: Flask) -> None:
    """Turn on PRAGMA foreign_keys for every new SQLite connection of this app."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
