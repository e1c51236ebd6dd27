"""Password hashing with argon2id and the rules a new password must meet."""

from __future__ import annotations

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


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash, still spends the time a real check would."""
    hasher = _hasher()
    if password_hash is None:
        # Hash a throwaway so an unknown email takes as long as a wrong password.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Passwords too common to allow, lower-cased."""
    text = resources.files("fitbud.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


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
