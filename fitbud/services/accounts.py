"""Accounts: sign-up, login, token families (rotation, reuse detection, revocation), profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from flask import current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import func, or_, select, update

from fitbud.auth.passwords import hash_password, password_problems, verify_password
from fitbud.auth.roles import Role
from fitbud.errors import AuthenticationError, ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import AuthSession, User, utcnow

INVALID_CREDENTIALS = "Invalid email or password."
UNIT_SYSTEMS = ("metric", "imperial")


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased, so uniqueness and login are case-insensitive."""
    return email.strip().lower()


def validate_timezone(name: str) -> str:
    """`name` if it is an IANA timezone, else a 422."""
    if name not in _timezones():
        raise InvalidInputError("Unknown timezone.", errors={"timezone": [f"{name!r} is not an IANA timezone."]})
    return name


_TIMEZONES: frozenset[str] | None = None


def _timezones() -> frozenset[str]:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(available_timezones()) | {"UTC"}
    return _TIMEZONES


def _email_taken() -> ConflictError:
    return ConflictError("An account with this email already exists.", errors={"email": ["already registered"]})


def _check_password(password: str, email: str, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise InvalidInputError("Password is too weak.", errors={field: problems})


def find_user_by_email(email: str) -> User | None:
    """The account with this email, compared case-insensitively."""
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


def create_user(email: str, password: str, name: str, role: Role, **profile: Any) -> User:
    """A new account of `role`; 409 if the email is taken, 422 if the password is weak. Not committed."""
    email = normalize_email(email)
    _check_password(password, email)
    if find_user_by_email(email) is not None:
        raise _email_taken()
    user = User(email=email, password_hash=hash_password(password), name=name.strip(), role=role, **profile)
    db.session.add(user)
    db.session.flush()
    return user


def register_trainer(email: str, password: str, name: str) -> User:
    """Sign a trainer up."""
    user = create_user(email, password, name, Role.TRAINER)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User:
    """The active user with these credentials; the same 401 for every way of being wrong."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        raise AuthenticationError(INVALID_CREDENTIALS)
    return user


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


def _tokens_for(user: User, session: AuthSession) -> TokenPair:
    claims = {"sid": session.id, "role": user.role.value}
    refresh_jti = str(uuid.uuid4())
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    refresh = create_refresh_token(
        identity=str(user.id), additional_claims={**claims, "jti": refresh_jti}
    )
    session.current_refresh_jti = refresh_jti
    expires = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return TokenPair(access, refresh, int(expires.total_seconds()))


def start_session(user: User) -> TokenPair:
    """Log `user` in: a new token family and its first pair of tokens."""
    now = utcnow()
    session = AuthSession(
        id=str(uuid.uuid4()),
        user_id=user.id,
        current_refresh_jti="",
        created_at=now,
        expires_at=now + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
    )
    db.session.add(session)
    pair = _tokens_for(user, session)
    user.last_login_at = now
    db.session.commit()
    return pair


def login(email: str, password: str) -> TokenPair:
    """Check credentials and start a session."""
    return start_session(authenticate(email, password))


def rotate_session(user: User, claims: dict[str, Any]) -> TokenPair:
    """Swap a valid refresh token for a new pair; the old refresh token is void from now on."""
    session = db.session.get(AuthSession, claims["sid"])
    if session is None or session.revoked_at is not None:
        raise AuthenticationError("This session has ended; log in again.")
    pair = _tokens_for(user, session)
    db.session.commit()
    return pair


def revoke_session(session_id: str, reason: str) -> None:
    """End one token family: every access and refresh token from that login stops working."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    db.session.commit()


def revoke_user_sessions(user_id: int, reason: str, keep_session_id: str | None = None) -> None:
    """End every session of a user, except `keep_session_id` when given."""
    statement = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep_session_id:
        statement = statement.where(AuthSession.id != keep_session_id)
    db.session.execute(statement.values(revoked_at=utcnow(), revoked_reason=reason))
    db.session.commit()


def token_is_revoked(claims: dict[str, Any]) -> bool:
    """Whether a decoded token may no longer be used; caches its user for the request.

    One query per request: the session and its user together. A refresh token that is not
    the family's newest has been used before, so the whole family is revoked.
    """
    session_id = claims.get("sid")
    if not session_id:
        return True
    row = db.session.execute(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.id == session_id)
    ).first()
    if row is None:
        return True
    session, user = row
    if str(user.id) != str(claims.get("sub")) or not user.is_active:
        return True
    if session.revoked_at is not None:
        return True
    if claims.get("type") == "refresh" and claims.get("jti") != session.current_refresh_jti:
        revoke_session(session.id, "refresh token reused")
        return True
    g.fitbud_token_user = user
    return False


def user_for_token(claims: dict[str, Any]) -> User | None:
    """The user a verified token belongs to (already loaded by token_is_revoked)."""
    user = g.get("fitbud_token_user")
    if user is not None and str(user.id) == str(claims.get("sub")):
        return user
    return db.session.get(User, int(claims["sub"]))


def update_profile(user: User, changes: dict[str, Any], current_session_id: str | None) -> User:
    """Change name, timezone, units, email or password; a new password ends other sessions."""
    if "email" in changes:
        email = normalize_email(changes["email"])
        if email != user.email:
            if find_user_by_email(email) is not None:
                raise _email_taken()
            user.email = email
    if "name" in changes:
        user.name = changes["name"].strip()
    if "timezone" in changes:
        user.timezone = validate_timezone(changes["timezone"])
    if "unit_system" in changes:
        user.unit_system = changes["unit_system"]
    password_changed = False
    if "new_password" in changes:
        current = changes.get("current_password")
        if not current or not verify_password(user.password_hash, current):
            raise InvalidInputError(
                "The current password is wrong.",
                errors={"current_password": ["does not match"]},
            )
        _check_password(changes["new_password"], user.email, "new_password")
        user.password_hash = hash_password(changes["new_password"])
        password_changed = True
    db.session.commit()
    if password_changed:
        revoke_user_sessions(user.id, "password changed", keep_session_id=current_session_id)
    return user


def list_users(role: Role | None, search: str | None) -> Any:
    """The admin's user query, newest first; the caller paginates it."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role is not None:
        statement = statement.where(User.role == role)
    if search:
        pattern = f"%{search.strip().lower()}%"
        statement = statement.where(
            or_(User.email.like(pattern), func.lower(User.name).like(pattern))
        )
    return statement


def set_user_active(user_id: int, is_active: bool) -> User:
    """Deactivate (tokens stop at once) or reactivate an account."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.")
    user.is_active = is_active
    db.session.commit()
    if not is_active:
        revoke_user_sessions(user.id, "deactivated")
    return user

