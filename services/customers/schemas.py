"""Request and response contracts of the customers API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema

from services.customers.logic.domain import Language, PortalStatus
from shared.contract import Schema
from shared.line_schemas import PageCursor, PageLimit
from shared.money import Money, SupportedCurrency
from shared.person_names import PersonName as InvitedName
from shared.preferences import PortalPreferences

# Surrounding spaces are trimmed *after* the limits are checked, so the limits the API document states
# hold for what the client sends (stripping first accepted 121 characters where 120 are allowed).
_trim = AfterValidator(str.strip)


def _ascii_address(address: str) -> str:
    """The address as email-validator normalises it, in its ASCII form (an internationalised domain
    as punycode): the contract publishes JSON Schema's `email` format, which is ASCII, and pydantic's
    EmailStr would answer the Unicode form of an `xn--` domain it was sent."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validated = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"value is not a valid email address: {error}") from None
    if validated.ascii_email is None:
        raise ValueError("use an email address in ASCII characters")
    return str(validated.ascii_email)


Email = Annotated[str, AfterValidator(_ascii_address), WithJsonSchema({"type": "string", "format": "email"})]
Name = Annotated[str, Field(min_length=1, max_length=120, pattern=r"\S"), _trim]  # not only spaces
Short = Annotated[str, Field(max_length=120), _trim]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+().\- ]*$"), _trim]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class Address(Strict):
    line1: Short | None = None
    line2: Short | None = None
    city: Short | None = None
    region: Short | None = None
    postal_code: Annotated[str, Field(max_length=20), _trim] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class CreateCustomerRequest(Strict):
    display_name: Name
    company_name: Short | None = None
    email: Email
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
    shipping_address: Address | None = None


class UpdateCustomerRequest(Strict):
    """What staff may change of a customer (its currency stays: invoices are in it)."""

    display_name: Name
    company_name: Short | None = None
    email: Email
    phone: Phone | None = None
    billing_address: Address | None = None


class CreateContactRequest(Strict):
    first_name: Name
    last_name: Name
    email: Email
    phone: Phone | None = None
    is_primary: bool = False
    language: Language | None = None


class UpdateContactRequest(Strict):
    """What staff may change of a contact (its email stays: it is the contact's sign-in)."""

    first_name: Name
    last_name: Name
    phone: Phone | None = None
    is_primary: bool = False
    language: Language | None = None


class ContactView(Schema):
    contact_id: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    is_primary: bool
    language: Language | None = None
    # Shown to the customer's primary contact only (null for the others).
    portal_status: PortalStatus | None = None


class BusinessProfile(Strict):
    """How the tenant presents itself to its customers in the portal."""

    name: Name
    email: Email | None = None
    phone: Phone | None = None
    website: Annotated[str, Field(max_length=200, pattern=r"^https?://")] | None = None
    address: Address | None = None


class OpenReceivable(Schema):
    """One open invoice as the customers service knows it (from invoice and payment events)."""

    invoice_id: str
    number: str
    status: str  # sent, viewed, partially_paid or overdue
    amount_due: Money
    due_date: date
    payment_pending: bool  # a payment for it is waiting (3-D Secure, a bank debit clearing)


class Receivables(Schema):
    outstanding: list[Money]  # one per currency
    overdue: list[Money]
    open_count: int
    overdue_count: int


class Dashboard(Schema):
    customer: CustomerView
    contacts: list[ContactView]
    receivables: Receivables
    open_invoices: list[OpenReceivable]  # oldest due first
    available_credit: Money  # the customer's credit with the business, in its currency
    business: BusinessProfile | None
    portal: PortalPreferences


class CustomerDetail(Schema):
    customer: CustomerView
    contacts: list[ContactView]
    # What this service knows of the customer's balance (projections of invoice and credit events),
    # read in the same Query as the customer.
    receivables: Receivables
    available_credit: Money


class SearchCustomersQuery(Strict):
    """`q`: the start of a customer's name, or of an email address (of the customer or a contact,
    when it has an "@"); with `status`, the start of the email of a contact in that portal status."""

    q: Annotated[str, Field(max_length=200)] = ""
    status: PortalStatus | None = None
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class CustomerPage(Schema):
    items: list[CustomerView]
    next_cursor: str | None


# ---- self-service: a contact's own details and, for the primary contact, the customer's ------------


# Anchored, so a fuzzer's mutation of the pattern is really a name of only spaces (it took an
# unanchored `\S` for violated by "J*").
PersonName = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^\s*\S[\s\S]*$"), _trim]


class UpdateProfileRequest(Strict):
    """What a contact may change of themselves (the email is the sign-in: the auth service changes it)."""

    first_name: PersonName
    last_name: PersonName
    phone: Phone | None = None
    language: Language | None = None


class UpdateAddressesRequest(Strict):
    billing_address: Address | None = None
    shipping_address: Address | None = None


class AddContactPersonRequest(Strict):
    """The name is a stranger's typing that goes into the invitation mail: sign-up's rule."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    first_name: InvitedName
    last_name: InvitedName
    email: Email
    phone: Phone | None = None
    language: Language | None = None


class ProfilePermissions(Schema):
    update_details: bool  # the tenant lets contacts edit their details (and the primary the addresses)
    manage_contact_persons: bool  # … and the primary contact add and remove contact persons
    is_primary: bool


class Profile(Schema):
    contact: ContactView
    customer: CustomerView
    permissions: ProfilePermissions
    contacts: list[ContactView]  # the customer's contact persons: for the primary contact only
