"""Estimates' projection of the customers service's facts: which customers exist (and their names,
for PDFs), the portal preferences (the estimates module on or off) and the business profile (the
PDFs' letterhead). Version-guarded writes: a redelivered or older event changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.event_models import BusinessProfileChanged, CustomerFacts, PortalPreferencesChanged
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.estimates import directory_store as store
else:
    store = lazy_module("services.estimates.directory_store")


def apply_customer_event(data: EventData) -> bool:
    """True when the projection changed; False for a stale or repeated event."""
    if isinstance(data, CustomerFacts):
        return store.project_customer(data)
    if isinstance(data, PortalPreferencesChanged):
        return store.copy_preferences(data.preferences, data.settings_version)
    if isinstance(data, BusinessProfileChanged):
        return store.copy_business(data.business.model_dump_json(), data.settings_version)
    raise TypeError(f"the estimates directory cannot use {data.detail_type}")


def known_customer(customer_id: str) -> bool:
    """Whether the customer exists: this service's projection, or — when its CustomerCreated has not
    arrived yet — the customers service's answer (function-to-function), kept in the projection."""
    if store.customer_exists(customer_id):
        return True
    from shared.customer_lookup import ask

    answer = ask(customer_id)
    if answer.customer is None:
        return False
    apply_customer_event(answer.customer)
    return True
