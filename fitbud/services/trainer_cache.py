"""A trainer's cached views and figures, all dropped when anything the trainer sees is committed.

A versioned cache (services/versioned_cache.py) scoped to trainers; analytics and
Blueprint.cached_per_trainer use it.
"""

from __future__ import annotations

from fitbud.services.versioned_cache import Lookup, VersionedCache

__all__ = ["Lookup", "cached", "invalidate", "lookup", "store", "wanted"]

_trainers = VersionedCache("trainer")
lookup = _trainers.lookup
wanted = _trainers.wanted
store = _trainers.store
invalidate = _trainers.invalidate
cached = _trainers.cached
