"""Invoices' projection of the customers service's facts: which customers exist (an invoice is
raised for an existing customer only, and its PDF names them), the portal preferences (the invoices
module on or off) and the business profile (the PDFs' letterhead).
Version-guarded writes: a redelivered or older event changes nothing."""

from __future__ import annotations

from shared.customer_directory import CustomerDirectory

_DIRECTORY = CustomerDirectory("invoices", "services.invoices.directory_store")

apply_customer_event = _DIRECTORY.apply_customer_event
known_customer = _DIRECTORY.known_customer
require_known_customer = _DIRECTORY.require_known_customer
require_customer_currency = _DIRECTORY.require_customer_currency
