"""Turn a select() into one page, filling in the total that the X-Pagination header reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from fitbud.extensions import db


def paginate(statement: Select, pagination_parameters: Any) -> list[Any]:
    """The requested page of `statement`'s rows; two queries: a count and the page."""
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    pagination_parameters.item_count = total
    page_size = pagination_parameters.page_size
    offset = (pagination_parameters.page - 1) * page_size
    return list(db.session.execute(statement.limit(page_size).offset(offset)).scalars())
