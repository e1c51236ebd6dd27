"""Scheduling settings read from the environment."""

import pytest

from config import ConfigurationError, load_config


def test_scheduling_defaults():
    settings = load_config("development", environ={})
    assert settings.SESSION_CANCEL_CUTOFF_HOURS == 24
    assert settings.SESSION_REMINDER_OFFSETS == [1440, 60]


def test_reminder_offsets_are_read_largest_first():
    settings = load_config("development", environ={"SESSION_REMINDER_OFFSETS": "30, 2880,30"})
    assert settings.SESSION_REMINDER_OFFSETS == [2880, 30]


@pytest.mark.parametrize("value", ["soon", "60,-5", "0", ","])
def test_bad_reminder_offsets_refuse_to_start(value):
    with pytest.raises(ConfigurationError):
        load_config("development", environ={"SESSION_REMINDER_OFFSETS": value})
