"""Credit notes' projection of the customers service's facts (shared.customer_directory)."""

from __future__ import annotations

from shared.customer_directory import CustomerDirectory

_DIRECTORY = CustomerDirectory("credit_notes", "services.credit_notes.directory_store")

apply_customer_event = _DIRECTORY.apply_customer_event
known_customer = _DIRECTORY.known_customer
require_known_customer = _DIRECTORY.require_known_customer
require_customer_currency = _DIRECTORY.require_customer_currency
