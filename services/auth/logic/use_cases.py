"""Signing in and out. Wrong password and unknown email are one answer (same code, same message);
the tenant's MFA policy is enforced here, so a tenant can require MFA without re-creating users."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, link_tokens, sealed, sessions, throttle, totp
from services.auth.schemas import LoginResult, Me, Tokens
from shared.errors import InvalidCredentials, Unauthenticated
from shared.event_models import LoginSucceeded, PortalAccessChanged
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
    """The browser's part of the tokens: the ID token, and the refresh token for its cookie. The
    access token (what Cognito's own user APIs accept) never leaves the auth service."""
    result = LoginResult(id_token=tokens.id_token, expires_in=tokens.expires_in)
    result._refresh_token = tokens.refresh_token
    return result


def _password_try(email: str, password: str, client: str) -> cognito.SignIn:
    """One counted password try: a wrong password stays counted and is audited."""
    throttle.reserve(email, client)  # counted as a failure until Cognito says otherwise
    try:
        return cognito.password_sign_in(email, password)
    except cognito.RejectedCredentials:
        audit.record(audit.login_failed(email, "wrong_password"))
        raise InvalidCredentials(WRONG_CREDENTIALS) from None


def _code_try(email: str, session: str, code: str, client: str) -> Tokens:
    """One counted guess of the authenticator's code: a wrong code stays counted and is audited; an
    expired sign-in session gives its try back."""
    throttle.reserve(email, client)  # each code guess is counted before Cognito checks it
    try:
        return cognito.answer_mfa(email, session, code)
    except cognito.WrongCode:
        audit.record(audit.login_failed(email, "wrong_code"))
        raise InvalidCredentials(WRONG_CODE) from None
    except (cognito.SessionExpired, cognito.RejectedCredentials):
        throttle.not_failed(email, client)
        raise Unauthenticated(SIGN_IN_EXPIRED) from None


def login(email: str, password: str, client: str) -> LoginResult:
    email = email.lower()
    outcome = _password_try(email, password, client)
    if outcome.mfa_session:
        throttle.not_failed(email, client)
        return LoginResult(challenge="mfa_code", session=outcome.mfa_session)
    assert outcome.tokens is not None
    if store.policy().mfa == "required":
        throttle.not_failed(email, client)
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
    session_hash = link_tokens.token_hash(session)
    sealed_tokens = sealed.seal(tokens.model_dump_json().encode(), session_hash)
    store.hold_tokens(session_hash, email, sealed_tokens, int(time.time()) + HOLD_SECONDS)
    setup = totp.start(tokens.access_token, email)
    return LoginResult(challenge="mfa_setup", session=session, mfa_setup=setup)


def login_with_code(email: str, session: str, code: str, client: str) -> LoginResult:
    email = email.lower()
    return _complete(email, client, _code_try(email, session, code, client))


def login_with_new_mfa(session: str, code: str, client: str) -> LoginResult:
    session_hash = link_tokens.token_hash(session)
    held = store.held_tokens(session_hash)
    if held is None or (held.expires_at or 0) < time.time() or not held.data or not held.email:
        raise Unauthenticated(SIGN_IN_EXPIRED)
    tokens = Tokens.model_validate_json(sealed.unseal(held.data, session_hash))
    throttle.reserve(held.email, client)
    try:
        totp.confirm(tokens.access_token, code, held.email)  # a wrong code stays counted
    except Unauthenticated:
        throttle.not_failed(held.email, client)
        raise
    store.release_tokens(held)
    return _complete(held.email, client, tokens)


def finish_sso(code: str, code_verifier: str, redirect_uri: str) -> LoginResult:
    """The identity provider did the authentication (and its MFA); the pool's triggers linked the user."""
    from services.auth.logic import sso

    return _signed_in(sso.exchange(code, code_verifier, redirect_uri))


SESSION_ENDED = "Your session has ended; sign in again."


def refresh(refresh_token: str | None) -> LoginResult:
    """A new ID token, and the rotated refresh token for the cookie (the one used stops working)."""
    if not refresh_token:
        raise Unauthenticated(SESSION_ENDED)
    try:
        tokens = cognito.refresh(refresh_token)
    except cognito.RejectedCredentials:
        raise Unauthenticated(SESSION_ENDED) from None
    return _signed_in(tokens)


def reauthenticate(email: str, password: str, code: str | None, client: str) -> Tokens:
    """Proof of the account for a sensitive change: the password, and the current code when MFA is
    on. Failures count towards the sign-in throttle like any sign-in. Answers Cognito's tokens for
    the auth service's own use (the access token never leaves it)."""
    email = email.lower()
    outcome = _password_try(email, password, client)
    throttle.not_failed(email, client)  # the password was right (nothing is cleared: no code yet)
    if outcome.tokens is not None:
        return outcome.tokens
    if not code or not outcome.mfa_session:
        raise InvalidCredentials(WRONG_CODE)
    tokens = _code_try(email, outcome.mfa_session, code, client)  # the code is a guess of its own
    throttle.not_failed(email, client)
    return tokens


def logout(caller: Principal) -> None:
    # A federated (SSO) user is known to Cognito only by its username, a native one by the email alias
    # it signed in with (moto matches refresh tokens by that name only).
    claims = {"cognito:username": caller.username, "sub": caller.subject, "email": caller.email}
    sessions.end(caller.email or caller.subject, cognito.sign_in_name(claims))


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
) -> str:
    """A login without an invitation: staff members, and the demo seed's contacts. Making a login
    staff is the seed's own Cognito call (infra/local/seed.py): the API function may not add anyone
    to a group."""
    attributes = {"customer_id": customer_id, "contact_id": contact_id}
    subject = cognito.create_login(email.lower(), password, {k: v for k, v in attributes.items() if v})
    if customer_id and contact_id:
        store.mark_login_active(customer_id, contact_id, email.lower())
        granted = PortalAccessChanged(
            email=email.lower(), customer_id=customer_id, contact_id=contact_id, enabled=True
        )
        audit.record(granted)
    return subject
