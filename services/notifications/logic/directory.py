"""Notifications' projection of the customers service's facts: whom to email about a customer's
events (its contacts' emails and languages, the customer's name), the business profile (emails'
branding) and the portal preferences. Version-guarded: a redelivered or older event changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.notifications.logic.records import CustomerFacts
from shared.event_models import (
    BusinessProfileChanged,
    ContactFacts,
    ContactRemoved,
    PortalPreferencesChanged,
)
from shared.event_models import CustomerFacts as CustomerSnapshot
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.notifications import directory_store as store
else:
    store = lazy_module("services.notifications.directory_store")


def apply_customer_event(data: EventData) -> bool:
    """True when the projection changed; False for a stale or repeated event."""
    if isinstance(data, CustomerSnapshot):
        return store.project_customer(data.customer_id, data.display_name, data.customer_version)
    if isinstance(data, ContactFacts):
        return store.project_contact(
            data.customer_id,
            data.contact_id,
            (data.first_name, data.last_name),
            data.email,
            data.language,
            data.contact_version,
            removed=isinstance(data, ContactRemoved),
            is_primary=data.is_primary,
        )
    if isinstance(data, PortalPreferencesChanged):
        return store.copy_preferences(data.preferences, data.settings_version)
    if isinstance(data, BusinessProfileChanged):
        return store.copy_business(data.business.model_dump_json(), data.settings_version)
    raise TypeError(f"the notifications directory cannot use {data.detail_type}")


def known_customer(customer_id: str) -> CustomerFacts | None:
    """The customer's name and contacts from this service's projection, or — when its events have
    not arrived yet (a customer created a moment before its first invoice) — from the customers
    service (function-to-function), kept in the projection with their versions."""
    facts = store.customer_facts(customer_id)
    if facts is not None:
        return facts
    from shared.customer_lookup import ask

    answer = ask(customer_id, all_contacts=True)
    if answer.customer is None:
        return None
    for fact in [answer.customer, *answer.contacts]:
        apply_customer_event(fact)
    return store.customer_facts(customer_id)
