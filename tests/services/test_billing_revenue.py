"""Monthly revenue by package (months in the trainer's timezone), summed by the database, and subscription statuses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from fitbud.extensions import db
from fitbud.models import PaymentStatus, SubscriptionStatus
from fitbud.services.billing import RevenueRow, monthly_revenue, subscription_statuses
from tests.factories import (
    BillingPackageFactory,
    ClientFactory,
    PaymentFactory,
    SubscriptionFactory,
)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_monthly_revenue_sums_per_month_package_and_currency(trainer, client_record):
    monthly = BillingPackageFactory(trainer=trainer, name="Monthly")
    pack = BillingPackageFactory(trainer=trainer, name="Ten sessions")
    for day in ("2026-01-03", "2026-01-20"):
        PaymentFactory(client=client_record, package=monthly, paid_at=_at(f"{day}T09:00:00"))
    PaymentFactory(
        client=client_record, package=pack, amount=45000, paid_at=_at("2026-01-15T09:00:00")
    )
    PaymentFactory(client=client_record, package=monthly, paid_at=_at("2026-02-03T09:00:00"))
    PaymentFactory(
        client=client_record,
        package=monthly,
        currency="usd",
        amount=5500,
        paid_at=_at("2026-02-04T09:00:00"),
    )

    rows = monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 3, 1))

    assert rows == [
        RevenueRow("2026-01", monthly.id, "Monthly", "eur", 9800),
        RevenueRow("2026-01", pack.id, "Ten sessions", "eur", 45000),
        RevenueRow("2026-02", monthly.id, "Monthly", "eur", 4900),
        RevenueRow("2026-02", monthly.id, "Monthly", "usd", 5500),
    ]


def test_a_month_is_the_trainers_own(trainer, client_record):
    sydney = ZoneInfo("Australia/Sydney")  # UTC+11 in summer
    monthly = BillingPackageFactory(trainer=trainer)
    # 13:30 UTC on 31 January is 00:30 on 1 February in Sydney; 12:30 UTC is still January there.
    PaymentFactory(client=client_record, package=monthly, amount=1000, paid_at=_at("2026-01-31T12:30:00"))
    PaymentFactory(client=client_record, package=monthly, amount=2000, paid_at=_at("2026-01-31T13:30:00"))

    in_sydney = monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 3, 1), sydney)
    in_utc = monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 3, 1))

    assert [(row.month, row.amount) for row in in_sydney] == [("2026-01", 1000), ("2026-02", 2000)]
    assert [(row.month, row.amount) for row in in_utc] == [("2026-01", 3000)]


def test_the_range_is_in_the_trainers_days_across_a_dst_change(trainer, client_record):
    london = ZoneInfo("Europe/London")  # BST (UTC+1) from 29 March 2026
    monthly = BillingPackageFactory(trainer=trainer)
    # 1 April 00:30 in London is 31 March 23:30 UTC: April's, and inside [April, May).
    PaymentFactory(client=client_record, package=monthly, amount=1500, paid_at=_at("2026-03-31T23:30:00"))
    # 30 April 23:30 in London is 22:30 UTC; 1 May 00:30 in London is 30 April 23:30 UTC: May's.
    PaymentFactory(client=client_record, package=monthly, amount=2500, paid_at=_at("2026-04-30T22:30:00"))
    PaymentFactory(client=client_record, package=monthly, amount=9999, paid_at=_at("2026-04-30T23:30:00"))

    rows = monthly_revenue(trainer.id, date(2026, 4, 1), date(2026, 5, 1), london)

    assert [(row.month, row.amount) for row in rows] == [("2026-04", 4000)]


def test_month_in_zone_is_null_outside_its_months(trainer, client_record):
    from sqlalchemy import select

    from fitbud.analytics.sql import month_in_zone
    from fitbud.models import Payment

    for day in ("2025-12-31", "2026-01-15", "2026-02-01"):
        PaymentFactory(client=client_record, paid_at=_at(f"{day}T12:00:00"))
    month = month_in_zone(Payment.paid_at, date(2026, 1, 1), date(2026, 1, 31), UTC)

    months = db.session.execute(select(month).order_by(Payment.paid_at)).scalars().all()

    assert months == [None, "2026-01-01", None]


def test_monthly_revenue_counts_only_paid_payments(trainer, client_record):
    PaymentFactory(client=client_record, paid_at=_at("2026-01-03T09:00:00"))
    PaymentFactory(
        client=client_record,
        status=PaymentStatus.FAILED,
        paid_at=None,
        occurred_at=_at("2026-01-04T09:00:00"),
    )

    rows = monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 2, 1))

    assert [row.amount for row in rows] == [4900]


def test_monthly_revenue_ignores_other_trainers(trainer, other_trainer, client_record):
    PaymentFactory(client=ClientFactory(trainer=other_trainer), paid_at=_at("2026-01-03T09:00:00"))

    assert monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 2, 1)) == []


def test_monthly_revenue_end_is_exclusive_and_months_are_utc(trainer, client_record):
    PaymentFactory(client=client_record, paid_at=_at("2026-01-31T23:59:59"))
    PaymentFactory(client=client_record, paid_at=_at("2026-02-01T00:00:00"))

    rows = monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 2, 1))

    assert [(row.month, row.amount) for row in rows] == [("2026-01", 4900)]


def test_monthly_revenue_keeps_payments_of_deleted_packages(trainer, client_record):
    package = BillingPackageFactory(trainer=trainer)
    PaymentFactory(client=client_record, package=package, paid_at=_at("2026-01-03T09:00:00"))
    db.session.delete(package)
    db.session.commit()

    (row,) = monthly_revenue(trainer.id, date(2026, 1, 1), date(2026, 2, 1))

    assert (row.package_id, row.package_name, row.amount) == (None, None, 4900)


def test_subscription_statuses_for_a_list_of_clients(trainer, other_trainer):
    active = ClientFactory(trainer=trainer)
    renewed = ClientFactory(trainer=trainer)
    bare = ClientFactory(trainer=trainer)
    foreign = ClientFactory(trainer=other_trainer)
    SubscriptionFactory(client=active, status=SubscriptionStatus.PAST_DUE)
    SubscriptionFactory(client=renewed, status=SubscriptionStatus.ACTIVE)
    SubscriptionFactory(client=renewed, status=SubscriptionStatus.CANCELED)
    SubscriptionFactory(client=foreign)

    statuses = subscription_statuses(trainer.id, [active.id, renewed.id, bare.id, foreign.id])

    assert statuses == {
        active.id: "past_due",
        renewed.id: "active",
        bare.id: "none",
        foreign.id: "none",
    }
