"""flask-limiter's Limiter, without its before-request pass on reads.

Every limit Fitbud sets is a decorator on a view that hashes a password or mints a token
(fitbud/auth/limits.py), and a decorated view checks its own limits when it is called. The
before-request pass exists for default, application and blueprint limits, which Fitbud does not
set (`_reads_may_skip` refuses to skip should any be configured), and otherwise only finds the
decorated ones again, so a GET spends part of a cached answer's time in it for nothing.
"""

from __future__ import annotations

import flask_limiter
from flask import request

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Limiter(flask_limiter.Limiter):
    """flask-limiter's Limiter; a read's before-request pass is skipped (its view's limits still apply)."""

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and request.method in READ_METHODS and self._reads_may_skip():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def _reads_may_skip(self) -> bool:
        # What the before-request pass would apply beyond decorated views' own limits (flask-limiter
        # keeps blueprint limits only in a private mapping).
        manager = self.limit_manager
        return not (manager.default_limits or manager.application_limits or manager._blueprint_limits)
