"""workers.context: a forked work horse must not reuse the parent's database connections."""

import os

from sqlalchemy import text

from fitbud.extensions import db
from workers import context


def test_a_forked_work_horse_gets_a_fresh_connection_pool(app, monkeypatch):
    monkeypatch.setattr(context, "_worker_app", app)
    monkeypatch.setattr(context, "_worker_pid", os.getpid())
    with db.engine.connect() as connection:  # the parent now holds a pooled connection
        connection.execute(text("SELECT 1"))
    parent_pool = db.engine.pool
    assert context._app_for_worker() is app and db.engine.pool is parent_pool  # same process: kept

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the work horse
        try:
            context._app_for_worker()
            os.write(write_end, b"fresh" if db.engine.pool is not parent_pool else b"shared")
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    assert os.read(read_end, 16) == b"fresh"
    assert db.engine.pool is parent_pool  # the parent's connections were left alone
