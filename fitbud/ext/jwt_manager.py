"""flask-jwt-extended's JWTManager, verifying each token once per process instead of on every request."""

from __future__ import annotations

import time
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import jwt as pyjwt
from flask_jwt_extended import JWTManager as _JWTManager
from flask_jwt_extended.config import config
from flask_jwt_extended.default_callbacks import default_decode_key_callback
from flask_jwt_extended.tokens import _decode_jwt

# Tokens a worker has verified lately: client apps poll with the same access token for its
# whole life (15 minutes), and a verification is a visible part of a cheap request.
VERIFIED_TOKENS_KEPT = 4096


@lru_cache(maxsize=VERIFIED_TOKENS_KEPT)
def _verified_claims(encoded_token: str, settings: tuple[tuple[str, Any], ...]) -> MappingProxyType:
    # The settings, the key among them, are part of the cache key: a token verified under other
    # settings (another app, a rotated secret) is verified again. Expiry is left to the caller,
    # who checks it on every use; a token that fails verification raises and is never kept.
    return MappingProxyType(
        _decode_jwt(**dict(settings), encoded_token=encoded_token, csrf_value=None, allow_expired=True)
    )


def _expired(claims: MappingProxyType, leeway: float) -> bool:
    now = time.time()
    expires, not_before = claims.get("exp"), claims.get("nbf")
    return (expires is not None and expires <= now - leeway) or (not_before is not None and not_before > now + leeway)


class JWTManager(_JWTManager):
    """Decodes with the configured key once per token and process, checking expiry on every use.

    The stock manager parses every token without verification first, only to hand the claims and
    header to the decode-key callback; Fitbud signs with one static key (the default callback,
    which ignores both), so the verified decode is the only one needed, and its result can be
    kept: a token's signature and claims never change, only whether it has expired, which is
    checked on every request. A token sent with a CSRF value (the dashboards' cookies) is
    verified in full each time. The expired-token path still attaches the header and claims the
    expired-token callback receives.
    """

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None, allow_expired: bool = False) -> dict:
        if self._decode_key_callback is not default_decode_key_callback:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        settings = {
            "algorithms": tuple(config.decode_algorithms),
            "audience": config.decode_audience,
            "identity_claim_key": config.identity_claim_key,
            "issuer": config.decode_issuer,
            "leeway": config.leeway,
            "secret": config.decode_key,
            "verify_aud": config.decode_audience is not None,
            "verify_sub": config.verify_sub,
        }
        if csrf_value is None and not isinstance(settings["audience"], list):
            claims = _verified_claims(encoded_token, tuple(settings.items()))
            if allow_expired or not _expired(claims, config.leeway):
                return dict(claims)
        kwargs = {**settings, "csrf_value": csrf_value, "encoded_token": encoded_token}
        try:
            return _decode_jwt(**kwargs, allow_expired=allow_expired)
        except pyjwt.ExpiredSignatureError as error:
            error.jwt_header = pyjwt.get_unverified_header(encoded_token)  # type: ignore[attr-defined]
            error.jwt_data = _decode_jwt(**kwargs, allow_expired=True)  # type: ignore[attr-defined]
            raise
