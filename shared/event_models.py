"""The catalog of every event the portal puts on its bus, one pydantic model per detail-type.
Producers build them; consumers validate what they receive against them; `events/schemas/` is
exported from them."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

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
    # set on an invoice that bills a subscription's charge (the subscriptions service lists them)
    subscription_id: str | None = None


class InvoiceIssued(InvoiceChanged):
    """`pdf_key`: the issued invoice's PDF in the documents bucket (the issue email attaches it)."""

    detail_type: ClassVar[str] = "InvoiceIssued"
    pdf_key: str | None = None


class InvoiceViewed(InvoiceChanged):
    detail_type: ClassVar[str] = "InvoiceViewed"
    viewed_by_contact_id: str | None


class InvoicePaymentRecorded(InvoiceChanged):
    """Money applied to the invoice: `payment_amount` is what was applied (for a portal payment or a
    credit, at most the amount due, so it may be less than the allocation, even 0). `kind` says where
    it came from: a portal payment (`payment_id` = the payments service's id), a credit application
    (`payment_id` = the application id), a credit note applied to it (`payment_id` = the credit
    note's application id) or a payment staff recorded (offline)."""

    detail_type: ClassVar[str] = "InvoicePaymentRecorded"
    payment_id: str
    payment_amount: Money
    method: str
    kind: Literal["payment", "credit", "credit_note", "offline"] = "offline"
    paid_on: str | None = None  # an offline payment's date as staff recorded it (ISO date)


class InvoiceRefundRecorded(InvoiceChanged):
    """Money paid against the invoice went back to the customer (a refund of `payment_id`): the
    amount due rises by `refund_amount`."""

    detail_type: ClassVar[str] = "InvoiceRefundRecorded"
    payment_id: str
    refund_id: str
    refund_amount: Money


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


# ---- portal.payments ---------------------------------------------------------------------------------

PaymentState = Literal["pending", "succeeded", "failed", "cancelled", "refunded", "partially_refunded"]


class Allocation(BaseModel):
    """How much of a payment (or of a credit) went to one invoice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    invoice_id: str
    invoice_number: str
    amount: Money


class PaymentMethodFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["card", "bank_debit", "credit", "offline"]
    brand: str | None = None
    last4: str | None = None


class PaymentChanged(EventData):
    """A payment as the payments service now has it: a full snapshot; consumers keep the highest
    `payment_version` they have seen. `allocations` are the invoices it pays (oldest first unless the
    contact chose); `unallocated` (amount − allocations) became the customer's credit."""

    source: ClassVar[str] = "portal.payments"

    payment_id: str
    customer_id: str
    contact_id: str | None
    status: PaymentState
    amount: Money
    method: PaymentMethodFacts
    allocations: list[Allocation]
    unallocated: Money
    payment_version: int


class PaymentPending(PaymentChanged):
    """Started and waiting (3-D Secure, a bank debit clearing): its invoices show "payment pending"."""

    detail_type: ClassVar[str] = "PaymentPending"


class PaymentSucceeded(PaymentChanged):
    detail_type: ClassVar[str] = "PaymentSucceeded"


class PaymentFailed(PaymentChanged):
    detail_type: ClassVar[str] = "PaymentFailed"
    failure_reason: str


class PaymentRefunded(PaymentChanged):
    """A refund (whole or part) of a succeeded payment. `refund_allocations` say how much each invoice
    gets back (its amount due rises again); `credit_reversed` is taken from the customer's credit."""

    detail_type: ClassVar[str] = "PaymentRefunded"
    refund_id: str
    refund_amount: Money
    refund_allocations: list[Allocation]
    credit_reversed: Money
    reason: str | None = None


class CreditChanged(EventData):
    """A customer's credit balance after a change; `balance_version` orders them per customer."""

    source: ClassVar[str] = "portal.payments"

    credit_id: str
    customer_id: str
    amount: Money  # of this change
    balance: Money  # available credit after it
    balance_version: int


class CreditCreated(CreditChanged):
    """Money the customer has with the business: an over- or advance payment (`payment_id`)."""

    detail_type: ClassVar[str] = "CreditCreated"
    payment_id: str | None


class CreditApplied(CreditChanged):
    """Credit used to pay an invoice (`allocation`); the invoice's amount due falls by it."""

    detail_type: ClassVar[str] = "CreditApplied"
    application_id: str
    allocation: Allocation
    contact_id: str | None


class CreditReversed(CreditChanged):
    """Credit taken back by a refund of the payment that created it (`refund_id`)."""

    detail_type: ClassVar[str] = "CreditReversed"
    payment_id: str
    refund_id: str


class CreditReturned(CreditChanged):
    """Credit applied to an invoice that the invoice did not take (it was paid meanwhile): back on
    the balance, once per application (`application_id`)."""

    detail_type: ClassVar[str] = "CreditReturned"
    application_id: str
    invoice_id: str


class ProviderEventReceived(EventData):
    """A payment provider's webhook, verified and deduplicated: the provider-events consumer re-reads
    the object it names from the provider (webhooks arrive more than once and out of order)."""

    source: ClassVar[str] = "portal.payments"
    detail_type: ClassVar[str] = "ProviderEventReceived"

    provider: str
    provider_event_id: str
    type: str
    created: int
    object_id: str
    object_type: str | None = None


# ---- portal.estimates --------------------------------------------------------------------------------

EstimateState = Literal["sent", "viewed", "accepted", "declined", "invoiced"]


class EstimateLine(BaseModel):
    """A priced line as staff entered it (the invoices service prices it again by shared.pricing,
    the same rules, so the invoice's sums equal the estimate's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str
    quantity: str  # a decimal string, exact
    unit_price: Money
    tax_name: str | None
    tax_rate_bps: int


class EstimateChanged(EventData):
    """An estimate (quote) as the estimates service now has it: a full snapshot; consumers keep the
    highest `estimate_version` they have seen."""

    source: ClassVar[str] = "portal.estimates"

    estimate_id: str
    customer_id: str
    number: str
    status: EstimateState
    issue_date: str
    expiry_date: str
    total: Money
    estimate_version: int


class EstimateSent(EstimateChanged):
    detail_type: ClassVar[str] = "EstimateSent"


class EstimateViewed(EstimateChanged):
    detail_type: ClassVar[str] = "EstimateViewed"
    viewed_by_contact_id: str | None


class EstimateAccepted(EstimateChanged):
    detail_type: ClassVar[str] = "EstimateAccepted"
    contact_id: str | None


class EstimateDeclined(EstimateChanged):
    detail_type: ClassVar[str] = "EstimateDeclined"
    contact_id: str | None
    reason: str


class EstimateConverted(EstimateChanged):
    """Staff turned an accepted estimate into an invoice: the invoices service drafts one for the
    customer with these lines (once per estimate, however often this arrives)."""

    detail_type: ClassVar[str] = "EstimateConverted"
    currency: str
    lines: list[EstimateLine]
    reference: str | None
    notes: str | None
    terms: str | None


# ---- comments on documents (each service publishes its own documents' comments) ---------------------


class CommentAdded(EventData):
    """A comment on a document: a contact's (staff are told), or a staff reply (the customer's contacts
    are told when `visible_to_customer`)."""

    detail_type: ClassVar[str] = "CommentAdded"

    document: Literal["invoice", "estimate"]
    document_id: str
    document_number: str
    customer_id: str
    comment_id: str
    author: Literal["contact", "staff"]
    contact_id: str | None
    author_email: str | None
    visible_to_customer: bool
    body: str


class InvoiceCommentAdded(CommentAdded):
    source: ClassVar[str] = "portal.invoices"


class EstimateCommentAdded(CommentAdded):
    source: ClassVar[str] = "portal.estimates"


# ---- forwarding a document by email (each service publishes its own documents' forwards) ----------


class DocumentForwarded(EventData):
    """A contact sent one of their customer's documents to `to` (another contact of the customer, or
    any address when the tenant allows it). The PDF travels by S3, not in the event: `pdf_key` is its
    object in the documents bucket (notifications may read it, nothing else)."""

    detail_type: ClassVar[str] = "DocumentForwarded"

    forward_id: str
    document: Literal["invoice", "estimate"]
    document_id: str
    document_number: str
    customer_id: str
    contact_id: str | None
    from_email: str | None
    to: str
    message: str | None
    pdf_key: str


class InvoiceForwarded(DocumentForwarded):
    source: ClassVar[str] = "portal.invoices"
    detail_type: ClassVar[str] = "InvoiceForwarded"


class EstimateForwarded(DocumentForwarded):
    source: ClassVar[str] = "portal.estimates"
    detail_type: ClassVar[str] = "EstimateForwarded"


# ---- portal.credit_notes -----------------------------------------------------------------------------

CreditNoteState = Literal["open", "closed", "void"]


class CreditNoteChanged(EventData):
    """A credit note as the credit-notes service now has it: a full snapshot; consumers keep the
    highest `credit_note_version`. `remaining` = total − applied to invoices − refunded."""

    source: ClassVar[str] = "portal.credit_notes"

    credit_note_id: str
    customer_id: str
    number: str
    status: CreditNoteState
    issue_date: str
    invoice_id: str | None  # the invoice it was raised against, if any
    total: Money
    remaining: Money
    credit_note_version: int


class CreditNoteIssued(CreditNoteChanged):
    """Staff issued it (directly, or by approving a contact's request: `request_id`): the customer's
    balance falls by `total`."""

    detail_type: ClassVar[str] = "CreditNoteIssued"
    request_id: str | None


class CreditNoteApplied(CreditNoteChanged):
    """Part of the credit note paid an invoice (`allocation`): the invoice's amount due falls by it
    (the customer's balance does not change: credit became payment)."""

    detail_type: ClassVar[str] = "CreditNoteApplied"
    application_id: str
    allocation: Allocation


class CreditNoteApplicationReturned(CreditNoteChanged):
    """The invoice took less of an application than was applied (it was paid meanwhile): the rest
    (`returned`) is on the credit note again; the application now holds what the invoice took (an
    application it took nothing of is gone)."""

    detail_type: ClassVar[str] = "CreditNoteApplicationReturned"
    application_id: str
    returned: Allocation  # the invoice and the amount it did not take


class CreditNoteRefunded(CreditNoteChanged):
    """Part of the remaining credit was paid back to the customer: their balance rises by it."""

    detail_type: ClassVar[str] = "CreditNoteRefunded"
    refund_id: str
    refund_amount: Money
    method: str
    reference: str | None


class CreditNoteVoided(CreditNoteChanged):
    """An open credit note nothing was applied or refunded from was voided: the balance rises by its
    total again."""

    detail_type: ClassVar[str] = "CreditNoteVoided"


CreditNoteRequestState = Literal["requested", "approved", "rejected"]


class CreditNoteRequestChanged(EventData):
    """A contact's request for a credit note against an invoice, and its outcome."""

    source: ClassVar[str] = "portal.credit_notes"

    request_id: str
    customer_id: str
    contact_id: str | None
    invoice_id: str
    invoice_number: str
    amount: Money
    reason: str
    status: CreditNoteRequestState
    answer: str | None  # staff's reason when rejecting (or a note when approving)
    credit_note_id: str | None


class CreditNoteRequested(CreditNoteRequestChanged):
    detail_type: ClassVar[str] = "CreditNoteRequested"


class CreditNoteRequestAnswered(CreditNoteRequestChanged):
    detail_type: ClassVar[str] = "CreditNoteRequestAnswered"


ALL_EVENTS: tuple[type[EventData], ...] = (
    InvoiceIssued,
    InvoiceViewed,
    InvoicePaymentRecorded,
    InvoiceRefundRecorded,
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
    PaymentPending,
    PaymentSucceeded,
    PaymentFailed,
    PaymentRefunded,
    CreditCreated,
    CreditApplied,
    CreditReversed,
    CreditReturned,
    ProviderEventReceived,
    EstimateSent,
    EstimateViewed,
    EstimateAccepted,
    EstimateDeclined,
    EstimateConverted,
    InvoiceCommentAdded,
    EstimateCommentAdded,
    InvoiceForwarded,
    EstimateForwarded,
    CreditNoteIssued,
    CreditNoteApplied,
    CreditNoteApplicationReturned,
    CreditNoteRefunded,
    CreditNoteVoided,
    CreditNoteRequested,
    CreditNoteRequestAnswered,
)
CUSTOMER_FACTS: tuple[type[EventData], ...] = (CustomerCreated, CustomerChanged)
CONTACT_FACTS: tuple[type[EventData], ...] = (ContactAdded, ContactChanged, ContactRemoved)
PAYMENT_EVENTS: tuple[type[EventData], ...] = (
    PaymentPending,
    PaymentSucceeded,
    PaymentFailed,
    PaymentRefunded,
)
CREDIT_EVENTS: tuple[type[EventData], ...] = (CreditCreated, CreditApplied, CreditReversed, CreditReturned)
CREDIT_NOTE_EVENTS: tuple[type[EventData], ...] = (
    CreditNoteIssued,
    CreditNoteApplied,
    CreditNoteApplicationReturned,
    CreditNoteRefunded,
    CreditNoteVoided,
)
EVENTS_BY_TYPE: dict[tuple[str, str], type[EventData]] = {(e.source, e.detail_type): e for e in ALL_EVENTS}


# ---- portal.subscriptions ------------------------------------------------------------------------------


class ChargeLine(BaseModel):
    """One line a subscription bills (credits and discounts negative), for the span of service it covers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["charge", "credit", "discount"]
    description: str
    amount: Money
    start: str
    end: str


class SubscriptionEvent(EventData):
    """A subscription as the subscriptions service now has it, and what the change bills: `charge_id`
    names the invoice its `lines` go to (once per charge id), None when nothing is billed. Consumers
    keep the highest `subscription_version` they have seen."""

    source: ClassVar[str] = "portal.subscriptions"

    subscription_id: str
    customer_id: str
    status: Literal["trial", "live", "non_renewing", "paused", "cancelled", "unpaid"]
    plan_id: str
    plan_name: str
    quantity: int
    currency: str
    action: str  # what happened: created, change_plan, quantity, renewal, cancel, pause, …
    next_renewal_at: str | None
    subscription_version: int
    charge_id: str | None = None
    lines: list[ChargeLine] = []


class SubscriptionCreated(SubscriptionEvent):
    detail_type: ClassVar[str] = "SubscriptionCreated"


class SubscriptionChanged(SubscriptionEvent):
    detail_type: ClassVar[str] = "SubscriptionChanged"


class SubscriptionRenewed(SubscriptionEvent):
    detail_type: ClassVar[str] = "SubscriptionRenewed"


class TrialEnding(SubscriptionEvent):
    detail_type: ClassVar[str] = "TrialEnding"

    trial_ends_at: str


class SubscriptionPaused(SubscriptionEvent):
    detail_type: ClassVar[str] = "SubscriptionPaused"

    paused_until: str | None


class SubscriptionCancelled(SubscriptionEvent):
    detail_type: ClassVar[str] = "SubscriptionCancelled"

    at_term_end: bool
    reason: str | None


class SubscriptionReactivated(SubscriptionEvent):
    detail_type: ClassVar[str] = "SubscriptionReactivated"


class SubscriptionChargeRequested(EventData):
    """Auto-charge this subscription invoice with the customer's default saved method (the payments
    service decides: only when the customer turned auto-charge on and has one). `attempt` 1 is the
    invoice's first charge, the next ones are dunning retries; `request_id` names this attempt (a
    payments consumer charges once per request id)."""

    source: ClassVar[str] = "portal.subscriptions"
    detail_type: ClassVar[str] = "SubscriptionChargeRequested"

    request_id: str
    subscription_id: str
    customer_id: str
    invoice_id: str
    invoice_number: str
    amount: Money  # the amount due when asked (payments charges what is due when it charges)
    attempt: int


SUBSCRIPTION_EVENTS: tuple[type[EventData], ...] = (
    SubscriptionCreated,
    SubscriptionChanged,
    SubscriptionRenewed,
    TrialEnding,
    SubscriptionPaused,
    SubscriptionCancelled,
    SubscriptionReactivated,
    SubscriptionChargeRequested,
)
ALL_EVENTS = (*ALL_EVENTS, *SUBSCRIPTION_EVENTS)
EVENTS_BY_TYPE.update({(e.source, e.detail_type): e for e in SUBSCRIPTION_EVENTS})


# ---- customer self-service (issue #16) ------------------------------------------------------------------


class CustomerDetailsChangedByContact(EventData):
    """A contact changed something of their customer themselves (the snapshot events — ContactChanged,
    CustomerChanged, ContactAdded, ContactRemoved — carry the facts; this one says who did it, so staff
    can be told and the auth service can invite a contact person the customer added)."""

    source: ClassVar[str] = "portal.customers"
    detail_type: ClassVar[str] = "CustomerDetailsChangedByContact"

    customer_id: str
    customer_name: str
    by_contact_id: str
    by_name: str
    change: Literal["own_details", "addresses", "contact_added", "contact_removed"]
    subject_contact_id: str | None = None  # the contact person added or removed
    subject_name: str | None = None
    subject_email: str | None = None


class SignInEmailChanged(AuthEvent):
    """A contact proved a new address and signs in with it from now (`email`); the customers service
    updates its contact, the old address got a notice."""

    detail_type: ClassVar[str] = "SignInEmailChanged"
    old_email: str


SELF_SERVICE_EVENTS: tuple[type[EventData], ...] = (CustomerDetailsChangedByContact, SignInEmailChanged)
ALL_EVENTS = (*ALL_EVENTS, *SELF_SERVICE_EVENTS)
EVENTS_BY_TYPE.update({(e.source, e.detail_type): e for e in SELF_SERVICE_EVENTS})
