"""What each override of a dependency's private method saves per request, measured in this process.

    python -m bench.overrides [--database-url postgresql+psycopg://...] [--batches 41]

Issue 16: an override of a library's private method stays only if its gain beats the noise;
this prices each against the stock path on the same machine, in the same minute. The overrides
of flask-jwt-extended's decode and flask-limiter's before-request pass were measured with it and
removed (bench/RESULTS.md, 2026-12-07); what is left:

- lean_dump: a 50-row client list page dumped by marshmallow's Schema._serialize, against
  fitbud/api/lean_schema.py's.
- read_transaction (PostgreSQL only): a read request's BEGIN and ROLLBACK round trips, against
  autocommit (fitbud/ext/orm_session.py).

Each figure is the minimum over `--batches` short batches of the mean per call, the two sides'
batches interleaved (the minimum is the least disturbed by other work on a shared machine), in
microseconds. Not run in CI.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

LIST_ROWS = 50


def _pair_us(stock: Callable[[], object], ours: Callable[[], object], calls: int, batches: int) -> tuple[float, float]:
    """Per-call microseconds of both, batches interleaved (so a busy minute hits both alike), min over batches."""
    best = {stock: float("inf"), ours: float("inf")}
    for batch in range(batches):
        for function in (stock, ours) if batch % 2 == 0 else (ours, stock):
            started = time.perf_counter()
            for _ in range(calls):
                function()
            best[function] = min(best[function], (time.perf_counter() - started) / calls)
    return best[stock] * 1e6, best[ours] * 1e6


def _lean_dump(app, batches: int) -> tuple[float, float]:
    from datetime import UTC, datetime

    import marshmallow as ma

    from fitbud.api.clients.schemas import ClientListItemSchema
    from fitbud.models import Client

    now = datetime.now(UTC)
    rows = [
        Client(id=i, trainer_id=1, user_id=None, email=f"c{i}@example.com", name=f"Client {i}", timezone="UTC",
               is_active=True, created_at=now, updated_at=now, last_activity_at=now)
        for i in range(LIST_ROWS)
    ]
    stock_class = type("StockClientListItemSchema", (ClientListItemSchema,), {"_serialize": ma.Schema._serialize})
    with app.test_request_context("/api/v1/clients"):
        ours_schema, stock_schema = ClientListItemSchema(many=True), stock_class(many=True)
        if ours_schema.dump(rows) != stock_schema.dump(rows):
            raise SystemExit("the lean dump differs from marshmallow's: fix that before timing it")
        return _pair_us(lambda: stock_schema.dump(rows), lambda: ours_schema.dump(rows), 5, batches)


def _read_transaction(database_url: str, batches: int) -> tuple[float, float]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    def request(on) -> None:
        with on.connect() as connection:  # what a read request's session does: one statement, then close
            connection.execute(text("SELECT 1"))

    try:
        request(engine)
        return _pair_us(lambda: request(engine), lambda: request(autocommit), 20, batches)
    finally:
        engine.dispose()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL, for the read-transaction figure")
    parser.add_argument("--batches", type=int, default=41)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    from fitbud import create_app

    args = parse_args(argv)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": True})
    figures = {
        "lean_dump": _lean_dump(app, args.batches),
    }
    if args.database_url:
        figures["read_transaction"] = _read_transaction(args.database_url, args.batches)
    print("| override | stock us/call | override us/call | saved us |")
    print("| --- | ---: | ---: | ---: |")
    for name, (stock, ours) in figures.items():
        print(f"| {name} | {stock:.1f} | {ours:.1f} | {stock - ours:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
