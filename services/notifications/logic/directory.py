"""Notifications' projection of the customers service's facts: whom to email about a customer's
events (its contacts' emails and languages, the customer's name), the business profile (emails'
branding) and the portal preferences. Version-guarded: a redelivered or older event changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.event_models import (
    BusinessProfileChanged,
    ContactFacts,
    ContactRemoved,
    CustomerFacts,
    PortalPreferencesChanged,
)
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.notifications import directory_store as store
else:
    store = lazy_module("services.notifications.directory_store")


def apply_customer_event(data: EventData) -> bool:
    """True when the projection changed; False for a stale or repeated event."""
    if isinstance(data, CustomerFacts):
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
        )
    if isinstance(data, PortalPreferencesChanged):
        return store.copy_preferences(data.preferences, data.settings_version)
    if isinstance(data, BusinessProfileChanged):
        return store.copy_business(data.business.model_dump_json(), data.settings_version)
    raise TypeError(f"the notifications directory cannot use {data.detail_type}")
