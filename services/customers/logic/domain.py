"""The customers service's domain objects: what its stores take and return (never pynamodb items,
never HTTP schemas; logic/views.py shapes these into the API's views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Language = Literal["en", "de", "ar"]  # the languages of the portal's emails (shared/mail_templates)
PortalStatus = Literal["not_invited", "invited", "active", "disabled"]


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
    version: int = 1  # 1 when created, +1 per change; carried by the customer's events
    created_at: str = ""
    shipping_address: Address | None = None


@dataclass(frozen=True)
class Contact:
    contact_id: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    is_primary: bool
    language: Language | None = None  # of the emails the contact gets (None = the default)
    portal_status: PortalStatus = "not_invited"  # projection of the auth service's events
    version: int = 1  # 1 when created, +1 per change; carried by the contact's events
    created_at: str = ""


@dataclass(frozen=True)
class Receivable:
    """One open invoice as this service knows it (from invoice events); amount in minor units."""

    invoice_id: str
    status: str
    amount_due: int
    currency: str
    due_date: date
    number: str = ""


@dataclass(frozen=True)
class Credit:
    """The customer's available credit with the business (from the payments service's events)."""

    amount: int
    currency: str


@dataclass(frozen=True)
class Account:
    """A customer's partition as the dashboard reads it: one Query."""

    customer: Customer
    contacts: tuple[Contact, ...] = ()
    open_receivables: tuple[Receivable, ...] = ()
    credit: Credit | None = None
    credit_notes: tuple[Credit, ...] = ()  # what remains of each credit note (0 once closed or void)
    pending_invoices: frozenset[str] = frozenset()  # invoices a payment is pending for


@dataclass(frozen=True)
class Business:
    """How the tenant presents itself to its customers (part of the tenant settings record)."""

    name: str
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: Address | None = None
