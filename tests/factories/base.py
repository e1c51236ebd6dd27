"""The factory base: models are saved through the app's session and committed."""

from __future__ import annotations

from factory.alchemy import SQLAlchemyModelFactory

from fitbud.extensions import db


class BaseFactory(SQLAlchemyModelFactory):
    """Commit each object so the app's requests (their own sessions) see it."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"
