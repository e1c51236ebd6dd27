"""The three roles a Fitbud account can hold; a user has exactly one."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What an account is for."""

    ADMIN = "admin"
    TRAINER = "trainer"
    CLIENT = "client"
