"""Request and response shapes of the statistics endpoints."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema, Timestamp


class TrainerStatsQueryArgsSchema(StrictSchema):
    """How much history to return; start/end bound the adherence and missed-session window."""

    months = fields.Integer(
        load_default=12, validate=validate.Range(min=1, max=36), metadata={"description": "Months of growth history"}
    )
    start = fields.Date(metadata={"description": "First day of the adherence window (default: 27 days before end)"})
    end = fields.Date(metadata={"description": "Last day of the adherence window (default: today)"})


class SessionCountsSchema(ma.Schema):
    """Sessions this week by status."""

    scheduled = fields.Integer()
    completed = fields.Integer()
    no_show = fields.Integer()
    cancelled = fields.Integer()


class TrainerKpisSchema(ma.Schema):
    """The headline numbers."""

    active_clients = fields.Integer()
    new_this_month = fields.Integer()
    churned_this_month = fields.Integer()
    growth_pct = fields.Float(allow_none=True, metadata={"description": "Active clients vs last month, %"})
    sessions_this_week = fields.Nested(SessionCountsSchema)
    average_adherence = fields.Float(allow_none=True, metadata={"description": "Planned workouts done, %"})
    checkins_awaiting_reply = fields.Integer()
    revenue_this_month = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        allow_none=True,
        metadata={"description": "Per currency; null when billing has no payments"},
    )


class GrowthMonthSchema(ma.Schema):
    """One month of client growth."""

    month = fields.Date()
    new = fields.Integer()
    churned = fields.Integer()
    net = fields.Integer()
    active = fields.Integer(metadata={"description": "Clients at the end of the month"})
    growth_pct = fields.Float(allow_none=True)


class RevenueMonthSchema(ma.Schema):
    """Money received in one month and currency."""

    month = fields.Date()
    currency = fields.String()
    amount = fields.Float()


class TrainerStatsSchema(ma.Schema):
    """A trainer's KPIs and the monthly growth series."""

    as_of = fields.Date()
    start = fields.Date()
    end = fields.Date()
    kpis = fields.Nested(TrainerKpisSchema)
    growth = fields.List(fields.Nested(GrowthMonthSchema))
    revenue = fields.List(fields.Nested(RevenueMonthSchema), allow_none=True)


class AdminStatsQueryArgsSchema(StrictSchema):
    """How many weeks the weekly series cover."""

    weeks = fields.Integer(load_default=12, validate=validate.Range(min=1, max=104))


class PlatformTotalsSchema(ma.Schema):
    """Platform-wide counts."""

    trainers = fields.Integer()
    active_trainers = fields.Integer()
    clients = fields.Integer()
    active_clients = fields.Integer()
    users_active_7d = fields.Integer(metadata={"description": "Users who logged in during the last 7 days"})
    users_active_30d = fields.Integer()


class SignupWeekSchema(ma.Schema):
    """Accounts created in one week, by role."""

    week = fields.Date()
    admin = fields.Integer()
    trainer = fields.Integer()
    client = fields.Integer()


class ActiveWeekSchema(ma.Schema):
    """Clients who logged a workout or meal in one week."""

    week = fields.Date()
    clients = fields.Integer()


class ReportCountsSchema(ma.Schema):
    """Report jobs by status."""

    queued = fields.Integer()
    started = fields.Integer()
    finished = fields.Integer()
    failed = fields.Integer()


class TrainerRowSchema(ma.Schema):
    """A trainer and the size of their roster."""

    trainer_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    clients = fields.Integer()
    active_clients = fields.Integer()
    last_login_at = Timestamp(allow_none=True)
    created_at = Timestamp()


class AdminStatsSchema(ma.Schema):
    """The platform's figures."""

    as_of = fields.Date()
    totals = fields.Nested(PlatformTotalsSchema)
    signups = fields.List(fields.Nested(SignupWeekSchema))
    weekly_active_clients = fields.List(fields.Nested(ActiveWeekSchema))
    reports_by_status = fields.Nested(ReportCountsSchema)
    trainers = fields.List(fields.Nested(TrainerRowSchema), metadata={"description": "Largest rosters first"})
