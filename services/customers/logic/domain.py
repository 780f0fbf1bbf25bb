"""The customers service's domain objects: what its store takes and returns (never pynamodb items,
never HTTP schemas; the API shapes these into its views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.money import Money


@dataclass(frozen=True)
class Address:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Customer:
    customer_id: str
    display_name: str
    company_name: str | None
    email: str
    phone: str | None
    currency: str
    billing_address: Address | None
    created_at: str = ""


@dataclass(frozen=True)
class Contact:
    contact_id: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    is_primary: bool
    portal_status: str = "not_invited"  # projection of the auth service's events
    created_at: str = ""


@dataclass(frozen=True)
class Receivable:
    """One open invoice as this service knows it (from invoice events)."""

    invoice_id: str
    status: str
    amount_due: Money
    due_date: date


@dataclass(frozen=True)
class Account:
    """A customer's partition as the dashboard reads it: one Query."""

    customer: Customer
    contacts: tuple[Contact, ...] = ()
    open_receivables: tuple[Receivable, ...] = ()
