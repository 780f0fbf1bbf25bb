"""What the auth service does when a customer's primary contact changes its contact persons
(`CustomerDetailsChangedByContact`, on the directory queue with the facts it follows): a person added
is invited like staff would invite them; a person removed loses their login (the requests consumer
switches it off: the one auth function allowed to disable pool users)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from services.auth.logic.directory import apply_customer_event
from shared.event_models import CustomerDetailsChangedByContact
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")


def apply_directory_event(data: EventData) -> bool:
    if isinstance(data, CustomerDetailsChangedByContact):
        return follow_contact_persons(data)
    return apply_customer_event(data)


def follow_contact_persons(data: CustomerDetailsChangedByContact) -> bool:
    if not data.subject_contact_id:
        return False
    if data.change == "contact_removed":
        store.request_work(
            "revoke_login", int(time.time()), customer_id=data.customer_id, contact_id=data.subject_contact_id
        )
        return True
    if data.change == "contact_added" and data.subject_email:
        from services.auth.logic.invitations import invite_added_by_customer

        invite_added_by_customer(data.customer_id, data.subject_contact_id, data.subject_email)
        return True
    return False
