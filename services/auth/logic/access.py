"""Portal access of a customer: turning it off disables every contact's login and ends their
sessions at once; turning it on again lets them sign in with their old passwords."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from services.auth import cognito
from services.auth.logic import audit
from services.auth.schemas import PortalAccess, SignInPolicy
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
        assert login.email
        cognito.set_enabled(login.email, enabled)
        if not enabled:
            cognito.sign_out_everywhere(login.email)
    return PortalAccess(
        customer_id=customer_id, enabled=enabled, contacts_signed_out=0 if enabled else len(logins)
    )


def policy() -> SignInPolicy:
    return store.policy()


def set_policy(value: SignInPolicy) -> SignInPolicy:
    store.save_policy(value)
    return value
