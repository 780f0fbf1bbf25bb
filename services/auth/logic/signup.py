"""Self sign-up links: when the tenant allows it, staff share a signed link (as they would a payment
link) that lets people of that customer create their own login. The link names the customer and an
expiry under an HMAC, so it cannot be stretched or pointed at another customer. Signing up never
attaches an email that belongs to another customer's contact, and answers the same whatever happens:
the email (an invitation to choose a password) proves the address is theirs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from services.auth.logic import audit, throttle
from services.auth.schemas import Message, SignupLink
from shared.errors import Conflict, Gone, NotFound
from shared.event_models import ContactSignedUp
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
    return store.signing_key(lambda: secrets.token_bytes(32))


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
    if not hmac.compare_digest(signature, _sign(payload)) or int(claims.get("e", 0)) < time.time():
        raise Gone(LINK_GONE)
    return str(claims["c"])


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
    becomes a contact (the customers service adds them from the event) and is invited; an email that
    belongs to another customer's contact gets nothing."""
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
    contact_id = new_id()
    signed_up = ContactSignedUp(
        email=email,
        customer_id=customer_id,
        contact_id=contact_id,
        first_name=first_name,
        last_name=last_name,
    )
    store.publish_with_request(
        audit.event(signed_up),
        "invitation",
        int(time.time()),
        email=email,
        customer_id=customer_id,
        contact_id=contact_id,
    )
