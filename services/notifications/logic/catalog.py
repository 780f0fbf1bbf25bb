"""What each consumed event means for people: one planner per (source, detail-type).

A planner is a pure function `(event data, customer facts or None) -> Plan`: the activity entry to
record, the emails to the customer's contacts and the alert for staff (sent to each staff member by
email or in-app, as each one chose). To notify about a new event: write its planner, add ONE entry
to `PLANNERS`, and add its detail-type to NotificationsRule in template.yaml (a test keeps the two
equal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.notifications.logic.records import CustomerFacts
from services.notifications.schemas import StaffNotificationType
from shared.event_models import (
    Allocation,
    AuthEvent,
    CommentAdded,
    CreditCreated,
    CreditNoteIssued,
    CreditNoteRequestAnswered,
    CreditNoteRequested,
    CustomerDetailsChangedByContact,
    DocumentForwarded,
    EstimateAccepted,
    EstimateCommentAdded,
    EstimateDeclined,
    EstimateForwarded,
    InvitationAccepted,
    InvoiceCommentAdded,
    InvoiceForwarded,
    InvoiceIssued,
    InvoicePaymentRecorded,
    InvoiceViewed,
    InvoiceVoided,
    MfaChanged,
    PasswordChanged,
    PaymentChanged,
    PaymentFailed,
    PaymentMethodFacts,
    PaymentRefunded,
    PaymentSucceeded,
    SignInEmailChanged,
    SubscriptionCancelled,
    SubscriptionChanged,
    SubscriptionEvent,
    SubscriptionPaused,
    SubscriptionReactivated,
    SubscriptionRenewed,
    TrialEnding,
)
from shared.events import EventData
from shared.mail import format_money, portal_link

PAYMENT_METHODS = {
    "bank_transfer": "Bank transfer",
    "bank_debit": "Bank debit",
    "card": "Card",
    "credit": "Credit",
    "cash": "Cash",
    "check": "Check",
    "other": "Other",
}


@dataclass(frozen=True)
class ActivityNote:
    type: str
    title: str
    link: str | None = None
    staff_only: bool = False


@dataclass(frozen=True)
class PdfAttachment:
    """A PDF the email carries: its object in the documents bucket (the event names it), as `filename`."""

    key: str
    filename: str


@dataclass(frozen=True)
class ContactEmail:
    """An email to the customer's contacts (all of them, or the one `contact_id`). The template gets
    `context` plus `contact_name` and `customer_name`."""

    template: str
    context: dict[str, Any]
    contact_id: str | None = None
    attachment: PdfAttachment | None = None


@dataclass(frozen=True)
class DirectEmail:
    """An email to one address that need not be a contact (a forwarded document's recipient). The
    template gets `context` plus `customer_name`."""

    to: str
    template: str
    context: dict[str, Any]
    attachment: PdfAttachment | None = None


@dataclass(frozen=True)
class StaffAlert:
    """Something staff may want to hear about; each member's preference for `type` decides whether
    it comes by email (template gets `context` + `staff_name`, `customer_name`), in-app only, or not."""

    type: StaffNotificationType
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    activity: ActivityNote | None = None
    contact_emails: tuple[ContactEmail, ...] = field(default_factory=tuple)
    staff_alert: StaffAlert | None = None
    direct_emails: tuple[DirectEmail, ...] = field(default_factory=tuple)


Planner = Callable[[Any, CustomerFacts | None], Plan]


def _invoice_context(event: InvoiceIssued | InvoiceViewed | InvoicePaymentRecorded) -> dict[str, Any]:
    return {
        "invoice_id": event.invoice_id,
        "invoice_url": portal_link(f"/invoices/{event.invoice_id}"),
        "number": event.number,
        "issue_date": event.issue_date,
        "due_date": event.due_date,
        "total": event.total.model_dump(),
        "amount_due": event.amount_due.model_dump(),
    }


def invoice_issued(event: InvoiceIssued, customer: CustomerFacts | None) -> Plan:
    return Plan(
        activity=ActivityNote(
            type="invoice_issued",
            title=f"Invoice {event.number} issued: {format_money(event.amount_due)} due",
            link=f"/invoices/{event.invoice_id}",
        ),
        contact_emails=(
            ContactEmail(
                "invoice_issued",
                _invoice_context(event),
                attachment=PdfAttachment(event.pdf_key, f"{event.number}.pdf") if event.pdf_key else None,
            ),
        ),
    )


def invoice_viewed(event: InvoiceViewed, customer: CustomerFacts | None) -> Plan:
    viewer = customer.contact(event.viewed_by_contact_id) if customer else None
    viewer_name = viewer.name if viewer else "A contact"
    return Plan(
        activity=ActivityNote(
            type="invoice_viewed",
            title=f"{viewer_name} viewed invoice {event.number}",
            link=f"/invoices/{event.invoice_id}",
        ),
        staff_alert=StaffAlert(
            "invoice_viewed", "staff_invoice_viewed", {**_invoice_context(event), "viewer_name": viewer_name}
        ),
    )


def payment_recorded(event: InvoicePaymentRecorded, customer: CustomerFacts | None) -> Plan:
    if event.kind == "payment":
        return Plan()  # a portal payment: its PaymentSucceeded tells everyone, once for all its invoices
    context = {
        **_invoice_context(event),
        "payment_id": event.payment_id,
        "payment_amount": event.payment_amount.model_dump(),
        "method_label": PAYMENT_METHODS.get(event.method, event.method.replace("_", " ").capitalize()),
    }
    settled = " (paid in full)" if event.amount_due.amount == 0 else ""
    what = {"credit": "Credit", "credit_note": "Credit note"}.get(event.kind, "Payment")
    verb = "applied to" if event.kind in ("credit", "credit_note") else "received for"
    return Plan(
        activity=ActivityNote(
            type="payment_received",
            title=f"{what} of {format_money(event.payment_amount)} {verb} {event.number}{settled}",
            link=f"/invoices/{event.invoice_id}",
        ),
        contact_emails=(ContactEmail("payment_receipt", context),),
        staff_alert=StaffAlert("payment_received", "staff_payment_received", context),
    )


def invoice_voided(event: InvoiceVoided, customer: CustomerFacts | None) -> Plan:
    return Plan(
        activity=ActivityNote(
            type="invoice_voided",
            title=f"Invoice {event.number} was voided",
            link=f"/invoices/{event.invoice_id}",
        )
    )


def _estimate_answered(
    event: EstimateAccepted | EstimateDeclined,
    customer: CustomerFacts | None,
    answer: str,
    reason: str | None,
) -> Plan:
    contact = customer.contact(event.contact_id) if customer else None
    who = contact.name if contact else "A contact"
    context = {
        "estimate_id": event.estimate_id,
        "number": event.number,
        "total": event.total.model_dump(),
        "expiry_date": event.expiry_date,
        "answer": answer,
        "contact_name": who,
        "reason": reason,
    }
    return Plan(
        activity=ActivityNote(
            type=f"estimate_{answer}",
            title=f"{who} {answer} estimate {event.number} ({format_money(event.total)})",
            link=f"/estimates/{event.estimate_id}",
        ),
        staff_alert=StaffAlert("estimate_answered", "staff_estimate_answered", context),
    )


def estimate_accepted(event: EstimateAccepted, customer: CustomerFacts | None) -> Plan:
    return _estimate_answered(event, customer, "accepted", None)


def estimate_declined(event: EstimateDeclined, customer: CustomerFacts | None) -> Plan:
    return _estimate_answered(event, customer, "declined", event.reason)


def comment_added(event: CommentAdded, customer: CustomerFacts | None) -> Plan:
    """A contact's comment reaches staff; a staff reply the customer may see reaches its contacts
    (a hidden one is a note among staff: it stays in their feed only)."""
    kind = event.document.capitalize()
    link = f"/{event.document}s/{event.document_id}"
    context = {
        "document": event.document,
        "document_number": event.document_number,
        "document_url": portal_link(link),
        "body": event.body,
    }
    if event.author == "contact":
        contact = customer.contact(event.contact_id) if customer else None
        who = contact.name if contact else (event.author_email or "A contact")
        return Plan(
            activity=ActivityNote(
                type="comment_added", title=f"{who} commented on {kind} {event.document_number}", link=link
            ),
            staff_alert=StaffAlert("comment_added", "staff_comment_added", {**context, "author_name": who}),
        )
    if not event.visible_to_customer:
        return Plan(
            activity=ActivityNote(
                type="comment_added",
                title=f"Internal note on {kind} {event.document_number}",
                link=link,
                staff_only=True,
            )
        )
    return Plan(
        activity=ActivityNote(
            type="comment_added", title=f"New reply on {kind} {event.document_number}", link=link
        ),
        contact_emails=(ContactEmail("comment_reply", context),),
    )


def _person(event: AuthEvent, customer: CustomerFacts | None) -> str:
    contact = customer.contact(event.contact_id) if customer else None
    return contact.name if contact else event.email


def invitation_accepted(event: InvitationAccepted, customer: CustomerFacts | None) -> Plan:
    who = _person(event, customer)
    return Plan(
        activity=ActivityNote(type="contact_joined", title=f"{who} joined the portal"),
        staff_alert=StaffAlert(
            "contact_joined", "staff_contact_joined", {"contact_name": who, "contact_email": event.email}
        ),
    )


def password_changed(event: PasswordChanged, customer: CustomerFacts | None) -> Plan:
    """Staff see it in their feed; the contact already got the auth service's security email."""
    verb = "reset their password" if event.how == "reset" else "changed their password"
    return Plan(
        activity=ActivityNote(
            type="security_changed", title=f"{_person(event, customer)} {verb}", staff_only=True
        )
    )


def mfa_changed(event: MfaChanged, customer: CustomerFacts | None) -> Plan:
    state = "turned on" if event.enabled else "turned off"
    who = "Staff" if event.by_staff else _person(event, customer)
    title = f"{who} {state} two-step verification" + (
        f" for {_person(event, customer)}" if event.by_staff else ""
    )
    return Plan(activity=ActivityNote(type="security_changed", title=title, staff_only=True))


# ---- payments (portal.payments) -------------------------------------------------------------------------


def method_label(method: PaymentMethodFacts) -> str:
    """ "Visa •••• 4242", "Bank debit •••• 3201", "Credit" — never more of a card than its last four."""
    name = {"card": "Card", "bank_debit": "Bank debit", "credit": "Credit", "offline": "Offline"}[method.kind]
    if method.kind == "card" and method.brand:
        name = method.brand.replace("_", " ").title()
    return f"{name} •••• {method.last4}" if method.last4 else name


def _allocations(allocations: list[Allocation]) -> list[dict[str, Any]]:
    return [
        {
            "invoice_id": a.invoice_id,
            "number": a.invoice_number,
            "amount": a.amount.model_dump(),
            "invoice_url": portal_link(f"/invoices/{a.invoice_id}"),
        }
        for a in allocations
    ]


def _payment_context(event: PaymentChanged) -> dict[str, Any]:
    return {
        "payment_id": event.payment_id,
        "payment_url": portal_link(f"/payments/{event.payment_id}"),
        "amount": event.amount.model_dump(),
        "method_label": method_label(event.method),
        "allocations": _allocations(event.allocations),
        "credit": event.unallocated.model_dump(),
    }


def _numbers(allocations: list[Allocation]) -> str:
    return ", ".join(a.invoice_number for a in allocations)


def _payer(contact_id: str | None, customer: CustomerFacts | None) -> str | None:
    """Whom a payment's email goes to: the contact who paid, else the customer's primary contact; None
    (every contact) when the customer has neither."""
    if customer is None:
        return None
    payer = customer.contact(contact_id) or customer.primary()
    return payer.contact_id if payer else None


def payment_succeeded(event: PaymentSucceeded, customer: CustomerFacts | None) -> Plan:
    context = _payment_context(event)
    paid_for = f" for {_numbers(event.allocations)}" if event.allocations else " in advance"
    return Plan(
        activity=ActivityNote(
            type="payment_received",
            title=f"Payment of {format_money(event.amount)} received{paid_for}",
            link=f"/payments/{event.payment_id}",
        ),
        contact_emails=(
            ContactEmail("payment_succeeded", context, contact_id=_payer(event.contact_id, customer)),
        ),
        staff_alert=StaffAlert("payment_received", "staff_payment_succeeded", context),
    )


def payment_failed(event: PaymentFailed, customer: CustomerFacts | None) -> Plan:
    invoices = ",".join(a.invoice_id for a in event.allocations)
    context = {
        **_payment_context(event),
        "failure_reason": event.failure_reason,
        "pay_again_url": portal_link(f"/pay?invoices={invoices}" if invoices else "/pay"),
    }
    return Plan(
        activity=ActivityNote(
            type="payment_failed",
            title=f"Payment of {format_money(event.amount)} failed: {event.failure_reason}",
            link=f"/payments/{event.payment_id}",
        ),
        contact_emails=(
            ContactEmail("payment_failed", context, contact_id=_payer(event.contact_id, customer)),
        ),
    )


def payment_refunded(event: PaymentRefunded, customer: CustomerFacts | None) -> Plan:
    context = {
        **_payment_context(event),
        "refund_amount": event.refund_amount.model_dump(),
        "refund_allocations": _allocations(event.refund_allocations),
        "credit_reversed": event.credit_reversed.model_dump(),
        "reason": event.reason,
    }
    return Plan(
        activity=ActivityNote(
            type="payment_refunded",
            title=f"Refund of {format_money(event.refund_amount)} of a {format_money(event.amount)} payment",
            link=f"/payments/{event.payment_id}",
        ),
        contact_emails=(
            ContactEmail("payment_refunded", context, contact_id=_payer(event.contact_id, customer)),
        ),
    )


def credit_created(event: CreditCreated, customer: CustomerFacts | None) -> Plan:
    context = {
        "amount": event.amount.model_dump(),
        "balance": event.balance.model_dump(),
        "credits_url": portal_link("/credits"),
        "payment_url": portal_link(f"/payments/{event.payment_id}") if event.payment_id else None,
    }
    return Plan(
        activity=ActivityNote(
            type="credit_created",
            title=f"Credit of {format_money(event.amount)} added: {format_money(event.balance)} available",
            link="/credits",
        ),
        contact_emails=(ContactEmail("credit_created", context, contact_id=_payer(None, customer)),),
    )


def document_forwarded(event: DocumentForwarded, customer: CustomerFacts | None) -> Plan:
    """The recipient gets the PDF; the customer's contacts and staff see it in their feeds."""
    contact = customer.contact(event.contact_id) if customer else None
    who = contact.name if contact else (event.from_email or "A contact")
    kind = event.document.capitalize()
    link = f"/{event.document}s/{event.document_id}"
    context = {
        "document": event.document,
        "document_number": event.document_number,
        "sender_name": who,
        "sender_email": event.from_email,
        "message": event.message,
    }
    return Plan(
        activity=ActivityNote(
            type="document_forwarded",
            title=f"{who} forwarded {kind} {event.document_number} to {event.to}",
            link=link,
        ),
        direct_emails=(
            DirectEmail(
                event.to,
                "document_forwarded",
                context,
                attachment=PdfAttachment(event.pdf_key, f"{event.document_number}.pdf"),
            ),
        ),
    )


# ---- credit notes (portal.credit_notes) -----------------------------------------------------------------


def credit_note_issued(event: CreditNoteIssued, customer: CustomerFacts | None) -> Plan:
    """The customer's contacts hear of a new credit note, unless it answers their request (that
    answer's email already tells them)."""
    link = f"/credit-notes/{event.credit_note_id}"
    context = {
        "credit_note_id": event.credit_note_id,
        "credit_note_url": portal_link(link),
        "number": event.number,
        "issue_date": event.issue_date,
        "total": event.total.model_dump(),
        "invoice_number": None,
    }
    emails = () if event.request_id else (ContactEmail("credit_note_issued", context),)
    return Plan(
        activity=ActivityNote(
            type="credit_note_issued",
            title=f"Credit note {event.number} of {format_money(event.total)} issued",
            link=link,
        ),
        contact_emails=emails,
    )


def _request_context(event: CreditNoteRequested | CreditNoteRequestAnswered) -> dict[str, Any]:
    link = f"/credit-notes/{event.credit_note_id}" if event.credit_note_id else "/credit-notes"
    return {
        "request_id": event.request_id,
        "invoice_id": event.invoice_id,
        "invoice_number": event.invoice_number,
        "amount": event.amount.model_dump(),
        "reason": event.reason,
        "status": event.status,
        "answer": event.answer,
        "link_url": portal_link(link),
    }


def credit_note_requested(event: CreditNoteRequested, customer: CustomerFacts | None) -> Plan:
    contact = customer.contact(event.contact_id) if customer else None
    who = contact.name if contact else "A contact"
    return Plan(
        activity=ActivityNote(
            type="credit_note_requested",
            title=f"{who} asked for a credit note of {format_money(event.amount)} on {event.invoice_number}",
            link="/credit-notes",
        ),
        staff_alert=StaffAlert(
            "credit_note_requested",
            "staff_credit_note_requested",
            {**_request_context(event), "contact_name": who},
        ),
    )


def credit_note_request_answered(event: CreditNoteRequestAnswered, customer: CustomerFacts | None) -> Plan:
    context = _request_context(event)
    return Plan(
        activity=ActivityNote(
            type="credit_note_answered",
            title=f"Credit note request on {event.invoice_number} {event.status}",
            link=f"/credit-notes/{event.credit_note_id}" if event.credit_note_id else "/credit-notes",
        ),
        contact_emails=(
            ContactEmail("credit_note_answered", context, contact_id=_payer(event.contact_id, customer)),
        ),
    )


# ---- customer self-service (portal.customers, portal.auth) -------------------------------------------

SELF_SERVICE_TITLES = {
    "own_details": "{by} changed their contact details",
    "addresses": "{by} changed {customer}'s addresses",
    "contact_added": "{by} added {subject} as a contact person",
    "contact_removed": "{by} removed {subject} as a contact person",
}


def customer_changed_by_contact(
    event: CustomerDetailsChangedByContact, customer: CustomerFacts | None
) -> Plan:
    """Staff see it in their feed, and are alerted per their channel for its type."""
    title = SELF_SERVICE_TITLES[event.change].format(
        by=event.by_name, customer=event.customer_name, subject=event.subject_name or ""
    )
    kind: StaffNotificationType = (
        "contact_added_by_customer" if event.change.startswith("contact_") else "customer_details_changed"
    )
    return Plan(
        activity=ActivityNote(type=kind, title=title, staff_only=True),
        staff_alert=StaffAlert(kind, "staff_customer_self_service", {"summary": title}),
    )


def sign_in_email_changed(event: SignInEmailChanged, customer: CustomerFacts | None) -> Plan:
    """The contact's old address got the auth service's notice; staff are told like any detail change."""
    title = f"{_person(event, customer)} now signs in with {event.email} (was {event.old_email})"
    return Plan(
        activity=ActivityNote(type="customer_details_changed", title=title, staff_only=True),
        staff_alert=StaffAlert("customer_details_changed", "staff_customer_self_service", {"summary": title}),
    )


# ---- subscriptions (portal.subscriptions) -----------------------------------------------------------

SUBSCRIPTION_KINDS: dict[type[SubscriptionEvent], str] = {
    SubscriptionRenewed: "renewed",
    TrialEnding: "trial_ending",
    SubscriptionPaused: "paused",
    SubscriptionCancelled: "cancelled",
    SubscriptionReactivated: "reactivated",
    SubscriptionChanged: "changed",
}
SUBSCRIPTION_TITLES = {
    "renewed": "Subscription {plan} renewed",
    "trial_ending": "Trial of {plan} ends soon",
    "paused": "Subscription {plan} paused",
    "cancelled": "Subscription {plan} cancelled",
    "cancelled_at_term_end": "Subscription {plan} will end at the end of its term",
    "reactivated": "Subscription {plan} reactivated",
    "changed": "Subscription {plan} changed",
    "unpaid": "Subscription {plan} unpaid: its auto-charge failed",
    "payment_failed": "Auto-charge for subscription {plan} failed; it will be tried again",
    "paid": "Subscription {plan} invoice paid",
}
# Dunning steps the payment's own email already tells the contacts about: a feed entry only.
FEED_ONLY_ACTIONS = ("payment_failed", "paid")


def subscription_update(event: SubscriptionEvent, customer: CustomerFacts | None) -> Plan:
    """The customer's contacts hear of what happened to a subscription (the invoice it bills, if any,
    has its own email); an entry in the customer's feed."""
    kind = "unpaid" if event.action == "unpaid" else SUBSCRIPTION_KINDS[type(event)]
    at_term_end = isinstance(event, SubscriptionCancelled) and event.at_term_end
    billed = sum(line.amount.amount for line in event.lines)
    link = f"/subscriptions/{event.subscription_id}"
    context = {
        "kind": kind,
        "subscription_id": event.subscription_id,
        "subscription_url": portal_link(link),
        "plan_name": event.plan_name,
        "quantity": event.quantity,
        "billed": {"amount": billed, "currency": event.currency} if billed > 0 else None,
        "next_renewal_at": event.next_renewal_at,
        "trial_ends_at": event.trial_ends_at if isinstance(event, TrialEnding) else None,
        "paused_until": event.paused_until if isinstance(event, SubscriptionPaused) else None,
        "at_term_end": at_term_end,
        "reason": event.reason if isinstance(event, SubscriptionCancelled) else None,
    }
    feed_only = isinstance(event, SubscriptionChanged) and event.action in FEED_ONLY_ACTIONS
    title_key = "cancelled_at_term_end" if at_term_end else event.action if feed_only else kind
    return Plan(
        activity=ActivityNote(
            type="subscription_changed",
            title=SUBSCRIPTION_TITLES[title_key].format(plan=event.plan_name),
            link=link,
        ),
        contact_emails=() if feed_only else (ContactEmail("subscription_update", context),),
    )


def _key(model: type[EventData]) -> tuple[str, str]:
    return (model.source, model.detail_type)


PLANNERS: dict[tuple[str, str], Planner] = {
    _key(InvoiceIssued): invoice_issued,
    _key(InvoiceViewed): invoice_viewed,
    _key(InvoicePaymentRecorded): payment_recorded,
    _key(InvoiceVoided): invoice_voided,
    _key(InvitationAccepted): invitation_accepted,
    _key(PasswordChanged): password_changed,
    _key(MfaChanged): mfa_changed,
    _key(PaymentSucceeded): payment_succeeded,
    _key(PaymentFailed): payment_failed,
    _key(PaymentRefunded): payment_refunded,
    _key(CreditCreated): credit_created,
    _key(EstimateAccepted): estimate_accepted,
    _key(EstimateDeclined): estimate_declined,
    _key(InvoiceCommentAdded): comment_added,
    _key(EstimateCommentAdded): comment_added,
    _key(InvoiceForwarded): document_forwarded,
    _key(EstimateForwarded): document_forwarded,
    _key(CreditNoteIssued): credit_note_issued,
    _key(CreditNoteRequested): credit_note_requested,
    _key(CreditNoteRequestAnswered): credit_note_request_answered,
    _key(CustomerDetailsChangedByContact): customer_changed_by_contact,
    _key(SignInEmailChanged): sign_in_email_changed,
    **{_key(model): subscription_update for model in SUBSCRIPTION_KINDS},
}
