"""The response cache of API reads: a GET served from services/trainer_cache.py until the trainer's data changes."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from cryptography.fernet import InvalidToken
from flask import current_app, request
from flask_jwt_extended import current_user

from fitbud.auth.roles import Role
from fitbud.models.types import keyring
from fitbud.services import accounts, trainer_cache

# Response headers a cached GET answers with again (the body's own metadata).
CACHED_HEADERS = ("X-Pagination",)
QUARTER_HOUR_SECONDS = 15 * 60


def _readable_body(entry: tuple | None, private: bool, unit_system: str, timezone: str) -> bytes | None:
    """The body of a cached (body, headers, unit system, timezone) entry, decrypted when private.

    None for a miss: no entry, one shaped for other units or another timezone, or one a retired
    key wrote.
    """
    if entry is None or entry[2] != unit_system or entry[3] != timezone:
        return None
    if not private:
        return entry[0]
    try:
        return keyring().decrypt(entry[0])
    except InvalidToken:  # written under a key that has since been retired
        return None


def cached_per_trainer(name: str, *, private: bool = False) -> Callable[[Callable], Callable]:
    """Serve a GET from services/trainer_cache.py until the data of the trainer it concerns changes.

    A trainer's views are kept under the trainer; a client's (their day, their plan) under
    their trainer too, since every change to a client's data is a change to that trainer's.
    Place it below login_required and above arguments: a hit skips argument parsing, the
    queries and serialization, and answers the stored body with its X-Pagination header.
    The key is the caller, the path, the query string and the quarter hour: every timezone's
    midnight falls on a quarter hour, so nothing that counts from "today" (default ranges,
    current streaks) is served from a day before. The entry also records the caller's unit
    system and timezone (the parts of the caller that shape a body) and counts as a miss once
    they differ. Anything but a 200 is not stored. RESPONSE_CACHE_SECONDS bounds how long an
    entry lives (0 turns the cache off). A hit costs two cache round trips, the token check's
    and the entry's (fetching the entry within the token check's trip saved about 0.1 ms a
    request, inside the benchmark's run-to-run noise, for state threaded through flask.g).

    `private=True` for a body holding fields encrypted in the database (private notes,
    health details): the entry is encrypted with the same keys, so the cache never holds
    them in the clear; one a retired key can no longer read counts as a miss.
    """

    def entry_parts(caller_id: int) -> tuple:
        query = tuple(sorted(request.args.items(multi=True)))
        return caller_id, request.path, query, int(time.time() // QUARTER_HOUR_SECONDS)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            timeout = current_app.config["RESPONSE_CACHE_SECONDS"]
            if not timeout:
                return view(*args, **kwargs)
            caller = current_user
            trainer_id = caller.id if caller.role is Role.TRAINER else accounts.coach_id_of_caller()
            if trainer_id is None:
                return view(*args, **kwargs)
            found = trainer_cache.lookup(trainer_id, name, *entry_parts(caller.id))
            body = _readable_body(found.value, private, caller.unit_system, caller.timezone)
            if body is not None:
                return current_app.response_class(body, headers=found.value[1], mimetype="application/json")
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code == 200 and response.mimetype == "application/json":
                kept = {header: response.headers[header] for header in CACHED_HEADERS if header in response.headers}
                body = keyring().encrypt(response.get_data()) if private else response.get_data()
                trainer_cache.store(found, (body, kept, caller.unit_system, caller.timezone), timeout)
            return response

        return wrapper

    return decorator
