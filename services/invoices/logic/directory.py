"""Invoices' projection of the customers service's facts: which customers exist (an invoice is
raised for an existing customer only, and its PDF names them), the portal preferences (the invoices
module on or off) and the business profile (the PDFs' letterhead).
Version-guarded writes: a redelivered or older event changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.event_models import BusinessProfileChanged, CustomerFacts, PortalPreferencesChanged
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.invoices import directory_store as store
else:
    store = lazy_module("services.invoices.directory_store")


def apply_customer_event(data: EventData) -> bool:
    """True when the projection changed; False for a stale or repeated event."""
    if isinstance(data, CustomerFacts):
        return store.project_customer(data)
    if isinstance(data, PortalPreferencesChanged):
        return store.copy_preferences(data.preferences, data.settings_version)
    if isinstance(data, BusinessProfileChanged):  # the letterhead of its PDFs
        return store.copy_business(data.business.model_dump_json(), data.settings_version)
    raise TypeError(f"the invoices directory cannot use {data.detail_type}")


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
