"""Self sign-up links: when the tenant allows it, staff share a signed link (as they would a payment
link) that lets people of that customer create their own login. The link names the customer and an
expiry under an HMAC, so it cannot be stretched or pointed at another customer.

Signing up creates nothing visible: it answers the same 202 whatever the email, and the requests
consumer emails the address a one-time link (a pending sign-up, `INVITE#` of kind `signup`). Only
when the owner of the address uses it is the contact created (`ContactSignedUp` → customers) and the
login made. So a sign-up can neither probe whether an email is another customer's contact, nor squat
an address before staff add it, nor make the tenant mail a stranger's words to anyone."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, link_tokens, sealed, throttle
from services.auth.logic.password_policy import check_password
from services.auth.logic.records import Link
from services.auth.schemas import LoginResult, Message, SignupLink
from shared.errors import Conflict, Gone, NotFound
from shared.event_models import ContactSignedUp, InvitationAccepted
from shared.ids import new_id
from shared.lazy import lazy_module
from shared.settings import common

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

LINK_DAYS = 30
ACCEPTED = "Thanks! Check your inbox: we have sent you a link to choose your password."
LINK_GONE = "This sign-up link has expired or is not valid. Ask the business for a new one."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key() -> bytes:
    return sealed.data_key(sealed.SIGNUP_LINKS)


def _sign(payload: bytes) -> str:
    return _b64(hmac.new(_key(), payload, hashlib.sha256).digest())


def create_link(customer_id: str) -> SignupLink:
    if not store.policy().self_signup:
        raise Conflict("Self sign-up is turned off. Turn it on in the sign-in policy first.")
    if store.customer_name(customer_id) is None:
        raise NotFound("No such customer.")
    expires_at = int(time.time()) + LINK_DAYS * 24 * 3600
    payload = json.dumps({"c": customer_id, "e": expires_at}, separators=(",", ":")).encode()
    token = f"{_b64(payload)}.{_sign(payload)}"
    return SignupLink(
        customer_id=customer_id,
        url=f"{common().portal_url}/sign-up?token={token}",
        expires_at=datetime.fromtimestamp(expires_at, UTC).isoformat(),
    )


def customer_of(token: str) -> str:
    """The customer a valid link is for; refuses a forged, altered or expired one."""
    try:
        encoded, signature = token.split(".", 1)
        payload = _unb64(encoded)
        claims = json.loads(payload)
    except (ValueError, json.JSONDecodeError):
        raise Gone(LINK_GONE) from None
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters (a TypeError, not a "no").
    if not hmac.compare_digest(signature.encode(), _sign(payload).encode()):
        raise Gone(LINK_GONE)
    customer_id, expires_at = (claims.get("c"), claims.get("e")) if isinstance(claims, dict) else (None, None)
    if not isinstance(customer_id, str) or not isinstance(expires_at, int) or expires_at < time.time():
        raise Gone(LINK_GONE)
    return customer_id


def sign_up(token: str, email: str, first_name: str, last_name: str, client: str) -> Message:
    customer_id = customer_of(token)
    if not store.policy().self_signup:
        raise Gone(LINK_GONE)
    throttle.limit_email_requests("signup", email, client)
    store.request_work(
        "signup",
        int(time.time()),
        email=email.lower(),
        customer_id=customer_id,
        first_name=first_name,
        last_name=last_name,
    )
    return Message(message=ACCEPTED)


def process_sign_up(customer_id: str, email: str, first_name: str, last_name: str) -> None:
    """Run by the requests consumer. A known contact of this customer is (re)invited; a new person
    is emailed a one-time link to confirm (nothing else is created); an email that belongs to
    another customer's contact, or to any other login, gets nothing."""
    claim = store.contact_claim(email)
    if claim is not None:
        if claim.customer_id == customer_id and claim.contact_id:
            store.request_work(
                "invitation",
                int(time.time()),
                email=email,
                customer_id=customer_id,
                contact_id=claim.contact_id,
            )
        return
    if cognito.find(email) is not None:
        return  # a staff member's (or an unlinked) login: not a new contact
    from shared.mail import send_email

    now = int(time.time())
    expires_at = now + store.policy().invitation_days * 24 * 3600
    token = link_tokens.new_token()
    store.record_pending_signup(
        link_tokens.token_hash(token),
        email=email,
        customer_id=customer_id,
        contact_id=new_id(),
        names={"first_name": first_name, "last_name": last_name},
        expires_at=expires_at,
    )
    send_email(
        email,
        "signup_confirm",
        {
            "customer_name": store.customer_name(customer_id) or "",
            "accept_url": f"{common().portal_url}/accept-invitation?token={token}",
            "expires_on": datetime.fromtimestamp(expires_at, UTC).strftime("%-d %B %Y"),
        },
    )


def accept(item: Link, password: str, client: str) -> LoginResult:
    """The owner of the address used the pending sign-up's link: the contact is created (by the
    customers service, from the event) and the login made, once. An address taken meanwhile (staff
    added it, or it signed up through another link) leaves the link without effect."""
    from services.auth.logic import use_cases

    assert item.email and item.customer_id and item.contact_id and item.data
    if not store.policy().self_signup:
        raise Gone(LINK_GONE)
    check_password(password, item.email)
    if store.contact_claim(item.email) is not None or cognito.find(item.email) is not None:
        raise Gone(LINK_GONE)
    names = json.loads(item.data)
    ids = {"email": item.email, "customer_id": item.customer_id, "contact_id": item.contact_id}
    events = [audit.event(ContactSignedUp(**ids, **names)), audit.event(InvitationAccepted(**ids))]
    if not store.accept_pending_signup(item, events, int(time.time())):
        raise Gone(LINK_GONE)
    cognito.create_login(
        item.email, password, {"customer_id": item.customer_id, "contact_id": item.contact_id}
    )
    return use_cases.login(item.email, password, client)
