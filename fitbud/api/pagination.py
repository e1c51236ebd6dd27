"""Turn a select() into one page, filling in the total that the X-Pagination header reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from fitbud.extensions import db

_TOTAL = "pagination_total"


def paginate(statement: Select, pagination_parameters: Any) -> list[Any]:
    """The requested page of `statement`'s first column (its model, usually).

    One statement: the total rides along on every row as a window count, so a page costs a
    single round trip. Only a page past the end (no rows to carry it) asks for the count apart.
    A DISTINCT select is counted apart always: its window would count rows before DISTINCT.
    """
    rows = page_rows(statement, pagination_parameters)
    return [row[0] for row in rows]


def page_rows(statement: Select, pagination_parameters: Any) -> list[Any]:
    """The requested page as rows of every selected column (plus the total, which schemas ignore)."""
    page_size = pagination_parameters.page_size
    offset = (pagination_parameters.page - 1) * page_size
    if statement._distinct:
        pagination_parameters.item_count = _count(statement)
        return list(db.session.execute(statement.limit(page_size).offset(offset)).all())
    counted = statement.add_columns(func.count().over().label(_TOTAL)).limit(page_size).offset(offset)
    rows = db.session.execute(counted).all()
    if rows:
        pagination_parameters.item_count = rows[0][-1]
    else:
        pagination_parameters.item_count = _count(statement) if offset else 0
    return rows


def _count(statement: Select) -> int:
    return db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
