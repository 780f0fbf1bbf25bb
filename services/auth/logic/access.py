"""Portal access of a customer, and of one contact: turning it off disables the logins and ends their
sessions at once; turning it on again lets them sign in with their old passwords. A contact turned
off by themselves stays off when the customer's access is turned on again."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit, sessions
from services.auth.logic.records import Login
from services.auth.schemas import ContactAccess, PortalAccess, SignInPolicy
from shared.errors import NotFound
from shared.event_models import PortalAccessChanged
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")


def set_customer_access(customer_id: str, enabled: bool) -> PortalAccess:
    if store.customer_name(customer_id) is None:
        raise NotFound("No such customer.")
    logins = [login for login in store.logins_of(customer_id) if login.status == "active" and login.email]
    events = [
        audit.event(
            PortalAccessChanged(
                email=login.email,
                customer_id=customer_id,
                contact_id=login.contact_id,
                enabled=enabled,
                by_staff=True,
            )
        )
        for login in logins
        if login.email
    ]
    store.set_customer_access(customer_id, enabled, events, int(time.time()))
    for login in logins:
        _switch_pool_users(login, enabled)
    if not enabled:
        sessions.end_all(pair for login in logins for pair in _sign_ins(login))
    return PortalAccess(
        customer_id=customer_id, enabled=enabled, contacts_signed_out=0 if enabled else len(logins)
    )


def policy() -> SignInPolicy:
    return store.policy()


def set_policy(value: SignInPolicy) -> SignInPolicy:
    store.save_policy(value)
    return value


def set_contact_access(customer_id: str, contact_id: str, enabled: bool) -> ContactAccess:
    """One contact's login off (disabled, every session ended at once) or back on. While the
    customer's access is off, turning a contact on waits for the customer's access."""
    login = store.login_of(customer_id, contact_id)
    if login is None or login.status not in ("active", "disabled") or not login.email:
        raise NotFound("This contact has no portal login.")
    changed = PortalAccessChanged(
        email=login.email, customer_id=customer_id, contact_id=contact_id, enabled=enabled, by_staff=True
    )
    store.set_login_status(login, "active" if enabled else "disabled", audit.event(changed), int(time.time()))
    if not enabled or store.customer_access_enabled(customer_id):
        _switch_pool_users(login, enabled)
    if not enabled:
        sessions.end_all(_sign_ins(login))
    return ContactAccess(customer_id=customer_id, contact_id=contact_id, enabled=enabled)


def _sign_ins(login: Login) -> list[tuple[str, str]]:
    """(email, Cognito name) of each pool user of the contact: the password user, and the federated
    user when they came by SSO."""
    if not login.email:
        return []
    return [(login.email, name) for name in dict.fromkeys(n for n in (login.email, login.sso_user) if n)]


def _switch_pool_users(login: Login, enabled: bool) -> None:
    """The contact's pool users on or off. An SSO-only contact has no password user, and may have no
    federated user by that name yet (the local stand-in makes none): the login record alone keeps
    them out then, as the pool's triggers read it before any token is made."""
    for _, name in _sign_ins(login):
        try:
            cognito.set_enabled(name, enabled)
        except cognito.RejectedCredentials:
            if not login.sso_user:
                raise


def revoke_removed_contact(customer_id: str, contact_id: str) -> None:
    """The customer's primary contact removed this contact person: their login goes off (pool user
    disabled, sessions ended) and an open invitation stops working. Run by the requests consumer;
    repeated, it finds the login off already and does nothing."""
    login = store.login_of(customer_id, contact_id)
    if login is None or login.status == "disabled" or not login.email:
        return
    changed = PortalAccessChanged(
        email=login.email, customer_id=customer_id, contact_id=contact_id, enabled=False
    )
    store.set_login_status(login, "disabled", audit.event(changed), int(time.time()))
    if login.status == "active":
        _switch_pool_users(login, False)
        sessions.end_all(_sign_ins(login))
