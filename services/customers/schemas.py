"""Request and response contracts of the customers API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field

from shared.contract import Schema
from shared.money import Money, SupportedCurrency
from shared.preferences import PortalPreferences

Name = Annotated[str, Field(min_length=1, max_length=120)]
Short = Annotated[str, Field(max_length=120)]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+().\- ]*$")]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Address(Strict):
    line1: Short | None = None
    line2: Short | None = None
    city: Short | None = None
    region: Short | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class CreateCustomerRequest(Strict):
    display_name: Name
    company_name: Short | None = None
    email: EmailStr
    phone: Phone | None = None
    currency: SupportedCurrency
    billing_address: Address | None = None


class CustomerView(Schema):
    customer_id: str
    display_name: str
    company_name: str | None
    email: str
    phone: str | None
    currency: str
    billing_address: Address | None


class CreateContactRequest(Strict):
    first_name: Name
    last_name: Name
    email: EmailStr
    phone: Phone | None = None
    is_primary: bool = False


class ContactView(Schema):
    contact_id: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    is_primary: bool
    # Shown to the customer's primary contact only (null for the others).
    portal_status: Literal["not_invited", "invited", "active", "disabled"] | None = None


class BusinessProfile(Strict):
    """How the tenant presents itself to its customers in the portal."""

    name: Name
    email: EmailStr | None = None
    phone: Phone | None = None
    website: Annotated[str, Field(max_length=200, pattern=r"^https?://")] | None = None
    address: Address | None = None


class Receivables(Schema):
    outstanding: list[Money]  # one per currency
    overdue: list[Money]
    open_count: int
    overdue_count: int


class Dashboard(Schema):
    customer: CustomerView
    contacts: list[ContactView]
    receivables: Receivables
    business: BusinessProfile | None
    portal: PortalPreferences


class CustomerDetail(Schema):
    customer: CustomerView
    contacts: list[ContactView]
