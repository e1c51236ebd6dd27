"""Factories for imported data: activities, daily metrics, import records and exercise name mappings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import factory

from fitbud.models import ActivityLog, DailyMetric, DataImport, ExerciseNameMapping, ImportFormat, ImportStatus
from tests.factories.accounts import ClientFactory
from tests.factories.base import BaseFactory
from tests.factories.plans import ExerciseFactory


class ActivityLogFactory(BaseFactory):
    """A 30-minute 5 km run imported from a FIT file (source ids are unique per factory row)."""

    class Meta:
        model = ActivityLog
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    sport = "running"
    started_at = factory.LazyFunction(lambda: datetime.now(UTC).replace(microsecond=0))
    performed_on = factory.LazyFunction(date.today)
    duration_seconds = 1800
    distance_m = 5000.0
    energy_kcal = 350.0
    laps = factory.LazyFunction(list)
    source = "fit"
    source_id = factory.Sequence(lambda n: f"factory-{n}")


class DailyMetricFactory(BaseFactory):
    """Today's step count (pass metric= and value= for others)."""

    class Meta:
        model = DailyMetric
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    day = factory.LazyFunction(date.today)
    metric = "steps"
    value = 8000.0


class DataImportFactory(BaseFactory):
    """A finished GPX import that added nothing."""

    class Meta:
        model = DataImport
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    format = ImportFormat.GPX
    file_name = "ride.gpx"
    file_size = 1024
    status = ImportStatus.FINISHED
    counts = factory.LazyFunction(dict)
    unmatched = factory.LazyFunction(dict)


class ExerciseNameMappingFactory(BaseFactory):
    """A client's name for a library exercise."""

    class Meta:
        model = ExerciseNameMapping
        exclude = ("client", "exercise")

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    exercise = factory.SubFactory(ExerciseFactory)
    exercise_id = factory.SelfAttribute("exercise.id")
    name = factory.Sequence(lambda n: f"my lift {n}")
