"""The plain values the auth store hands to logic (no pynamodb here). Field names are the attributes
of the auth table's items, so logic reads `login.status` or `link.expires_at` as it always has."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Login:
    """A contact's portal login (`CUSTOMER#<cid>` / `LOGIN#<ctid>`)."""

    customer_id: str
    contact_id: str
    status: str | None  # invited | active | disabled
    email: str | None
    token_hash: str | None = None  # the current invitation link's hash
    sso_user: str | None = None  # the Cognito username when the contact came by SSO


@dataclass(frozen=True)
class Link:
    """A one-time link: an invitation (`INVITE#<hash>`) or a password reset (`RESET#<hash>`)."""

    token_hash: str
    status: str | None  # pending | used
    email: str | None
    expires_at: int | None
    customer_id: str | None = None
    contact_id: str | None = None
    kind: str | None = None  # None for an invitation, "signup" for a pending sign-up
    data: str | None = None  # a pending sign-up's names (JSON)


@dataclass(frozen=True)
class HeldTokens:
    """Tokens held back until a required MFA enrolment is confirmed."""

    session_hash: str
    email: str | None
    data: str | None  # the Tokens, sealed
    expires_at: int | None


@dataclass(frozen=True)
class Counter:
    """Failed sign-ins (or requests) of one key in one window."""

    key: str
    failures: int | None
    last_failure: float | None
