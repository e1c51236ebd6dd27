"""What a report says when its RQ job failed outside the report's code: read from the job's traceback."""

from __future__ import annotations

import traceback

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.timeouts import JobTimeoutException
from sqlalchemy.exc import OperationalError

from fitbud.services.reports import job_failure_reason


def traceback_of(error: BaseException) -> str:
    """The exc_string RQ stores for a job that raised `error`."""
    try:
        raise error
    except BaseException as raised:  # noqa: BLE001  # any error, as RQ catches it
        return "".join(traceback.format_exception(raised))


def test_a_database_outage_says_the_database_was_unavailable_not_the_sqlalchemy_link():
    lost = OperationalError(
        "UPDATE reports SET progress=%(progress)s WHERE reports.id = %(id)s",
        {"progress": 16, "id": 7},
        Exception("consuming input failed: server closed the connection unexpectedly"),
    )
    exc_string = traceback_of(lost)
    assert exc_string.strip().splitlines()[-1].startswith("(Background on this error")

    reason = job_failure_reason(exc_string)

    assert reason == "The database was unavailable: consuming input failed: server closed the connection unexpectedly"


def test_a_redis_outage_names_a_service_unavailable():
    reason = job_failure_reason(traceback_of(RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")))

    assert reason == "A service the report needs was unavailable: Error 111 connecting to 127.0.0.1:6379."


def test_a_job_past_its_timeout_says_how_long_it_was_allowed(app):
    reason = job_failure_reason(traceback_of(JobTimeoutException("Task exceeded maximum timeout value (300 seconds)")))

    assert reason == f"The report took longer than {app.config['REPORT_JOB_TIMEOUT']} seconds and was stopped."


@pytest.mark.parametrize(
    ("exc_string", "reason"),
    [
        (
            "Work-horse terminated unexpectedly; waitpid returned 9 (signal 9); ",
            "The worker stopped the job: Work-horse terminated unexpectedly; waitpid returned 9 (signal 9);",
        ),
        (traceback_of(ValueError("math domain error")), "The worker stopped the job: ValueError: math domain error"),
        (None, "The worker stopped the job."),
    ],
    ids=["killed-work-horse", "other-error", "no-traceback"],
)
def test_other_failures_say_the_worker_stopped_the_job(exc_string, reason):
    assert job_failure_reason(exc_string) == reason
