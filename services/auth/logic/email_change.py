"""A contact changes their sign-in email: proof of the account (password, + the authenticator's code
when MFA is on), then proof of the new address (a 6-digit code mailed to it, single-use, expiring,
five tries). Confirming switches the Cognito user's email (its sign-in name), ends the sessions of the
old address, publishes `SignInEmailChanged` (the customers service updates its contact) and mails a
notice to the old address. Behind the tenant's `update_details` action."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import sessions, use_cases
from services.auth.schemas import Message
from shared.errors import Conflict, Gone, InvalidCredentials, ValidationFailed
from shared.event_models import SignInEmailChanged
from shared.events import outbox_event
from shared.lazy import lazy_module
from shared.preferences import require_action
from shared.principal import Principal

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

CODE_MINUTES = 30
MAX_WRONG_CODES = 5
TAKEN = "This email address is already used by another login."
CODE_GONE = "This code has expired or was already used. Ask for a new one."
WRONG_CODE = "That code is not right. Check the email we sent to your new address."
SENT = "We have sent a code to your new address. Enter it here to confirm the change."


def _code_hash(old_email: str, code: str) -> str:
    # Bound to the login: a code is worth nothing for another account's change.
    return hashlib.sha256(f"{old_email.lower()}:{code}".encode()).hexdigest()


def _taken_by_another(new_email: str, caller: Principal) -> bool:
    if cognito.find(new_email) is not None:
        return True
    claim = store.contact_claim(new_email)
    return claim is not None and claim.contact_id != caller.contact_id


def request_change(
    caller: Principal, new_email: str, password: str, code: str | None, client: str
) -> Message:
    customer_id = caller.require_customer()
    require_action("update_details", store.tenant_settings)
    old_email = (caller.email or caller.username).lower()
    if new_email == old_email:
        message = "This is already your sign-in email."
        raise ValidationFailed(message, [{"field": "new_email", "message": message}])
    try:
        use_cases.reauthenticate(old_email, password, code, client)
    except InvalidCredentials as refused:
        raise InvalidCredentials(refused.message) from None
    if _taken_by_another(new_email, caller):
        raise Conflict(TAKEN)
    now = int(time.time())
    store.start_email_change(
        old_email, new_email, customer_id, caller.contact_id or "", now + CODE_MINUTES * 60, now
    )
    return Message(message=SENT)


def send_code(old_email: str) -> None:
    """Run by the requests consumer: the code exists only in the email to the new address (its hash
    is kept). A replaced or already-coded change gets nothing."""
    from services.auth.logic.directory import send_email

    change = store.email_change(old_email)
    if change is None or change.status != "requested" or not change.email:
        return
    if (change.expires_at or 0) < time.time():
        return
    code = f"{secrets.randbelow(10**6):06d}"
    if not store.set_email_change_code(old_email, change.email, _code_hash(old_email, code)):
        return
    context = {"contact_name": _name(change.customer_id, change.contact_id) or change.email}
    send_email(change.email, "email_change_code", {**context, "code": code, "expires_minutes": CODE_MINUTES})


def _name(customer_id: str | None, contact_id: str | None) -> str | None:
    """The contact's first name from auth's projection of the customers service's contacts."""
    contact = store.contact(customer_id, contact_id) if customer_id and contact_id else None
    return contact.first_name if contact and contact.first_name else None


def send_changed_notice(
    old_email: str, new_email: str, customer_id: str | None = None, contact_id: str | None = None
) -> None:
    from services.auth.logic.directory import send_email

    changed_at = datetime.now(UTC).strftime("%-d %B %Y, %H:%M UTC")
    name = _name(customer_id, contact_id) or old_email
    context = {"contact_name": name, "new_email": new_email, "changed_at": changed_at}
    send_email(old_email, "sign_in_email_changed", context)


def confirm_change(caller: Principal, code: str) -> Message:
    """Switches the sign-in to the new address; every session of the old one ends (sign in again)."""
    customer_id = caller.require_customer()
    old_email = (caller.email or caller.username).lower()
    change = store.email_change(old_email)
    if (
        change is None
        or change.status != "pending"
        or not change.email
        or not change.token_hash
        or (change.expires_at or 0) < time.time()
        or int(change.failures or 0) >= MAX_WRONG_CODES
        or change.contact_id != caller.contact_id
    ):
        raise Gone(CODE_GONE)
    if not hmac.compare_digest(change.token_hash, _code_hash(old_email, code)):
        store.count_wrong_email_code(old_email)
        raise ValidationFailed(WRONG_CODE, [{"field": "code", "message": WRONG_CODE}])
    new_email = change.email
    if _taken_by_another(new_email, caller):
        raise Conflict(TAKEN)
    if store.login_of(customer_id, caller.contact_id or "") is None:
        raise Conflict("Your login cannot change its email here: ask the business.")
    cognito.change_email(old_email, new_email)
    changed = SignInEmailChanged(
        email=new_email, old_email=old_email, customer_id=customer_id, contact_id=caller.contact_id
    )
    login = (customer_id, caller.contact_id or "")
    if not store.finish_email_change(
        old_email, new_email, change.token_hash, login, outbox_event(changed), int(time.time())
    ):
        raise Gone(CODE_GONE)  # used meanwhile: the first confirmation won (same new address)
    sessions.end(old_email, new_email)
    return Message(message=f"You now sign in with {new_email}. Sign in again.")
