"""TOTP two-step verification on the Security page: enrol (QR code + secret, `totp`), confirm with a
code, disable only after re-authenticating with password and code, and staff reset for a contact who
lost the device."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, link_tokens, sealed, sessions, use_cases
from services.auth.logic.totp import confirm, start
from services.auth.schemas import MfaSetup, Security
from shared.errors import Conflict, Gone
from shared.event_models import MfaChanged
from shared.lazy import lazy_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

ENROLMENT_EXPIRED = "This set-up has expired. Start again."
ENROL_SECONDS = 10 * 60


def security(caller: Principal) -> Security:
    email = caller.email or caller.username
    login = cognito.find(email)
    return Security(email=email, mfa_enabled=bool(login and login.mfa_enabled), mfa_policy=store.policy().mfa)


def start_for(caller: Principal, password: str, code: str | None, client: str) -> MfaSetup:
    """Enrolling from the Security page needs the password (and the current code when an authenticator
    is on: replacing it is as sensitive as turning MFA off). Cognito's access token for the new
    authenticator is held here under a one-time session, never handed to the browser."""

    if store.policy().mfa == "off":
        raise Conflict("Two-step verification is turned off for this portal.")
    email = caller.email or caller.username
    tokens = use_cases.reauthenticate(email, password, code, client)
    session = link_tokens.new_token()
    session_hash = link_tokens.token_hash(session)
    sealed_tokens = sealed.seal(tokens.model_dump_json().encode(), session_hash)
    store.hold_tokens(session_hash, email, sealed_tokens, int(time.time()) + ENROL_SECONDS)
    return start(tokens.access_token, email).model_copy(update={"session": session})


def confirm_for(caller: Principal, session: str, code: str) -> Security:
    from services.auth.schemas import Tokens

    email = caller.email or caller.username
    session_hash = link_tokens.token_hash(session)
    held = store.held_tokens(session_hash)
    # Another principal's enrolment answers exactly like an unknown one.
    if held is None or (held.expires_at or 0) < time.time() or held.email != email or not held.data:
        raise Gone(ENROLMENT_EXPIRED)
    confirm(Tokens.model_validate_json(sealed.unseal(held.data, session_hash)).access_token, code, email)
    store.release_tokens(held)
    return security(caller)


def disable(caller: Principal, password: str, code: str, client: str) -> Security:
    """Needs the password and a current code: a stolen session alone cannot turn MFA off."""
    if store.policy().mfa == "required":
        raise Conflict("Your billing portal requires two-step verification; it cannot be turned off.")
    email = caller.email or caller.username
    first = use_cases.login(email, password, client)
    if first.challenge != "mfa_code" or not first.session:
        raise Conflict("Two-step verification is not on.")
    use_cases.login_with_code(email, first.session, code, client)
    cognito.disable_totp(email)
    audit.record(
        MfaChanged(email=email, customer_id=caller.customer_id, contact_id=caller.contact_id, enabled=False)
    )
    return security(caller)


def reset_for_contact(customer_id: str, contact_id: str) -> None:
    """Staff recovery for a contact who lost the authenticator: MFA off, every session ended."""
    from shared.errors import NotFound

    login = store.login_of(customer_id, contact_id)
    if login is None or login.status != "active" or not login.email:
        raise NotFound("This contact has no portal login.")
    if login.sso_user and cognito.find(login.email) is None:
        raise NotFound(
            "This contact signs in only through single sign-on: there is no authenticator to reset."
        )
    cognito.disable_totp(login.email)
    sessions.end(login.email)
    audit.record(
        MfaChanged(
            email=login.email, customer_id=customer_id, contact_id=contact_id, enabled=False, by_staff=True
        )
    )
