"""Field encryption upkeep: re-encrypt every encrypted column with the newest key (key rotation).

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS and keep the old ones after it (old
data still decrypts), run `flask fitbud rotate-encryption-keys`, then drop the old keys.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, Text, select, type_coerce, update

from fitbud.extensions import db
from fitbud.models import Base
from fitbud.models.types import EncryptedType, rotate_token

BATCH_SIZE = 500


def encrypted_columns() -> list[tuple[Table, list[Column]]]:
    """Every table that has encrypted columns, with those columns (found from the models)."""
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, EncryptedType)]
        if columns:
            found.append((table, columns))
    return found


def _rotate_table(table: Table, columns: list[Column]) -> int:
    (primary_key,) = table.primary_key.columns
    # type_coerce to Text: read and write the stored tokens as they are, without decrypting.
    raw = [type_coerce(column, Text).label(column.name) for column in columns]
    rotated_rows = 0
    last_id = None
    while True:
        statement = select(primary_key, *raw).order_by(primary_key).limit(BATCH_SIZE)
        if last_id is not None:
            statement = statement.where(primary_key > last_id)
        rows = db.session.execute(statement).all()
        if not rows:
            break
        for row in rows:
            values: dict[str, Any] = {
                column.name: type_coerce(rotate_token(row._mapping[column.name]), Text)
                for column in columns
                if row._mapping[column.name] is not None
            }
            if values:
                if "updated_at" in table.columns:
                    # Re-encryption is not an edit: keep the row's timestamp.
                    values["updated_at"] = table.columns["updated_at"]
                db.session.execute(update(table).where(primary_key == row[0]).values(**values))
                rotated_rows += 1
        db.session.commit()
        last_id = rows[-1][0]
    return rotated_rows


def rotate_encryption_keys() -> dict[str, int]:
    """Re-encrypt every stored encrypted value with the newest key; rows rotated per table."""
    return {table.name: _rotate_table(table, columns) for table, columns in encrypted_columns()}
