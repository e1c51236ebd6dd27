"""seed-demo gives the demo trainer packages and past payments, so revenue shows; twice is once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fitbud.demo.accounts import DEMO_TRAINER_EMAIL, seed_accounts
from fitbud.demo.billing import seed_billing
from fitbud.extensions import db
from fitbud.models import BillingPackage, Payment, Subscription, SubscriptionStatus, utcnow
from fitbud.services.accounts import find_user_by_email
from fitbud.services.billing import monthly_revenue


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (BillingPackage, Subscription, Payment)
    )


def test_seed_demo_gives_the_trainer_two_packages_and_revenue(app):
    # Billing needs only the accounts step; the whole-demo run is covered by tests/test_cli.py.
    seed_billing(seed_accounts())

    trainer = find_user_by_email(DEMO_TRAINER_EMAIL)
    packages = (
        db.session.execute(select(BillingPackage).where(BillingPackage.trainer_id == trainer.id))
        .scalars()
        .all()
    )
    assert len(packages) == 2
    today = utcnow().date()
    rows = monthly_revenue(trainer.id, today - timedelta(days=200), today + timedelta(days=1))
    assert len({row.month for row in rows}) >= 3
    assert {row.package_id for row in rows} == {package.id for package in packages}
    statuses = db.session.execute(select(Subscription.status)).scalars().all()
    assert SubscriptionStatus.PAST_DUE in statuses
