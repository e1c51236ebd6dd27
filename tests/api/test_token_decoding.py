"""An authenticated request decodes its token once; expired tokens still get the expired envelope."""

from __future__ import annotations

from datetime import timedelta

import jwt as pyjwt
from flask_jwt_extended import create_access_token


def test_an_authenticated_request_decodes_its_token_once(http, client_headers, monkeypatch):
    calls = []
    real_decode = pyjwt.decode

    def counting_decode(*args, **kwargs):
        calls.append(kwargs.get("options"))
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(pyjwt, "decode", counting_decode)

    assert http.get("/api/v1/users/me", headers=client_headers).status_code == 200
    assert len(calls) == 1


def test_an_expired_token_is_still_answered_as_expired(http, client_user):
    token = create_access_token(identity=client_user, expires_delta=timedelta(seconds=-1))

    response = http.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.json["message"] == "Token has expired."
