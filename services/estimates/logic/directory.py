"""Estimates' projection of the customers service's facts: which customers exist (and their names,
for PDFs), the portal preferences (the estimates module on or off) and the business profile (the
PDFs' letterhead). Version-guarded writes: a redelivered or older event changes nothing."""

from __future__ import annotations

from shared.customer_directory import CustomerDirectory

_DIRECTORY = CustomerDirectory("estimates", "services.estimates.directory_store")

apply_customer_event = _DIRECTORY.apply_customer_event
known_customer = _DIRECTORY.known_customer
require_known_customer = _DIRECTORY.require_known_customer
require_customer_currency = _DIRECTORY.require_customer_currency
