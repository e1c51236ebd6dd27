"""Client invitations: single-use links (only their hash is stored) that create a client's login."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, GoneError, NotFoundError
from fitbud.extensions import db
from fitbud.jobs import SEND_EMAIL
from fitbud.models import Client, ClientInvitation, User, utcnow
from fitbud.services import identity, outbox, quotas
from fitbud.services.accounts import TokenPair, check_password, create_user, find_user_by_email, start_session

INVITATION_LIFETIME = timedelta(days=7)
INVITE_PATH = "/invite/"


@dataclass(frozen=True)
class IssuedInvitation:
    """A fresh invitation: the plaintext token exists only here, never in the database."""

    invitation: ClientInvitation
    token: str
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class AcceptedInvitation:
    """The login created from an invitation, already signed in."""

    user: User
    tokens: TokenPair


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 is enough for 256 random bits (no guessing to slow down)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def revoke_open(client_id: int) -> None:
    """Void every unused invitation of a client (in the caller's transaction)."""
    db.session.execute(
        update(ClientInvitation)
        .where(
            ClientInvitation.client_id == client_id,
            ClientInvitation.used_at.is_(None),
            ClientInvitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


def open_invitation(client_id: int) -> ClientInvitation | None:
    """The client's newest invitation that still works (unused, not revoked, not expired), if any."""
    return db.session.execute(
        select(ClientInvitation)
        .where(
            ClientInvitation.client_id == client_id,
            ClientInvitation.used_at.is_(None),
            ClientInvitation.revoked_at.is_(None),
            ClientInvitation.expires_at > utcnow(),
        )
        .order_by(ClientInvitation.created_at.desc(), ClientInvitation.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def issue(client: Client) -> IssuedInvitation:
    """A new invitation for `client`, voiding older ones (in the caller's transaction).

    Every invitation is an email whose text the trainer partly writes (their name): each one
    spends from the trainer's invitation quota (429 beyond it, before anything changes).
    """
    quotas.spend_invitation(client.trainer_id)
    revoke_open(client.id)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = ClientInvitation(
        client_id=client.id,
        token_hash=hash_token(token),
        sent_to=client.email,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    url = f"{current_app.config['PUBLIC_BASE_URL']}{INVITE_PATH}{token}"
    return IssuedInvitation(invitation=invitation, token=token, url=url, expires_at=invitation.expires_at)


def send(issued: IssuedInvitation, trainer_name: str) -> None:
    """Email the invitation through a background job, started once the caller's transaction commits."""
    expires = issued.expires_at.strftime("%d %B %Y")
    body = (
        f"{trainer_name} has invited you to Fitbud, where you'll find your training and nutrition "
        f"plans and can log your progress.\n\n"
        f"Create your login here:\n{issued.url}\n\n"
        f"The link works once and expires on {expires} (UTC). If you weren't expecting this, "
        f"you can ignore this email."
    )
    outbox.add(
        SEND_EMAIL,
        issued.invitation.sent_to,
        f"{trainer_name} invited you to Fitbud",
        body,
        queue="default",
        job_timeout=60,
        retries=3,
    )


@dataclass(frozen=True)
class InvitationPreview:
    """What the invitation page shows before the client sets a password.

    `problem` is None for a link that can be accepted, else "unknown", "used", "revoked" or
    "expired" (the same checks, in the same order, as `accept`).
    """

    problem: str | None
    client_name: str = ""
    trainer_name: str = ""
    email: str = ""


def preview(token: str) -> InvitationPreview:
    """Look an invitation link up without using it: whom it is for and from, or why it cannot be used."""
    row = db.session.execute(
        select(ClientInvitation, Client, User.name)
        .join(Client, Client.id == ClientInvitation.client_id)
        .join(User, User.id == Client.trainer_id)
        .where(ClientInvitation.token_hash == hash_token(token))
    ).first()
    if row is None:
        return InvitationPreview("unknown")
    invitation, client, trainer_name = row
    found = InvitationPreview(None, client.name, trainer_name, client.email)
    if invitation.used_at is not None or client.user_id is not None:
        problem = "used"
    elif invitation.revoked_at is not None or client.archived_at is not None:
        problem = "revoked"
    elif invitation.expires_at <= utcnow():
        problem = "expired"
    else:
        return found
    return InvitationPreview(problem, client.name, trainer_name, "")


def accept(token: str, password: str, name: str | None) -> AcceptedInvitation:
    """Create the client's login from an invitation and sign them in; the address counts as proven.

    Only the invitee has the token: it exists only in the email sent to the client's address
    (the trainer who invites never sees it).

    Unknown token: 404. Used, replaced, expired, or its client archived: 410. Email already
    registered: 409. Nothing changes unless the login is created.
    """
    invitation = db.session.execute(
        select(ClientInvitation)
        .join(ClientInvitation.client)
        .options(contains_eager(ClientInvitation.client))
        .where(ClientInvitation.token_hash == hash_token(token))
        .with_for_update()
    ).scalar_one_or_none()
    if invitation is None:
        raise NotFoundError("This invitation link is not valid.", errors={"token": ["unknown"]})
    client = invitation.client
    if invitation.used_at is not None or client.user_id is not None:
        raise GoneError("This invitation has already been used; log in instead.", errors={"token": ["used"]})
    if invitation.revoked_at is not None or client.archived_at is not None:
        raise GoneError(
            "This invitation was replaced or withdrawn; ask your trainer for a new one.",
            errors={"token": ["revoked"]},
        )
    if invitation.expires_at <= utcnow():
        raise GoneError("This invitation has expired; ask your trainer for a new one.", errors={"token": ["expired"]})
    # The link went to this address, so whoever holds it owns the address: an account that only
    # claimed it (signed up with it and never proved it) gives it up; a proven one is a 409.
    check_password(password, client.email)
    identity.release_unproven_claim(client.email)
    if find_user_by_email(client.email) is not None:
        raise ConflictError("An account with this email already exists.", errors={"email": ["already registered"]})
    user = create_user(
        client.email, password, name or client.name, Role.CLIENT, timezone=client.timezone, email_verified_at=utcnow()
    )
    # The conditional update is what makes the token single-use under concurrent requests.
    marked: CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(ClientInvitation)
        .where(ClientInvitation.id == invitation.id, ClientInvitation.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if marked.rowcount != 1:
        db.session.rollback()
        raise GoneError("This invitation has already been used; log in instead.", errors={"token": ["used"]})
    client.user_id = user.id
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConflictError(
            "An account with this email already exists.", errors={"email": ["already registered"]}
        ) from None
    return AcceptedInvitation(user=user, tokens=start_session(user))
