"""Forwarding estimates by email: the shared forwarding use cases (shared/forwarding.py) over this
service's store, its PDFs and its `EstimateForwarded` event (source portal.estimates)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.estimates.logic import documents
from shared.event_models import EstimateForwarded
from shared.forwarding import Forwarding, customer_contacts
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.estimates import store
else:
    store = lazy_module("services.estimates.store")

forwarding = Forwarding(
    document="estimate",
    find=documents.forwardable,
    settings=lambda: store.tenant_settings,
    contacts=customer_contacts,
    read_window=lambda customer_id: store.forward_window(customer_id),
    record=lambda *args: store.record_forward(*args),
    event=EstimateForwarded,
)
