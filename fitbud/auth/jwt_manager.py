"""flask-jwt-extended's JWTManager, decoding each token once instead of three times."""

from __future__ import annotations

import jwt as pyjwt
from flask_jwt_extended import JWTManager as _JWTManager
from flask_jwt_extended.config import config
from flask_jwt_extended.default_callbacks import default_decode_key_callback
from flask_jwt_extended.tokens import _decode_jwt


class JWTManager(_JWTManager):
    """Skips the unverified pre-decode (claims and header) when the decode key does not depend on them.

    The stock manager parses every token without verification first, only to hand the claims and
    header to the decode-key callback; Fitbud signs with one static key (the default callback,
    which ignores both), so the verified decode is the only one needed. The expired-token path
    still attaches the header and claims the expired-token callback receives.
    """

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None, allow_expired: bool = False) -> dict:
        if self._decode_key_callback is not default_decode_key_callback:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        kwargs = {
            "algorithms": config.decode_algorithms,
            "audience": config.decode_audience,
            "csrf_value": csrf_value,
            "encoded_token": encoded_token,
            "identity_claim_key": config.identity_claim_key,
            "issuer": config.decode_issuer,
            "leeway": config.leeway,
            "secret": config.decode_key,
            "verify_aud": config.decode_audience is not None,
            "verify_sub": config.verify_sub,
        }
        try:
            return _decode_jwt(**kwargs, allow_expired=allow_expired)
        except pyjwt.ExpiredSignatureError as error:
            error.jwt_header = pyjwt.get_unverified_header(encoded_token)  # type: ignore[attr-defined]
            error.jwt_data = _decode_jwt(**kwargs, allow_expired=True)  # type: ignore[attr-defined]
            raise
