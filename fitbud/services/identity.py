"""Who an account is: sign-up, profile changes, proof of email ownership and password reset.

Three kinds of link, each signed (itsdangerous, with SECRET_KEY and a salt per kind), single use
and expiring; only the SHA-256 of the random value inside is stored (AccountToken):
- verify_email: sent at sign-up (and on request) to the account's address; using it proves it.
- change_email: sent to a new address; the account's email changes only when it is used, and the
  old address is told when the change is asked for.
- reset_password: sent only to a verified address; using it sets a new password and ends every
  login session of the account.

An account whose address is unproven may log in and set up, but may not email anyone through
Fitbud (invitations) or act on billing: `require_verified` is the one check. An address proven
by its owner (an email change confirmed, an invitation accepted) wins over an account that
merely claimed it without proof: `release_unproven_claim` takes it from such an account.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from fitbud.auth.passwords import hash_password, verify_password
from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, GoneError, InvalidInputError, NotFoundError, PermissionDeniedError
from fitbud.extensions import db
from fitbud.jobs import SEND_EMAIL
from fitbud.models import AccountToken, AccountTokenPurpose, Client, User, utcnow
from fitbud.services import attempt_limits, outbox
from fitbud.services.accounts import (
    UNIT_SYSTEMS,
    check_password,
    create_user,
    email_taken,
    end_sessions,
    find_user_by_email,
    normalize_email,
    sync_client_record,
    validate_timezone,
)

VERIFY_PATH = "/verify-email/"
RESET_PATH = "/reset-password/"
EMAIL_UNVERIFIED = "email_unverified"
# One salt per kind of link: a verification link can never be replayed as a reset link.
_EMAIL_SALT = "fitbud.email-proof"
_RESET_SALT = "fitbud.password-reset"
_EMAIL_PROOFS = (AccountTokenPurpose.VERIFY_EMAIL, AccountTokenPurpose.CHANGE_EMAIL)
# The address an unproven account is moved to when the real owner proves theirs: `.invalid` is
# reserved (RFC 2606), so nothing is ever delivered there and nobody can register it.
_RELEASED_DOMAIN = "released.invalid"


def is_verified(user: User) -> bool:
    """Whether the account's owner has proven their email address."""
    return user.email_verified_at is not None


def require_verified(user: User, action: str) -> None:
    """403 (`email_unverified`) unless the account's address is proven; `action` says what was refused."""
    if not is_verified(user):
        raise PermissionDeniedError(
            f"Confirm your email address before you {action}: open the link we sent to {user.email}, "
            "or ask for a new one (POST /api/v1/auth/resend-verification).",
            errors={"email": [EMAIL_UNVERIFIED]},
        )


def _email_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["EMAIL_VERIFICATION_HOURS"])


def _reset_lifetime() -> timedelta:
    return timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _link(path: str, token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}{path}{token}"


def _mail(to: str, subject: str, body: str) -> None:
    outbox.add(SEND_EMAIL, to, subject, body, queue="default", job_timeout=60, retries=3)


def _void(user_id: int, purposes: tuple[AccountTokenPurpose, ...]) -> None:
    """Drop the account's unused links of these kinds: only the newest one works."""
    db.session.execute(
        delete(AccountToken).where(
            AccountToken.user_id == user_id,
            AccountToken.purpose.in_(purposes),
            AccountToken.used_at.is_(None),
        )
    )


def _issue(user: User, purpose: AccountTokenPurpose, email: str) -> str:
    """A new link token for `user` (older unused ones of the same kind stop working)."""
    is_reset = purpose is AccountTokenPurpose.RESET_PASSWORD
    _void(user.id, (purpose,))
    nonce = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            email=email,
            token_hash=_hash(nonce),
            created_at=now,
            expires_at=now + (_reset_lifetime() if is_reset else _email_lifetime()),
        )
    )
    return _serializer(_RESET_SALT if is_reset else _EMAIL_SALT).dumps(nonce)


def _redeem(token: str, salt: str, purposes: tuple[AccountTokenPurpose, ...], lifetime: timedelta) -> AccountToken:
    """Use a link: 404 for a link we never made, 410 for one used, replaced or expired.

    Marks it used in the caller's transaction; the conditional update makes it single use even
    when two requests race with the same link.
    """
    try:
        nonce = _serializer(salt).loads(token, max_age=int(lifetime.total_seconds()))
    except SignatureExpired:
        raise GoneError("This link has expired; ask for a new one.", errors={"token": ["expired"]}) from None
    except BadSignature:
        raise NotFoundError(
            "This link is not valid. Check that you opened the whole link from the email.",
            errors={"token": ["unknown"]},
        ) from None
    row = db.session.execute(
        select(AccountToken).where(AccountToken.token_hash == _hash(str(nonce)), AccountToken.purpose.in_(purposes))
    ).scalar_one_or_none()
    if row is None:
        # Signed by us but not on file: a newer link replaced it.
        raise GoneError("This link was replaced by a newer one; use the latest email.", errors={"token": ["replaced"]})
    if row.used_at is not None:
        raise GoneError("This link has already been used.", errors={"token": ["used"]})
    if row.expires_at <= utcnow():
        raise GoneError("This link has expired; ask for a new one.", errors={"token": ["expired"]})
    marked: CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if marked.rowcount != 1:
        db.session.rollback()
        raise GoneError("This link has already been used.", errors={"token": ["used"]})
    return row


def _owner(row: AccountToken) -> User:
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise GoneError(
            "This account has been deactivated; contact an administrator.", errors={"token": ["deactivated"]}
        )
    return user


# Email ownership ----------------------------------------------------------------------------


def send_verification(user: User) -> None:
    """Mail `user` a link that proves their address (in the caller's transaction)."""
    token = _issue(user, AccountTokenPurpose.VERIFY_EMAIL, user.email)
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    _mail(
        user.email,
        "Confirm your email address for Fitbud",
        f"Hello {user.name},\n\nPlease confirm that this is your email address:\n{_link(VERIFY_PATH, token)}\n\n"
        f"The link works once, for {hours} hours. Until you confirm, your account can't send "
        "invitations or take payments. If you didn't sign up for Fitbud, ignore this email.",
    )


def resend_verification(user: User) -> None:
    """A new verification link for an unproven account (the older one stops working); 409 once proven."""
    if is_verified(user):
        raise ConflictError("Your email address is already confirmed.", errors={"email": ["already verified"]})
    send_verification(user)
    db.session.commit()


def release_unproven_claim(email: str, proven_by: int | None = None) -> None:
    """Take `email` from an account that never proved it, because its real owner just did.

    The unproven account keeps its data but loses the address (and so its login) and every session;
    an admin can give it a new one. Proven accounts are never touched.
    """
    holder = find_user_by_email(email)
    if holder is None or holder.id == proven_by or is_verified(holder):
        return
    holder.email = f"user-{holder.id}-{uuid.uuid4().hex[:8]}@{_RELEASED_DOMAIN}"
    holder.pending_email = None
    _void(holder.id, (*_EMAIL_PROOFS, AccountTokenPurpose.RESET_PASSWORD))
    end_sessions(holder.id, reason="address proven by its owner")
    db.session.flush()


def request_email_change(user: User, new_email: str) -> None:
    """Mail a confirmation link to `new_email` and tell the current address (the caller commits).

    The email changes only when the link is used. The caller has checked the current password.
    """
    new_email = normalize_email(new_email)
    holder = find_user_by_email(new_email)
    if holder is not None and is_verified(holder):
        raise ConflictError("An account with this email already exists.", errors={"email": ["already registered"]})
    token = _issue(user, AccountTokenPurpose.CHANGE_EMAIL, new_email)
    user.pending_email = new_email
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    _mail(
        new_email,
        "Confirm your new email address for Fitbud",
        f"Hello {user.name},\n\nYou asked to use this address for your Fitbud account. Confirm it here:\n"
        f"{_link(VERIFY_PATH, token)}\n\nThe link works once, for {hours} hours. Until then you keep "
        f"logging in with your current address. If you didn't ask for this, ignore this email.",
    )
    _mail(
        user.email,
        "Your Fitbud email address is about to change",
        f"Hello {user.name},\n\nSomeone logged in to your Fitbud account asked to change its email address "
        f"to {new_email}. The change happens only when the link we sent there is used.\n\n"
        "If this wasn't you, change your password now: that cancels the change and logs out every "
        "other device.",
    )


def pending_email(user: User) -> str | None:
    """The new address waiting for its confirmation link to be used, if any."""
    return user.pending_email


def cancel_email_change(user: User) -> None:
    """Void a pending email change (in the caller's transaction): a new password cancels it."""
    _void(user.id, (AccountTokenPurpose.CHANGE_EMAIL,))
    user.pending_email = None


def confirm_email(token: str) -> User:
    """Use a verification or email-change link: the address it went to is now the account's, proven.

    404 unknown link, 410 used, replaced or expired; 409 when the new address was taken by a
    proven account meanwhile.
    """
    row = _redeem(token, _EMAIL_SALT, _EMAIL_PROOFS, _email_lifetime())
    user = _owner(row)
    if row.purpose is AccountTokenPurpose.VERIFY_EMAIL:
        if row.email != user.email:
            db.session.rollback()
            raise GoneError("This link was for an address the account no longer uses.", errors={"token": ["replaced"]})
    else:
        holder = find_user_by_email(row.email)
        if holder is not None and holder.id != user.id and is_verified(holder):
            db.session.rollback()
            raise ConflictError("An account with this email already exists.", errors={"email": ["already registered"]})
        release_unproven_claim(row.email, proven_by=user.id)
        user.email = row.email
        user.pending_email = None
        sync_client_record(user, {"email": row.email})
    user.email_verified_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        # Taken meanwhile by a racing sign-up, or by another client on the same trainer's roster.
        db.session.rollback()
        raise email_taken() from None
    return user


# Password reset -----------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link when `email` is an active account's proven address; silently nothing otherwise.

    The caller answers the same either way, so the request tells nobody which addresses exist.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active or not is_verified(user):
        return
    token = _issue(user, AccountTokenPurpose.RESET_PASSWORD, user.email)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    _mail(
        user.email,
        "Reset your Fitbud password",
        f"Hello {user.name},\n\nSomeone (we hope you) asked to reset your Fitbud password. Choose a new one here:\n"
        f"{_link(RESET_PATH, token)}\n\nThe link works once, for {minutes} minutes, and logs out every "
        "device. If you didn't ask, ignore this email: your password stays as it is.",
    )
    db.session.commit()


def reset_password(token: str, password: str) -> User:
    """Use a reset link: set the new password and end every login session of the account.

    404 unknown link, 410 used, replaced or expired, 422 a weak password (the link still works).
    """
    row = _redeem(token, _RESET_SALT, (AccountTokenPurpose.RESET_PASSWORD,), _reset_lifetime())
    user = _owner(row)
    if row.email != user.email:
        db.session.rollback()
        raise GoneError("This link was for an address the account no longer uses.", errors={"token": ["replaced"]})
    try:
        check_password(password, user.email)
    except InvalidInputError:
        db.session.rollback()  # the link stays usable for a better password
        raise
    user.password_hash = hash_password(password)
    # Whoever held a session or a pending change may be why the owner lost the password.
    _void(user.id, (AccountTokenPurpose.RESET_PASSWORD,))
    cancel_email_change(user)
    end_sessions(user.id, reason="password reset")
    _mail(
        user.email,
        "Your Fitbud password was changed",
        f"Hello {user.name},\n\nYour Fitbud password was just reset with a link sent to this address, and every "
        "device was logged out. If this wasn't you, reset it again at once and tell your administrator.",
    )
    db.session.commit()
    return user


# Sign-up and profile --------------------------------------------------------------------------


def register_trainer(email: str, password: str, name: str) -> User:
    """Sign a trainer up and mail the link that proves their address; they may log in at once."""
    user = create_user(email, password, name, Role.TRAINER)
    send_verification(user)
    db.session.commit()
    return user


def require_current_password(user: User, current: str | None) -> None:
    """422 on `current_password` unless it is the account's password."""
    if not current:
        raise InvalidInputError(
            "Your current password is needed to change your email or password.",
            errors={"current_password": ["required to change your email or password"]},
        )
    # The same per-account budget on every profile (API, client app, dashboard).
    attempt_limits.spend_attempt(attempt_limits.PASSWORD_CHECK, f"user:{user.id}")
    if not verify_password(user.password_hash, current):
        raise InvalidInputError(
            "The current password is wrong.",
            errors={"current_password": ["does not match your current password"]},
        )


def _on_own_trainers_roster(user: User, email: str) -> bool:
    """Whether a client's trainer already has another client with `email` (their record would clash)."""
    if user.role is not Role.CLIENT:
        return False
    trainer_id = select(Client.trainer_id).where(Client.user_id == user.id).scalar_subquery()
    return (
        db.session.execute(
            select(Client.id).where(
                Client.trainer_id == trainer_id,
                Client.email == email,
                or_(Client.user_id.is_(None), Client.user_id != user.id),
            )
        ).first()
        is not None
    )


def update_profile(user: User, changes: dict[str, Any], current_session_id: str | None) -> User:
    """Change name, timezone, units or password, or ask for a new email; a new password ends other sessions.

    A new email or password needs the current password: the email is the login, so a stolen
    access token must not be enough to take the account. A new email is not applied here: a
    link goes to it (and a notice to the current address), and the change happens when the link
    is used (`confirm_email`). Everything is checked before anything is applied, so a rejected
    request changes nothing.
    """
    updates: dict[str, Any] = {}
    new_email = None
    if "email" in changes:
        email = normalize_email(changes["email"])
        if email != user.email:
            new_email = email
    if "name" in changes:
        updates["name"] = changes["name"].strip()
    if "timezone" in changes:
        updates["timezone"] = validate_timezone(changes["timezone"])
    if "unit_system" in changes:
        if changes["unit_system"] not in UNIT_SYSTEMS:
            choices = ", ".join(UNIT_SYSTEMS)
            raise InvalidInputError("Unknown unit system.", errors={"unit_system": [f"one of: {choices}"]})
        updates["unit_system"] = changes["unit_system"]
    if new_email or "new_password" in changes or changes.get("current_password"):
        require_current_password(user, changes.get("current_password"))
    # After the password: without it, a stolen token must not learn which addresses are in use.
    if new_email is not None:
        holder = find_user_by_email(new_email)
        if (holder is not None and is_verified(holder)) or _on_own_trainers_roster(user, new_email):
            raise email_taken()
    if "new_password" in changes:
        check_password(changes["new_password"], user.email, "new_password")
        updates["password_hash"] = hash_password(changes["new_password"])

    for name, value in updates.items():
        setattr(user, name, value)
    sync_client_record(user, {name: updates[name] for name in ("timezone",) if name in updates})
    if "password_hash" in updates:
        # Whoever else holds a session, or asked for a new email, may be the reason for the change.
        end_sessions(user.id, reason="password changed", keep_session_id=current_session_id)
        cancel_email_change(user)
    if new_email is not None:
        request_email_change(user, new_email)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise email_taken() from None
    return user
