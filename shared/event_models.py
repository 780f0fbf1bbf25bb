"""The catalog of every event the portal puts on its bus, one pydantic model per detail-type.
Producers build them; consumers validate what they receive against them; `events/schemas/` is
exported from them."""

from __future__ import annotations

from typing import ClassVar, Literal

from shared.business import BusinessFacts
from shared.events import EventData
from shared.money import Money
from shared.preferences import PortalPreferences

InvoiceState = Literal["sent", "viewed", "partially_paid", "paid", "void"]


class InvoiceChanged(EventData):
    """Common shape of invoice lifecycle events: a full snapshot, so consumers are order-safe by
    comparing `invoice_version`."""

    source: ClassVar[str] = "portal.invoices"

    invoice_id: str
    customer_id: str
    number: str
    status: InvoiceState
    issue_date: str
    due_date: str
    total: Money
    amount_due: Money
    invoice_version: int


class InvoiceIssued(InvoiceChanged):
    detail_type: ClassVar[str] = "InvoiceIssued"


class InvoiceViewed(InvoiceChanged):
    detail_type: ClassVar[str] = "InvoiceViewed"
    viewed_by_contact_id: str | None


class InvoicePaymentRecorded(InvoiceChanged):
    detail_type: ClassVar[str] = "InvoicePaymentRecorded"
    payment_id: str
    payment_amount: Money
    method: str


class InvoiceVoided(InvoiceChanged):
    detail_type: ClassVar[str] = "InvoiceVoided"


class AuthEvent(EventData):
    """The auth audit trail: who did what to a login. Emails identify logins of contacts and staff
    alike; customer and contact ids are set for contacts."""

    source: ClassVar[str] = "portal.auth"

    email: str
    customer_id: str | None = None
    contact_id: str | None = None
    by_staff: bool = False


class LoginSucceeded(AuthEvent):
    detail_type: ClassVar[str] = "LoginSucceeded"


class LoginFailed(EventData):
    """A failed try names the account by a SHA-256 of its (lower-case) email, not the address: anyone
    can type any address, and the archive must not become a list of who was tried."""

    source: ClassVar[str] = "portal.auth"
    detail_type: ClassVar[str] = "LoginFailed"
    version: ClassVar[int] = 2

    email_sha256: str
    reason: Literal["wrong_password", "wrong_code", "throttled"]


class InvitationSent(AuthEvent):
    detail_type: ClassVar[str] = "InvitationSent"
    expires_at: str


class InvitationAccepted(AuthEvent):
    detail_type: ClassVar[str] = "InvitationAccepted"


class PasswordChanged(AuthEvent):
    detail_type: ClassVar[str] = "PasswordChanged"
    how: Literal["changed", "reset"]


class MfaChanged(AuthEvent):
    detail_type: ClassVar[str] = "MfaChanged"
    enabled: bool


class ContactSignedUp(AuthEvent):
    """Someone signed up with the customer's sign-up link and confirmed it from the email sent to
    the address (choosing a password): the customers service adds them as a contact with this id;
    their login is active already."""

    detail_type: ClassVar[str] = "ContactSignedUp"
    first_name: str
    last_name: str


class PortalAccessChanged(AuthEvent):
    detail_type: ClassVar[str] = "PortalAccessChanged"
    enabled: bool


class CustomerFacts(EventData):
    """A customer's account as the customers service now has it: a full snapshot, so a consumer's
    projection is order-safe by keeping the highest `customer_version` it has seen."""

    source: ClassVar[str] = "portal.customers"

    customer_id: str
    display_name: str
    company_name: str | None
    email: str
    currency: str
    customer_version: int


class CustomerCreated(CustomerFacts):
    detail_type: ClassVar[str] = "CustomerCreated"


class CustomerChanged(CustomerFacts):
    detail_type: ClassVar[str] = "CustomerChanged"


class ContactFacts(EventData):
    """One contact person of a customer, a full snapshot (`contact_version` orders them)."""

    source: ClassVar[str] = "portal.customers"

    customer_id: str
    contact_id: str
    first_name: str
    last_name: str
    email: str
    is_primary: bool
    language: str | None = None
    contact_version: int


class ContactAdded(ContactFacts):
    detail_type: ClassVar[str] = "ContactAdded"


class ContactChanged(ContactFacts):
    detail_type: ClassVar[str] = "ContactChanged"


class ContactRemoved(ContactFacts):
    """The contact's last snapshot; projections keep a tombstone at this version."""

    detail_type: ClassVar[str] = "ContactRemoved"


class PortalPreferencesChanged(EventData):
    """The tenant's portal preferences, whole; every service keeps its own copy."""

    source: ClassVar[str] = "portal.customers"
    detail_type: ClassVar[str] = "PortalPreferencesChanged"

    preferences: PortalPreferences
    settings_version: int


class BusinessProfileChanged(EventData):
    source: ClassVar[str] = "portal.customers"
    detail_type: ClassVar[str] = "BusinessProfileChanged"

    business: BusinessFacts
    settings_version: int


ALL_EVENTS: tuple[type[EventData], ...] = (
    InvoiceIssued,
    InvoiceViewed,
    InvoicePaymentRecorded,
    InvoiceVoided,
    LoginSucceeded,
    LoginFailed,
    InvitationSent,
    InvitationAccepted,
    PasswordChanged,
    MfaChanged,
    ContactSignedUp,
    PortalAccessChanged,
    CustomerCreated,
    CustomerChanged,
    ContactAdded,
    ContactChanged,
    ContactRemoved,
    PortalPreferencesChanged,
    BusinessProfileChanged,
)
CUSTOMER_FACTS: tuple[type[EventData], ...] = (CustomerCreated, CustomerChanged)
CONTACT_FACTS: tuple[type[EventData], ...] = (ContactAdded, ContactChanged, ContactRemoved)
EVENTS_BY_TYPE: dict[tuple[str, str], type[EventData]] = {(e.source, e.detail_type): e for e in ALL_EVENTS}
