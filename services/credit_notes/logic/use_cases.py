"""Credit-note use cases: staff issue a credit note (optionally against an invoice), apply part of it
to an invoice, refund part of it or void it; contacts list and open their customer's credit notes.
No boto3 and no HTTP here: state goes through `store`, each change's event through the outbox in the
same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.credit_notes.logic import directory
from services.credit_notes.logic.domain import (
    Application,
    CreditNote,
    InvoiceFacts,
    Refund,
    check_apply,
    check_creditable,
    check_open,
    check_positive,
    check_void,
    check_within_remaining,
    status_after,
)
from services.credit_notes.schemas import (
    ApplicationView,
    ApplyCreditNoteRequest,
    CreditNoteDetail,
    CreditNotePage,
    CreditNoteSummary,
    IssueCreditNoteRequest,
    ListCreditNotesQuery,
    RefundCreditNoteRequest,
    RefundView,
    UseCreditNoteRequest,
)
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.event_models import (
    Allocation,
    CreditNoteApplied,
    CreditNoteChanged,
    CreditNoteIssued,
    CreditNoteRefunded,
    CreditNoteVoided,
)
from shared.events import OutboxEvent, outbox_event
from shared.ids import new_id, utc_now, utc_now_iso, utc_today
from shared.lazy import lazy_module
from shared.line_schemas import LineInput, line_view, tax_views
from shared.money import Money
from shared.preferences import require_action, require_module, tax_rounding
from shared.pricing import price_lines
from shared.principal import Principal

if TYPE_CHECKING:
    from services.credit_notes import store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.credit_notes.store")

# ---- staff -----------------------------------------------------------------------------------------


def issue(request: IssueCreditNoteRequest, correlation_id: str | None = None) -> CreditNoteDetail:
    """Issue a credit note at once (there are no drafts): the customer's balance falls by its total."""
    directory.require_customer_currency(request.customer_id, request.currency)
    note = new_note(request.customer_id, request.currency, request.lines, request.reason, request)
    invoice = None
    if request.invoice_id is not None:
        invoice = invoice_to_credit(request.invoice_id, request.customer_id)
        check_creditable(invoice, note.total)
        note = note.model_copy(update={"invoice_id": invoice.invoice_id, "invoice_number": invoice.number})
        invoice = invoice.model_copy(update={"credited": invoice.credited + note.total})
    elif note.total.amount <= 0:
        raise ValidationFailed("A credit note must total more than zero.")
    event = CreditNoteIssued(**snapshot(note), request_id=None)
    store.commit([outbox_event(event, correlation_id)], _epoch(), note=note, invoice=invoice)
    return detail(note)


def new_note(
    customer_id: str,
    currency: str,
    lines: list[LineInput],
    reason: str,
    extra: IssueCreditNoteRequest | None = None,
    request_id: str | None = None,
) -> CreditNote:
    priced, sums = price_lines(lines, currency, tax_rounding(store.tenant_settings))
    now = utc_now_iso()
    return CreditNote(
        credit_note_id=new_id(),
        status="open",
        customer_id=customer_id,
        currency=currency,
        issue_date=(extra.issue_date if extra else None) or utc_today(),
        reference=extra.reference if extra else None,
        notes=extra.notes if extra else None,
        lines=priced,
        subtotal=sums.subtotal,
        tax_total=sums.tax_total,
        total=sums.total,
        bill_to=store.customer_party(customer_id),
        reason=reason.strip(),
        request_id=request_id,
        number=store.next_credit_note_number(),
        created_at=now,
        updated_at=now,
    )


def invoice_to_credit(invoice_id: str, customer_id: str) -> InvoiceFacts:
    invoice = store.invoice(invoice_id)
    if invoice is None or invoice.customer_id != customer_id:
        raise ValidationFailed(
            "No issued invoice of this customer has this id.", [{"field": "invoice_id", "message": "unknown"}]
        )
    return invoice


def apply(
    credit_note_id: str, request: ApplyCreditNoteRequest, correlation_id: str | None = None
) -> CreditNoteDetail:
    """Part of the credit note pays an invoice of the same customer (the invoices service lowers its
    amount due from the event)."""
    note = existing(credit_note_id)
    invoice = store.invoice(request.invoice_id)
    if invoice is None:
        raise ValidationFailed(
            "No issued invoice has this id.", [{"field": "invoice_id", "message": "unknown"}]
        )
    amount = Money(amount=request.amount, currency=note.currency)
    check_apply(note, invoice, amount)
    application = Application(
        application_id=new_id(),
        invoice_id=invoice.invoice_id,
        invoice_number=invoice.number,
        amount=amount,
        applied_at=utc_now_iso(),
    )
    applied = _with(note, applications=[*note.applications, application])
    # What this service believes is still due until the invoice's own event says otherwise.
    invoice = invoice.model_copy(update={"amount_due": invoice.amount_due - amount})
    event = CreditNoteApplied(
        **snapshot(applied),
        application_id=application.application_id,
        allocation=Allocation(invoice_id=invoice.invoice_id, invoice_number=invoice.number, amount=amount),
    )
    store.commit(
        [outbox_event(event, correlation_id)],
        _epoch(),
        note=applied,
        invoice=invoice,
        application_id=application.application_id,
    )
    return detail(applied)


def refund(
    credit_note_id: str, request: RefundCreditNoteRequest, correlation_id: str | None = None
) -> CreditNoteDetail:
    note = existing(credit_note_id)
    amount = Money(amount=request.amount, currency=note.currency)
    check_positive(amount)
    check_open(note, "refunded")
    check_within_remaining(note, amount)
    entry = Refund(
        refund_id=new_id(),
        amount=amount,
        method=request.method,
        reference=request.reference,
        refunded_at=utc_now_iso(),
    )
    refunded = _with(note, refunds=[*note.refunds, entry])
    event = CreditNoteRefunded(
        **snapshot(refunded),
        refund_id=entry.refund_id,
        refund_amount=amount,
        method=entry.method,
        reference=entry.reference,
    )
    store.commit([outbox_event(event, correlation_id)], _epoch(), note=refunded)
    return detail(refunded)


def void(credit_note_id: str, correlation_id: str | None = None) -> CreditNoteDetail:
    note = existing(credit_note_id)
    check_void(note)
    voided = note.model_copy(update={"status": "void", "updated_at": utc_now_iso()})
    invoice = store.invoice(note.invoice_id) if note.invoice_id else None
    if invoice is not None:  # what it credited on its invoice may be credited again
        invoice = invoice.model_copy(update={"credited": invoice.credited - note.total})
    event = CreditNoteVoided(**snapshot(voided))
    store.commit([outbox_event(event, correlation_id)], _epoch(), note=voided, invoice=invoice)
    return detail(voided)


def staff_get(credit_note_id: str) -> CreditNoteDetail:
    return detail(existing(credit_note_id))


# ---- customer contacts -----------------------------------------------------------------------------


def list_for_customer(caller: Principal, query: ListCreditNotesQuery) -> CreditNotePage:
    customer_id = caller.require_customer()
    require_module("credit_notes", store.tenant_settings)
    notes, cursor = store.list_for_customer(customer_id, query.status, query.limit, query.cursor)
    return CreditNotePage(items=[summary(note) for note in notes], next_cursor=cursor)


def view_as_customer(caller: Principal, credit_note_id: str) -> CreditNoteDetail:
    return detail(customer_note(caller, credit_note_id))


def customer_note(caller: Principal, credit_note_id: str) -> CreditNote:
    """One of the caller's customer's credit notes; another customer's is a 404."""
    customer_id = caller.require_customer()
    require_module("credit_notes", store.tenant_settings)
    note = store.get(credit_note_id)
    if note is None or note.customer_id != customer_id:
        raise NotFound("No credit note with this id.")
    return note


def check_can_use(caller: Principal) -> None:
    """Credit notes are on and so is applying credit (the same switch as payments' credit)."""
    caller.require_customer()
    require_module("credit_notes", store.tenant_settings)
    require_action("apply_credits", store.tenant_settings)


def use_as_customer(
    caller: Principal, credit_note_id: str, request: UseCreditNoteRequest, correlation_id: str | None = None
) -> CreditNoteDetail:
    """A contact pays one of its customer's invoices with one of its open credit notes (another
    customer's note or invoice: 404, like a missing one)."""
    note = customer_note(caller, credit_note_id)
    invoice_id = request.invoice_id or note.invoice_id
    if invoice_id is None:
        raise ValidationFailed("Choose the invoice to pay.", [{"field": "invoice_id", "message": "required"}])
    invoice = store.invoice(invoice_id)
    if invoice is None or invoice.customer_id != note.customer_id:
        raise NotFound("No invoice with this id.")
    amount = request.amount or min(note.remaining.amount, invoice.amount_due.amount)
    if amount <= 0:
        raise Conflict(f"Invoice {invoice.number} has nothing left to pay, or nothing remains of the note.")
    return apply(credit_note_id, ApplyCreditNoteRequest(invoice_id=invoice_id, amount=amount), correlation_id)


def existing(credit_note_id: str) -> CreditNote:
    note = store.get(credit_note_id)
    if note is None:
        raise NotFound("No credit note with this id.")
    return note


# ---- shaping -----------------------------------------------------------------------------------------


def summary(note: CreditNote) -> CreditNoteSummary:
    return CreditNoteSummary(
        credit_note_id=note.credit_note_id,
        number=note.number,
        issue_date=note.issue_date,
        status=note.status,
        invoice_number=note.invoice_number,
        total=note.total,
        remaining=note.remaining if note.status != "void" else Money.zero(note.currency),
    )


def detail(note: CreditNote) -> CreditNoteDetail:
    return CreditNoteDetail(
        credit_note_id=note.credit_note_id,
        customer_id=note.customer_id,
        number=note.number,
        status=note.status,
        issue_date=note.issue_date,
        currency=note.currency,
        invoice_id=note.invoice_id,
        invoice_number=note.invoice_number,
        reason=note.reason,
        reference=note.reference,
        notes=note.notes,
        lines=[line_view(line) for line in note.lines],
        taxes=tax_views(note.taxes),
        subtotal=note.subtotal,
        tax_total=note.tax_total,
        total=note.total,
        applications=[ApplicationView(**a.model_dump()) for a in note.applications],
        refunds=[RefundView(**r.model_dump()) for r in note.refunds],
        applied=note.applied,
        refunded=note.refunded,
        remaining=note.remaining if note.status != "void" else Money.zero(note.currency),
    )


# ---- helpers -------------------------------------------------------------------------------------------


def _with(note: CreditNote, **changes: Any) -> CreditNote:
    changed = note.model_copy(update={**changes, "updated_at": utc_now_iso()})
    return changed.model_copy(
        update={"status": status_after(changed.total, changed.applied, changed.refunded)}
    )


def snapshot(note: CreditNote) -> dict[str, Any]:
    return {
        "credit_note_id": note.credit_note_id,
        "customer_id": note.customer_id,
        "number": note.number,
        "status": note.status,
        "issue_date": note.issue_date.isoformat(),
        "invoice_id": note.invoice_id,
        "total": note.total,
        "remaining": note.remaining if note.status != "void" else Money.zero(note.currency),
        # the version this write creates: consumers keep the highest they have seen
        "credit_note_version": (note.version or 0) + 1,
    }


def events(*changes: CreditNoteChanged, correlation_id: str | None = None) -> list[OutboxEvent]:
    return [outbox_event(change, correlation_id) for change in changes]


def _epoch() -> int:
    return int(utc_now().timestamp())
