"""Rate limits of the customers service, in its own table (shared.rate_limit): contact persons a
customer's primary contact adds (each is emailed an invitation)."""

from __future__ import annotations

from services.customers.store import TABLE_NAME
from shared.rate_limit import rate_model, take

RateRecord = rate_model(TABLE_NAME)


def take_contact_add(customer_id: str, per_hour: int) -> int:
    """0 when this add is admitted, else the seconds until the customer's hour ends."""
    return take(RateRecord, f"CONTACT_ADDS#{customer_id}", per_hour, 3600)
