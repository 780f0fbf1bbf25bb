"""TOTP two-step verification on the Security page: enrol (QR code + secret, `totp`), confirm with a
code, disable only after re-authenticating with password and code, and staff reset for a contact who
lost the device."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, use_cases
from services.auth.logic.totp import confirm, start
from services.auth.schemas import MfaSetup, Security
from shared.errors import Conflict
from shared.event_models import MfaChanged
from shared.lazy import lazy_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")


def security(caller: Principal) -> Security:
    email = caller.email or caller.username
    login = cognito.find(email)
    return Security(email=email, mfa_enabled=bool(login and login.mfa_enabled), mfa_policy=store.policy().mfa)


def start_for(caller: Principal, access_token: str) -> MfaSetup:
    if store.policy().mfa == "off":
        raise Conflict("Two-step verification is turned off for this portal.")
    return start(access_token, caller.email or caller.username)


def confirm_for(caller: Principal, access_token: str, code: str) -> Security:
    confirm(access_token, code, caller.email or caller.username)
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
    cognito.disable_totp(login.email)
    cognito.sign_out_everywhere(login.email)
    audit.record(
        MfaChanged(
            email=login.email, customer_id=customer_id, contact_id=contact_id, enabled=False, by_staff=True
        )
    )
