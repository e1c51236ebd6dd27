"""Every model with a trainer_id or client_id is on the after-commit invalidation list or named as not shown."""

from __future__ import annotations

from fitbud.models import Base
from fitbud.services import cache_invalidation

OWNER_COLUMNS = ("trainer_id", "client_id")


def _models_with_an_owner_column() -> set[type]:
    return {
        mapper.class_
        for mapper in Base.registry.mappers
        if any(column in mapper.columns for column in OWNER_COLUMNS)
    }


def test_every_model_owned_by_a_trainer_or_client_is_listed_once():
    listed = set(cache_invalidation.WITH_TRAINER) | set(cache_invalidation.WITH_CLIENT)
    not_shown = set(cache_invalidation.NOT_SHOWN_BY_CACHED_VIEWS)
    forgotten = sorted(
        model.__name__ for model in _models_with_an_owner_column()
        if model not in listed and model.__name__ not in not_shown
    )
    assert not forgotten, (
        f"{forgotten} carry trainer_id or client_id: add each to cache_invalidation.WITH_TRAINER / "
        "WITH_CLIENT if a cached view shows it, else to NOT_SHOWN_BY_CACHED_VIEWS with the reason"
    )


def test_no_model_is_both_invalidated_and_declared_not_shown():
    listed = {model.__name__ for model in (*cache_invalidation.WITH_TRAINER, *cache_invalidation.WITH_CLIENT)}
    assert not listed & set(cache_invalidation.NOT_SHOWN_BY_CACHED_VIEWS)


def test_the_not_shown_list_names_only_existing_owned_models():
    owned = {model.__name__ for model in _models_with_an_owner_column()}
    stale = sorted(set(cache_invalidation.NOT_SHOWN_BY_CACHED_VIEWS) - owned)
    assert not stale, f"{stale} no longer exist or carry no trainer_id/client_id: drop them from the list"


def test_rows_reach_their_trainer_through_the_column_they_are_listed_by():
    assert all("trainer_id" in model.__table__.columns for model in cache_invalidation.WITH_TRAINER)
    assert all("client_id" in model.__table__.columns for model in cache_invalidation.WITH_CLIENT)
