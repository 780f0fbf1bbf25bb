"""Forgot, reset and change password. A reset request answers the same whatever the email: the API
only records the request (one write); the requests consumer looks the login up and emails a link."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, link_tokens, sessions, throttle, use_cases
from services.auth.logic.password_policy import check_password
from services.auth.schemas import LoginResult, Message
from shared.errors import Gone, InvalidCredentials
from shared.event_models import PasswordChanged
from shared.lazy import lazy_module
from shared.principal import Principal
from shared.settings import common

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

RESET_MINUTES = 30
REQUESTED = "If an account exists for that email, we have sent it a link to choose a new password."
LINK_GONE = "This reset link has expired or was already used. Ask for a new one."


def forgot(email: str, client: str) -> Message:
    throttle.limit_email_requests("reset", email, client)
    store.request_work("password_reset", int(time.time()), email=email.lower())
    return Message(message=REQUESTED)


def send_reset(email: str) -> None:
    """Run by the requests consumer: unknown or disabled logins get nothing (and nobody learns it)."""
    from services.auth.logic.directory import send_email

    login = cognito.find(email)
    if login is None or not login.enabled:
        return
    token = link_tokens.new_token()
    store.record_reset(link_tokens.token_hash(token), email, int(time.time()) + RESET_MINUTES * 60)
    send_email(
        email,
        "password_reset",
        {
            "contact_name": login.attributes.get("given_name") or email,
            "reset_url": f"{common().portal_url}/reset-password?token={token}",
            "expires_minutes": RESET_MINUTES,
        },
    )


def send_changed_notice(email: str) -> None:
    from services.auth.logic.directory import send_email

    changed_at = datetime.now(UTC).strftime("%-d %B %Y, %H:%M UTC")
    send_email(email, "password_changed", {"contact_name": email, "changed_at": changed_at})


def reset(token: str, password: str) -> Message:
    """Sets the new password and ends every session. MFA stays on: the next sign-in asks for a code."""
    item = store.reset(link_tokens.token_hash(token))
    if item is None or item.status != "pending" or (item.expires_at or 0) < time.time() or not item.email:
        raise Gone(LINK_GONE)
    check_password(password, item.email)
    if not store.use_reset(item):
        raise Gone(LINK_GONE)
    _replace_password(item.email, password, "reset")
    return Message(message="Your password has been changed. Sign in with the new password.")


def change(caller: Principal, current_password: str, new_password: str, client: str) -> LoginResult:
    """Needs the current password; ends every other session and signs this one in again (asking for
    the app's code when MFA is on)."""
    email = caller.email or caller.username
    check_password(new_password, email)
    try:
        use_cases.login(email, current_password, client)
    except InvalidCredentials:
        raise InvalidCredentials("Your current password is not right.") from None
    _replace_password(email, new_password, "changed", caller)
    return use_cases.login(email, new_password, client)


def _replace_password(email: str, password: str, how: str, caller: Principal | None = None) -> None:
    cognito.set_password(email, password)
    sessions.end(email)
    event = PasswordChanged(
        email=email,
        customer_id=caller.customer_id if caller else None,
        contact_id=caller.contact_id if caller else None,
        how="reset" if how == "reset" else "changed",
    )
    audit.record(event)
    store.request_work("password_changed", int(time.time()), email=email)
