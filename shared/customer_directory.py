"""A document service's projection of the customers service's facts (the logic side; the store side
is shared.projections.CustomerCopy + SettingsCopy): which customers exist, the portal preferences (the
service's module on or off) and the business profile (its PDFs' letterhead). Version-guarded writes:
a redelivered or older event changes nothing. No pynamodb here: the store module loads lazily."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from shared.errors import ValidationFailed
from shared.event_models import BusinessProfileChanged, CustomerFacts, PortalPreferencesChanged
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from shared.preferences import PortalPreferences


class DirectoryStore(Protocol):
    """What a service's directory_store module offers (see services/invoices/directory_store.py)."""

    def customer_exists(self, customer_id: str) -> bool: ...
    def customer_currency(self, customer_id: str) -> str | None: ...
    def project_customer(self, facts: CustomerFacts) -> bool: ...
    def copy_preferences(self, preferences: PortalPreferences, version: int) -> bool: ...
    def copy_business(self, business_json: str, version: int) -> bool: ...


class CustomerDirectory:
    def __init__(self, service: str, store_module: str) -> None:
        self.service = service
        self.store = cast(DirectoryStore, lazy_module(store_module))

    def apply_customer_event(self, data: EventData) -> bool:
        """True when the projection changed; False for a stale or repeated event."""
        if isinstance(data, CustomerFacts):
            return self.store.project_customer(data)
        if isinstance(data, PortalPreferencesChanged):
            return self.store.copy_preferences(data.preferences, data.settings_version)
        if isinstance(data, BusinessProfileChanged):  # the letterhead of its PDFs
            return self.store.copy_business(data.business.model_dump_json(), data.settings_version)
        raise TypeError(f"the {self.service} directory cannot use {data.detail_type}")

    def known_customer(self, customer_id: str) -> bool:
        """Whether the customer exists: this service's projection, or — when its CustomerCreated has
        not arrived yet — the customers service's answer (function-to-function), kept in the projection."""
        if self.store.customer_exists(customer_id):
            return True
        from shared.customer_lookup import ask

        answer = ask(customer_id)
        if answer.customer is None:
            return False
        self.apply_customer_event(answer.customer)
        return True

    def require_known_customer(self, customer_id: str) -> None:
        """A new document's customer must exist: else a 400 on `customer_id`."""
        if not self.known_customer(customer_id):
            raise ValidationFailed(
                "No customer has this id.", [{"field": "customer_id", "message": "unknown"}]
            )

    def require_customer_currency(self, customer_id: str, currency: str) -> None:
        """A new document's customer must exist (else 400 on `customer_id`) and the document must be in
        the customer's one currency (else 400 on `currency`): money of one customer is never mixed, so
        a payment's credit always lands in the customer's balance."""
        self.require_known_customer(customer_id)
        known = self.store.customer_currency(customer_id)
        if known is None:  # a copy written before it kept the currency: the customers service knows
            from shared.customer_lookup import ask

            answer = ask(customer_id)
            known = answer.customer.currency if answer.customer else None
        require_same_currency(known, currency)


def require_same_currency(customer_currency: str | None, currency: str) -> None:
    if customer_currency is not None and customer_currency != currency:
        raise ValidationFailed(
            f"This customer is billed in {customer_currency}; a document or payment in {currency} "
            "cannot be recorded for them.",
            [{"field": "currency", "message": f"must be {customer_currency}"}],
        )
