"""Password hashing with argon2id and the rules a new password must meet."""

from __future__ import annotations

import secrets
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    config = current_app.config
    key = "fitbud.password_hasher"
    hasher = current_app.extensions.get(key)
    if hasher is None:
        hasher = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_COST"],
            parallelism=config["ARGON2_PARALLELISM"],
        )
        current_app.extensions[key] = hasher
    return hasher


def hash_password(password: str) -> str:
    """An argon2id hash of `password` with the configured cost."""
    return _hasher().hash(password)


def _decoy_hash() -> str:
    # A hash nobody knows the password of, made with the same cost as real ones.
    key = "fitbud.decoy_password_hash"
    decoy = current_app.extensions.get(key)
    if decoy is None:
        decoy = current_app.extensions[key] = hash_password(secrets.token_urlsafe(32))
    return decoy


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash, still does the work a real check does.

    An unknown email is verified against a decoy hash, the same operation at the same cost
    as a wrong password, so response time does not tell which emails have accounts.
    """
    hasher = _hasher()
    known = password_hash is not None
    try:
        matches = hasher.verify(password_hash if known else _decoy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return known and matches


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other cost settings than today's (rehash at next login)."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Passwords too common to allow, lower-cased."""
    text = resources.files("fitbud.auth").joinpath("common_passwords.txt").read_text("utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why `password` is too weak, or an empty list when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    lowered = password.strip().lower()
    if email:
        email_lower = email.strip().lower()
        if lowered in {email_lower, email_lower.split("@", 1)[0]}:
            problems.append("Password must not be your email address.")
    if lowered in common_passwords():
        problems.append("Password is too common; choose something less guessable.")
    return problems
