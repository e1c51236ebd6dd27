"""Per-account quotas on work every tenant pays for: report jobs on the shared queue, invitation emails.

Beyond a quota the service raises TooManyRequestsError: 429 with Retry-After in the API's error
envelope, an alert on a dashboard page. The counts are kept like the password budgets
(services/attempt_limits.py): in the rate limiter's storage, Redis in production, so every
process shares them, and they survive deleting the clients or reports they were spent on.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from fitbud.errors import TooManyRequestsError
from fitbud.extensions import db
from fitbud.models import Report, ReportStatus, ReportType, User
from fitbud.services.attempt_limits import spend

# A running report usually finishes within a minute; asking again sooner only polls.
RUNNING_REPORT_RETRY_AFTER = 30
RUNNING = (ReportStatus.QUEUED, ReportStatus.STARTED)


def invitation_quota_for(user: User) -> str:
    """How many invitation emails `user` may send (flask-limiter syntax, e.g. "20/hour;50/day").

    The one place to make some accounts stricter: an account whose address is unproven gets
    INVITATION_QUOTA_UNVERIFIED. (Today services/identity.py refuses such an account any
    invitation first, 403 email_unverified; this quota is the second line should that rule
    ever be relaxed.)
    """
    if not user.email_verified:
        return str(current_app.config["INVITATION_QUOTA_UNVERIFIED"])
    return str(current_app.config["INVITATION_QUOTA"])


def spend_invitation(trainer_id: int) -> None:
    """Count one invitation email sent by trainer `trainer_id`; 429 with Retry-After beyond their quota."""
    trainer = db.session.get_one(User, trainer_id)
    spend(
        "invitations",
        f"user:{trainer_id}",
        invitation_quota_for(trainer),
        "You have sent as many invitations as your account may for now; try again in {wait}.",
    )


def start_report_allowed(user: User, report_type: ReportType) -> None:
    """Refuse (429) a second running report of one kind, or a report beyond the account's quota.

    Call it in the transaction that records the report: the account's row is locked (on
    PostgreSQL) so two requests at once cannot both see none running.
    """
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    running = db.session.execute(
        select(Report.id)
        .where(Report.owner_id == user.id, Report.type == report_type, Report.status.in_(RUNNING))
        .limit(1)
    ).scalar_one_or_none()
    if running is not None:
        raise TooManyRequestsError(
            f"Your previous {report_type.value} report (report {running}) is still running; "
            "wait for it to finish before asking for another.",
            retry_after=RUNNING_REPORT_RETRY_AFTER,
            errors={"type": [f"a {report_type.value} report is already running (report {running})"]},
        )
    spend(
        "reports",
        f"user:{user.id}",
        str(current_app.config["REPORT_QUOTA"]),
        "You have asked for as many reports as your account may for now; try again in {wait}.",
    )
