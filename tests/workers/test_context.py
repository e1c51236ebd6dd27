"""workers.context: a forked work horse must not reuse the parent's database connections."""

import os

from sqlalchemy import text

from fitbud.extensions import db
from workers import context


def _pool_seen_by_a_forked_job(parent_pool) -> bytes:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the work horse
        try:
            with context.job_context():
                os.write(write_end, b"fresh" if db.engine.pool is not parent_pool else b"shared")
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    return os.read(read_end, 16)


def test_a_job_in_the_same_process_keeps_the_pool(app):
    with context.job_context():
        pool = db.engine.pool
    with context.job_context():
        assert db.engine.pool is pool


def test_a_forked_work_horse_gets_a_fresh_connection_pool(app):
    with context.job_context(), db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # the parent now holds a pooled connection
    parent_pool = db.engine.pool

    assert _pool_seen_by_a_forked_job(parent_pool) == b"fresh"
    assert db.engine.pool is parent_pool  # the parent's connections were left alone
