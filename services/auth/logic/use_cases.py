"""Sign-in use cases. Wrong password and unknown email are one answer (same code, same message)."""

from __future__ import annotations

from services.auth import store
from services.auth.schemas import Me, Tokens
from shared.errors import InvalidCredentials, Unauthenticated
from shared.principal import Principal

WRONG_CREDENTIALS = "The email or password is not right."


def login(email: str, password: str) -> Tokens:
    try:
        return store.password_login(email.lower(), password)
    except store.RejectedCredentials:
        raise InvalidCredentials(WRONG_CREDENTIALS) from None


def refresh(refresh_token: str) -> Tokens:
    try:
        return store.refresh(refresh_token)
    except store.RejectedCredentials:
        raise Unauthenticated("Your session has ended; sign in again.") from None


def logout(caller: Principal) -> None:
    # The email is the sign-in alias; Cognito accepts it wherever a username is expected (and moto
    # only matches its refresh tokens by the name the user signed in with).
    store.sign_out_everywhere(caller.email or caller.username)


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
    """Give a contact (or a staff member) a login. Invitations replace this in the auth issue; the
    demo seed and tests use it."""
    attributes = {"customer_id": customer_id, "contact_id": contact_id}
    return store.create_login(email.lower(), password, {k: v for k, v in attributes.items() if v}, staff)
