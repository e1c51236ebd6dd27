"""The exercise library's cached snapshots, dropped by the after-commit hook when an exercise changes.

A versioned cache (services/versioned_cache.py) scoped to exercise libraries: owner BUILTINS (0)
holds the built-ins, owner <trainer id> that trainer's custom exercises; services/exercises.py
reads them. services/cache_invalidation.py swaps an owner's version after every commit that
writes one of its exercise rows, and the built-in loader's bulk upsert says so with
`cache_invalidation.mark_libraries_changed`. The library is not kept under the trainer's own
scope (services/trainer_cache.py): that one changes with every log a client writes, and the
library would be read from the database again each time.
"""

from __future__ import annotations

from fitbud.services.versioned_cache import VersionedCache

__all__ = ["BUILTINS", "invalidate", "owner_of", "store", "wanted"]

# The built-ins' owner in the cache: no user has id 0.
BUILTINS = 0

_libraries = VersionedCache("exercises")
wanted = _libraries.wanted
store = _libraries.store
invalidate = _libraries.invalidate


def owner_of(exercise_owner_id: int | None) -> int:
    """The cache owner of an exercise row: its trainer, or BUILTINS for a built-in."""
    return BUILTINS if exercise_owner_id is None else exercise_owner_id
