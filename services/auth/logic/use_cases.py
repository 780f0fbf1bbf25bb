"""Signing in and out. Wrong password and unknown email are one answer (same code, same message);
the tenant's MFA policy is enforced here, so a tenant can require MFA without re-creating users."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, link_tokens, throttle, totp
from services.auth.schemas import LoginResult, Me, Tokens
from shared.errors import InvalidCredentials, Unauthenticated
from shared.event_models import LoginFailed, LoginSucceeded, PortalAccessChanged
from shared.lazy import lazy_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

WRONG_CREDENTIALS = "The email or password is not right."
WRONG_CODE = "That code is not right. Enter the current code from your authenticator app."
SIGN_IN_EXPIRED = "This sign-in has expired. Start again with your email and password."
HOLD_SECONDS = 10 * 60


def _signed_in(tokens: Tokens) -> LoginResult:
    return LoginResult(**tokens.model_dump())


def login(email: str, password: str, client: str) -> LoginResult:
    email = email.lower()
    throttle.check(email, client)
    try:
        outcome = cognito.password_sign_in(email, password)
    except cognito.RejectedCredentials:
        throttle.failed(email, client)
        audit.record(LoginFailed(email=email, reason="wrong_password"))
        raise InvalidCredentials(WRONG_CREDENTIALS) from None
    if outcome.mfa_session:
        return LoginResult(challenge="mfa_code", session=outcome.mfa_session)
    assert outcome.tokens is not None
    if store.policy().mfa == "required":
        return _hold_until_enrolled(email, outcome.tokens)
    return _complete(email, client, outcome.tokens)


def _complete(email: str, client: str, tokens: Tokens) -> LoginResult:
    throttle.succeeded(email, client)
    audit.record(LoginSucceeded(email=email))
    return _signed_in(tokens)


def _hold_until_enrolled(email: str, tokens: Tokens) -> LoginResult:
    """The tenant requires MFA and this user has none: the tokens stay with us until a code confirms
    the new authenticator."""
    session = link_tokens.new_token()
    store.hold_tokens(link_tokens.token_hash(session), email, tokens, int(time.time()) + HOLD_SECONDS)
    setup = totp.start(tokens.access_token, email)
    return LoginResult(challenge="mfa_setup", session=session, mfa_setup=setup)


def login_with_code(email: str, session: str, code: str, client: str) -> LoginResult:
    email = email.lower()
    throttle.check(email, client)
    try:
        tokens = cognito.answer_mfa(email, session, code)
    except cognito.WrongCode:
        throttle.failed(email, client)
        audit.record(LoginFailed(email=email, reason="wrong_code"))
        raise InvalidCredentials(WRONG_CODE) from None
    except (cognito.SessionExpired, cognito.RejectedCredentials):
        raise Unauthenticated(SIGN_IN_EXPIRED) from None
    return _complete(email, client, tokens)


def login_with_new_mfa(session: str, code: str, client: str) -> LoginResult:
    held = store.held_tokens(link_tokens.token_hash(session))
    if held is None or (held.expires_at or 0) < time.time() or not held.data or not held.email:
        raise Unauthenticated(SIGN_IN_EXPIRED)
    tokens = Tokens.model_validate_json(held.data)
    throttle.check(held.email, client)
    try:
        totp.confirm(tokens.access_token, code, held.email)
    except InvalidCredentials:
        throttle.failed(held.email, client)
        raise
    store.release_tokens(held)
    return _complete(held.email, client, tokens)


def finish_sso(code: str, code_verifier: str, redirect_uri: str) -> LoginResult:
    """The identity provider did the authentication (and its MFA); the pool's triggers linked the user."""
    from services.auth.logic import sso

    return _signed_in(sso.exchange(code, code_verifier, redirect_uri))


def refresh(refresh_token: str) -> Tokens:
    try:
        return cognito.refresh(refresh_token)
    except cognito.RejectedCredentials:
        raise Unauthenticated("Your session has ended; sign in again.") from None


def logout(caller: Principal) -> None:
    # The email is the sign-in alias; Cognito accepts it wherever a username is expected (and moto
    # only matches its refresh tokens by the name the user signed in with).
    cognito.sign_out_everywhere(caller.email or caller.username)


def me(caller: Principal) -> Me:
    return Me(
        subject=caller.subject,
        email=caller.email,
        customer_id=caller.customer_id,
        contact_id=caller.contact_id,
        is_staff=caller.is_staff,
    )


def provision_login(
    email: str,
    password: str,
    customer_id: str | None = None,
    contact_id: str | None = None,
    staff: bool = False,
) -> str:
    """A login without an invitation: staff members, and the demo seed's contacts."""
    attributes = {"customer_id": customer_id, "contact_id": contact_id}
    subject = cognito.create_login(email.lower(), password, {k: v for k, v in attributes.items() if v}, staff)
    if customer_id and contact_id:
        store.mark_login_active(customer_id, contact_id, email.lower())
        granted = PortalAccessChanged(
            email=email.lower(), customer_id=customer_id, contact_id=contact_id, enabled=True
        )
        audit.record(granted)
    return subject
