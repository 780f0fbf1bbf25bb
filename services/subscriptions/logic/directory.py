"""Subscriptions' projection of the customers service's facts: which customers exist and the portal
preferences (the subscriptions module on or off). Version-guarded writes."""

from __future__ import annotations

from shared.customer_directory import CustomerDirectory

_DIRECTORY = CustomerDirectory("subscriptions", "services.subscriptions.directory_store")

apply_customer_event = _DIRECTORY.apply_customer_event
require_known_customer = _DIRECTORY.require_known_customer
require_customer_currency = _DIRECTORY.require_customer_currency
