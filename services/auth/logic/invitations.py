"""Invitations: staff invite a customer's contacts; the email (sent by the requests consumer) holds a
one-time link that lets the contact set a password and land signed in. A new invitation replaces the
contact's older link; links expire after the tenant's `invitation_days`."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, directory, link_tokens, use_cases
from services.auth.logic.password_policy import check_password
from services.auth.schemas import Invitation, Invitations, LoginResult
from shared.errors import Conflict, Gone, NotFound
from shared.event_models import InvitationAccepted, InvitationSent
from shared.lazy import lazy_module
from shared.settings import common

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

LINK_GONE = (
    "This invitation link has expired, was already used, or was replaced by a newer one. Ask for a new one."
)


class ContactNotYetKnown(RuntimeError):
    """Retryable: the stream redelivers the request."""


def invite(customer_id: str, contact_id: str) -> Invitation:
    contact = directory.known_contact(customer_id, contact_id)
    if contact is None or not contact.email:
        raise NotFound("No such contact.")
    return _invite(customer_id, contact_id, contact.email)


def invite_customers(customer_ids: list[str]) -> Invitations:
    """Every contact of each customer who has no portal login yet (unknown customers are skipped)."""
    results: list[Invitation] = []
    for customer_id in dict.fromkeys(customer_ids):
        for contact in store.contacts_of(customer_id):
            if contact.contact_id and contact.email:
                results.append(_invite(customer_id, contact.contact_id, contact.email))
    return Invitations(invitations=results)


def _invite(customer_id: str, contact_id: str, email: str) -> Invitation:
    answer = Invitation(customer_id=customer_id, contact_id=contact_id, email=email, status="invited")
    login = store.login_of(customer_id, contact_id)
    if login is not None and login.status == "active":
        return answer.model_copy(update={"status": "already_active"})
    if login is not None and login.status == "disabled":
        return answer.model_copy(update={"status": "access_disabled"})
    if not store.customer_access_enabled(customer_id):
        return answer.model_copy(update={"status": "access_disabled"})
    store.request_work(
        "invitation", int(time.time()), email=email, customer_id=customer_id, contact_id=contact_id
    )
    return answer


def send_invitation(customer_id: str, contact_id: str, email: str) -> None:
    """Run by the requests consumer: a fresh link, recorded (replacing the older one), then emailed."""
    from services.auth.logic.directory import send_email

    contact = directory.known_contact(customer_id, contact_id)
    if contact is None:
        # A contact who signed up is added by the customers service from the event: retry until then.
        raise ContactNotYetKnown(f"contact {contact_id} of {customer_id} is not in the customers table (yet)")
    login = store.login_of(customer_id, contact_id)
    if login is not None and login.status in ("active", "disabled"):
        return  # accepted an earlier link meanwhile (or was turned off): nothing to send
    days = store.policy().invitation_days
    now = int(time.time())
    expires_at = now + days * 24 * 3600
    token = link_tokens.new_token()
    expires_text = datetime.fromtimestamp(expires_at, UTC).strftime("%-d %B %Y")
    sent = InvitationSent(
        email=email,
        customer_id=customer_id,
        contact_id=contact_id,
        expires_at=datetime.fromtimestamp(expires_at, UTC).isoformat(),
    )
    store.record_invitation(
        customer_id, contact_id, email, link_tokens.token_hash(token), expires_at, audit.event(sent), now
    )
    send_email(
        email,
        "invitation",
        {
            "contact_name": " ".join(p for p in (contact.first_name, contact.last_name) if p) or email,
            "customer_name": store.customer_name(customer_id) or "",
            "accept_url": f"{common().portal_url}/accept-invitation?token={token}",
            "expires_on": expires_text,
        },
    )


def accept(token: str, password: str, client: str) -> LoginResult:
    item = store.invitation(link_tokens.token_hash(token))
    if item is None or item.status != "pending" or (item.expires_at or 0) < time.time():
        raise Gone(LINK_GONE)
    assert item.email and item.customer_id and item.contact_id
    if not store.customer_access_enabled(item.customer_id):
        raise Conflict("Portal access for your company is turned off. Contact the business.")
    if item.kind == "signup":
        from services.auth.logic import signup

        return signup.accept(item, password, client)
    check_password(password, item.email)
    accepted = InvitationAccepted(email=item.email, customer_id=item.customer_id, contact_id=item.contact_id)
    if not store.accept_invitation(item, audit.event(accepted), int(time.time())):
        raise Gone(LINK_GONE)
    existing = cognito.find(item.email)
    if existing is None:
        cognito.create_login(
            item.email, password, {"customer_id": item.customer_id, "contact_id": item.contact_id}
        )
    else:
        cognito.set_password(item.email, password)
        cognito.set_enabled(item.email, True)
    return use_cases.login(item.email, password, client)


def invite_added_by_customer(customer_id: str, contact_id: str, email: str) -> None:
    """A contact person the customer's primary contact added (CustomerDetailsChangedByContact): invited
    like staff would, once (a redelivered event finds the login and sends nothing more)."""
    if store.login_of(customer_id, contact_id) is not None:
        return
    _invite(customer_id, contact_id, email.lower())
