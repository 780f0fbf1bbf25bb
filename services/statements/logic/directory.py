"""Statements' projection of the customers service's facts: which customers exist (their currency and
name), the portal preferences (the statements module on or off) and the business profile (the PDF's
letterhead). Version-guarded writes: a redelivered or older event changes nothing."""

from __future__ import annotations

from shared.customer_directory import CustomerDirectory

_DIRECTORY = CustomerDirectory("statements", "services.statements.directory_store")

apply_customer_event = _DIRECTORY.apply_customer_event
known_customer = _DIRECTORY.known_customer
