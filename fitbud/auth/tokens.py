"""flask-jwt-extended callbacks: whose token it is, whether it is revoked, and the 401 envelopes."""

from __future__ import annotations

from flask import Flask, g, jsonify

from fitbud.errors import error_body
from fitbud.extensions import jwt
from fitbud.services import accounts


def _unauthorized(message: str):
    response = jsonify(error_body(401, message))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def init_app(app: Flask) -> None:
    """Register the callbacks on the shared JWTManager (idempotent per manager)."""
    jwt.user_identity_loader(lambda identity: str(identity))
    jwt.token_in_blocklist_loader(lambda _header, payload: accounts.token_is_revoked(payload))
    jwt.user_lookup_loader(lambda _header, payload: accounts.user_for_token(payload))
    jwt.unauthorized_loader(lambda reason: _unauthorized(f"Authentication required: {reason}"))
    jwt.invalid_token_loader(lambda reason: _unauthorized(f"Invalid token: {reason}"))
    jwt.expired_token_loader(lambda _h, _p: _unauthorized("Token has expired."))
    # A login session that reached its end says so (the token check left the reason in g).
    jwt.revoked_token_loader(lambda _h, _p: _unauthorized(g.get("fitbud_token_problem") or "Token has been revoked."))
    jwt.user_lookup_error_loader(lambda _h, _p: _unauthorized("Token owner no longer exists."))
    jwt.needs_fresh_token_loader(lambda _h, _p: _unauthorized("A fresh login is required."))
    jwt.token_verification_failed_loader(lambda _h, _p: _unauthorized("Token was rejected."))
