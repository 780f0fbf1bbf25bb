"""The catalog of every event the portal puts on its bus, one pydantic model per detail-type.
Producers build them; consumers validate what they receive against them; `events/schemas/` is
exported from them."""

from __future__ import annotations

from typing import ClassVar, Literal

from shared.events import EventData
from shared.money import Money

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
)
EVENTS_BY_TYPE: dict[tuple[str, str], type[EventData]] = {(e.source, e.detail_type): e for e in ALL_EVENTS}
