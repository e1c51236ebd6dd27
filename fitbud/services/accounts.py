"""Accounts: sign-up, login, token families (rotation, reuse detection, revocation), profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from flask import current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import CursorResult, Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from fitbud.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from fitbud.auth.roles import Role
from fitbud.errors import AuthenticationError, ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import AuthSession, Client, User, utcnow
from fitbud.services import attempt_limits, auth_cache, cache_invalidation

INVALID_CREDENTIALS = "Invalid email or password."
ACCOUNT_DEACTIVATED = "This account has been deactivated; contact an administrator."
SESSION_ENDED = "Your login session has ended (unused too long, or too old); log in again."
EMAIL_TAKEN = "An account with this email already exists."
UNIT_SYSTEMS = ("metric", "imperial")


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased, so uniqueness and login are case-insensitive."""
    return email.strip().lower()


@lru_cache(maxsize=1)
def timezone_names() -> frozenset[str]:
    """Every IANA timezone name a user may choose."""
    # Reading the tz database is slow; it does not change while the process runs.
    return frozenset(available_timezones()) | {"UTC"}


def is_timezone(name: str) -> bool:
    """Whether `name` is an IANA timezone such as "Europe/London"."""
    return name in timezone_names()


def validate_timezone(name: str) -> str:
    """`name` if it is an IANA timezone, else a 422."""
    if not is_timezone(name):
        raise InvalidInputError("Unknown timezone.", errors={"timezone": [f"{name!r} is not an IANA timezone."]})
    return name


def check_password(password: str, email: str, field: str = "password") -> None:
    """422 naming `field` when `password` is too weak for the account with `email`."""
    problems = password_problems(password, email)
    if problems:
        raise InvalidInputError("Password is too weak.", errors={field: problems})


def email_taken() -> ConflictError:
    """The 409 for an address another account already uses."""
    return ConflictError(EMAIL_TAKEN, errors={"email": ["already registered"]})


def find_user_by_email(email: str) -> User | None:
    """The account with this email, compared case-insensitively."""
    return db.session.execute(select(User).where(User.email == normalize_email(email))).scalar_one_or_none()


def create_user(email: str, password: str, name: str, role: Role, **profile: Any) -> User:
    """A new account of `role`; 409 if the email is taken, 422 if the password is weak.

    Flushed, not committed: the caller may add more to the same transaction.
    """
    email = normalize_email(email)
    check_password(password, email)
    if find_user_by_email(email) is not None:
        raise email_taken()
    user = User(email=email, password_hash=hash_password(password), name=name.strip(), role=role, **profile)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # Two sign-ups with one email raced past the check above; the unique index decided.
        db.session.rollback()
        raise email_taken() from None
    return user


def authenticate(email: str, password: str) -> User:
    """The active user with these credentials; one 401 for an unknown email or a wrong password.

    Every attempt verifies one hash (a decoy for unknown emails), so timing leaks nothing.
    A deactivated account is only named as such once the password has been proven. Every
    attempt, right or wrong, spends from the address's budget (429 beyond it), whichever login
    it comes through.
    """
    attempt_limits.spend_attempt(attempt_limits.LOGIN, normalize_email(email))
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not matches:
        raise AuthenticationError(INVALID_CREDENTIALS)
    if not user.is_active:
        raise AuthenticationError(ACCOUNT_DEACTIVATED)
    if needs_rehash(user.password_hash):
        # The cost settings were raised since this hash was made; upgrade it while we can.
        user.password_hash = hash_password(password)
    return user


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh returns: the tokens, and whose they are."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"
    # Apps show who logged in (and their role) without a second request.
    user: User | None = field(default=None, compare=False, repr=False)


def _issue_tokens(user: User, session_id: str, refresh_jti: str, session_ends: datetime) -> TokenPair:
    claims = {"sid": session_id, "role": user.role.value}
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    # Our own jti on the refresh token: the session records it to spot a reused old one. It
    # expires with its session, so a client can tell when it will have to log in again.
    refresh = create_refresh_token(
        identity=str(user.id),
        additional_claims={**claims, "jti": refresh_jti},
        expires_delta=max(session_ends - utcnow(), timedelta(seconds=1)),
    )
    expires = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return TokenPair(access, refresh, int(expires.total_seconds()), user=user)


def session_ends_at(created_at: datetime, used_at: datetime) -> datetime:
    """When a login session used at `used_at` ends unless used again: the earliest of the refresh
    lifetime and the idle limit from that use, and the absolute maximum age from the login.

    Using a session (a refresh, the browser's cookie renewal) moves the first two on; nothing
    moves the third, so no amount of use keeps a session beyond SESSION_MAX_AGE_DAYS.
    """
    config = current_app.config
    return min(
        used_at + config["JWT_REFRESH_TOKEN_EXPIRES"],
        used_at + timedelta(days=config["SESSION_IDLE_DAYS"]),
        created_at + timedelta(days=config["SESSION_MAX_AGE_DAYS"]),
    )


def start_session(user: User) -> TokenPair:
    """Log `user` in: a new token family and its first pair of tokens."""
    now = utcnow()
    refresh_jti = str(uuid.uuid4())
    session = AuthSession(
        id=str(uuid.uuid4()),
        user_id=user.id,
        current_refresh_jti=refresh_jti,
        created_at=now,
        expires_at=session_ends_at(now, now),
    )
    db.session.add(session)
    pair = _issue_tokens(user, session.id, refresh_jti, session.expires_at)
    user.last_login_at = now
    db.session.commit()
    return pair


def login(email: str, password: str) -> TokenPair:
    """Check credentials and start a session."""
    return start_session(authenticate(email, password))


def rotate_session(user: User, claims: dict[str, Any]) -> TokenPair:
    """Swap a valid refresh token for a new pair; the old refresh token is void from now on.

    The swap is a compare-and-set on the session's current refresh jti, so of two requests
    racing with the same refresh token only one wins; the loser counts as reuse and ends the
    whole family, exactly like a replay of a stolen token. A session past its end (idle, or
    older than the absolute maximum) is not renewed: 401, log in again.
    """
    session_id = claims["sid"]
    now = utcnow()
    created_at = db.session.execute(
        select(AuthSession.created_at).where(AuthSession.id == session_id)
    ).scalar_one_or_none()
    if created_at is None:
        raise AuthenticationError("This login session no longer exists; log in again.")
    new_jti = str(uuid.uuid4())
    ends = session_ends_at(created_at, now)
    swapped: CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
            AuthSession.current_refresh_jti == claims.get("jti"),
        )
        .values(current_refresh_jti=new_jti, expires_at=ends)
        .execution_options(synchronize_session="fetch")
    )
    if swapped.rowcount != 1:
        db.session.rollback()
        if not _session_open(session_id, now):
            raise AuthenticationError(SESSION_ENDED)
        revoke_session(session_id, "refresh token reused")
        raise AuthenticationError("This refresh token was already used; log in again.")
    pair = _issue_tokens(user, session_id, new_jti, ends)
    db.session.commit()
    return pair


def _session_open(session_id: str, now: datetime) -> bool:
    return (
        db.session.execute(
            select(AuthSession.id).where(
                AuthSession.id == session_id, AuthSession.revoked_at.is_(None), AuthSession.expires_at > now
            )
        ).scalar_one_or_none()
        is not None
    )


def renew_browser_login(user: User, claims: dict[str, Any]) -> str | None:
    """A fresh access token for the browser's login session, which counts as a use of it.

    The session's end moves on by the idle limit (never past the absolute maximum age), like a
    refresh. None when the session is over: the browser's cookie is left to expire. Written in
    its own short transaction on its own connection, because renewal also happens while serving
    a GET page, whose session reads in autocommit and may not write (fitbud/ext/orm_session.py).
    """
    now = utcnow()
    with db.engine.begin() as connection:
        created_at = connection.execute(
            select(AuthSession.created_at).where(
                AuthSession.id == claims.get("sid"),
                AuthSession.user_id == user.id,
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > now,
            )
        ).scalar_one_or_none()
        ends = session_ends_at(created_at, now) if created_at is not None else now
        if ends <= now:
            return None
        connection.execute(update(AuthSession).where(AuthSession.id == claims["sid"]).values(expires_at=ends))
    return create_access_token(identity=str(user.id), additional_claims={"sid": claims["sid"], "role": user.role.value})


def _end_sessions(*conditions: Any, reason: str) -> None:
    ended = (
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.revoked_at.is_(None), *conditions)
            .values(revoked_at=utcnow(), revoked_reason=reason)
            .returning(AuthSession.user_id)
            .execution_options(synchronize_session="fetch")
        )
        .scalars()
        .all()
    )
    # A bulk UPDATE is invisible to the flush: tell the token-check cache whose logins ended.
    cache_invalidation.mark_users_changed(db.session, ended)


def revoke_session(session_id: str, reason: str) -> None:
    """End one token family: every access and refresh token from that login stops working."""
    _end_sessions(AuthSession.id == session_id, reason=reason)
    db.session.commit()


def end_sessions(user_id: int, reason: str, keep_session_id: str | None = None) -> None:
    """End every session of a user, except `keep_session_id` when given (the caller commits)."""
    conditions = [AuthSession.user_id == user_id]
    if keep_session_id:
        conditions.append(AuthSession.id != keep_session_id)
    _end_sessions(*conditions, reason=reason)


def revoke_user_sessions(user_id: int, reason: str, keep_session_id: str | None = None) -> None:
    """End every session of a user, except `keep_session_id` when given."""
    end_sessions(user_id, reason, keep_session_id)
    db.session.commit()


def sync_client_record(user: User, shared: dict[str, Any]) -> None:
    """Copy the account's email or timezone onto the trainer's record of this client, if any.

    One person: the trainer's record of the client follows the account (the address the trainer
    writes to, the timezone the client's days are counted in). services/clients.py keeps the
    same rule from the other side.
    """
    if not shared or user.role is not Role.CLIENT:
        return
    client = db.session.execute(select(Client).where(Client.user_id == user.id)).scalar_one_or_none()
    if client is not None:
        for name, value in shared.items():
            setattr(client, name, value)


def token_is_revoked(claims: dict[str, Any]) -> bool:
    """Whether a decoded token may no longer be used; caches its user for the request.

    One query: the session, its user and, for a client's login, their trainer's id (the namespace
    their cached views live under); for an access token, none while services/auth_cache.py holds
    the answer. A session past its end (`expires_at`: idle limit, refresh lifetime, absolute
    maximum age) is over. A refresh token that is not the family's newest has been used before,
    so the whole family is revoked.
    """
    session_id = claims.get("sid")
    if not session_id:
        return True
    cache_seconds = current_app.config["AUTH_CACHE_SECONDS"]
    found = None
    if cache_seconds and claims.get("type") == "access" and str(claims.get("sub", "")).isdigit():
        found = auth_cache.lookup(int(claims["sub"]), session_id)
        if found.value is not None and auth_cache.still_open(found.value, utcnow()):
            g.fitbud_token_user, g.fitbud_token_coach_id = auth_cache.attach(found.value)
            return False
    row = db.session.execute(
        select(AuthSession, User, Client.trainer_id)
        .join(User, User.id == AuthSession.user_id)
        .outerjoin(Client, Client.user_id == User.id)
        .where(AuthSession.id == session_id)
    ).first()
    if row is None:
        return True
    session, user, coach_id = row
    if str(user.id) != str(claims.get("sub")) or not user.is_active:
        return True
    if session.revoked_at is not None:
        return True
    if session.expires_at <= utcnow():
        # Idle too long or past the absolute maximum age: the whole family is over.
        g.fitbud_token_problem = SESSION_ENDED
        return True
    if claims.get("type") == "refresh" and claims.get("jti") != session.current_refresh_jti:
        revoke_session(session.id, "refresh token reused")
        return True
    g.fitbud_token_user = user
    g.fitbud_token_coach_id = coach_id
    if found is not None:
        auth_cache.remember(found, user, coach_id, session.expires_at, cache_seconds)
    return False


def coach_id_of_caller() -> int | None:
    """The trainer of this request's caller when the caller is a linked client, else None."""
    return g.get("fitbud_token_coach_id")


def user_for_token(claims: dict[str, Any]) -> User | None:
    """The user a verified token belongs to (already loaded by token_is_revoked)."""
    user = g.get("fitbud_token_user")
    if user is not None and str(user.id) == str(claims.get("sub")):
        return user
    return db.session.get(User, int(claims["sub"]))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_users(role: Role | None, search: str | None) -> Select:
    """The admin's user query, newest first; the caller paginates it."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role is not None:
        statement = statement.where(User.role == role)
    if search and search.strip():
        # A literal substring: "_" or "%" typed by the admin must not act as wildcards.
        pattern = f"%{_escape_like(search.strip().lower())}%"
        statement = statement.where(
            or_(
                User.email.like(pattern, escape="\\"),
                func.lower(User.name).like(pattern, escape="\\"),
            )
        )
    return statement


def find_users(role: Role | None, search: str | None, limit: int) -> list[User]:
    """The first `limit` users of the admin's user query (the dashboard's users page)."""
    return list(db.session.execute(list_users(role, search).limit(limit)).scalars())


def set_user_active(user_id: int, is_active: bool, actor: User | None = None) -> User:
    """Deactivate (every session ends at once) or reactivate an account.

    An admin cannot deactivate their own account, so the platform never locks out its last admin
    by accident.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.")
    if actor is not None and actor.id == user.id and not is_active:
        raise InvalidInputError(
            "You cannot deactivate your own account.",
            errors={"is_active": ["ask another admin to deactivate this account"]},
        )
    user.is_active = is_active
    if not is_active:
        _end_sessions(AuthSession.user_id == user.id, reason="deactivated")
    db.session.commit()
    return user
