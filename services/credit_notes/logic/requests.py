"""Credit-note requests: a contact asks for a credit note against one of their invoices (at most what
is left of its total once credit notes and pending requests are counted); staff approve it (a credit
note for the amount, optionally applied to that invoice at once) or reject it with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.credit_notes.logic import use_cases
from services.credit_notes.logic.domain import CreditRequest, check_creditable, check_pending
from services.credit_notes.schemas import (
    ApplyCreditNoteRequest,
    ApprovedRequest,
    ApproveRequest,
    CreditRequestPage,
    CreditRequestView,
    CustomerRequestsQuery,
    ListRequestsQuery,
    NewCreditRequest,
    RejectRequest,
)
from shared.errors import NotFound
from shared.event_models import CreditNoteIssued, CreditNoteRequestAnswered, CreditNoteRequested
from shared.events import outbox_event
from shared.ids import new_id, utc_now_iso
from shared.lazy import lazy_module
from shared.line_schemas import LineInput
from shared.money import Money
from shared.preferences import require_action, require_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.credit_notes import store
else:
    store = lazy_module("services.credit_notes.store")


# ---- customer contacts -----------------------------------------------------------------------------


def require_allowed(caller: Principal) -> str:
    """The caller's customer, if the portal lets contacts ask for credit notes (checked before the body
    is read: a disabled module answers 403 whatever was sent)."""
    customer_id = caller.require_customer()
    require_module("credit_notes", store.tenant_settings)
    require_action("request_credit_notes", store.tenant_settings)
    return customer_id


def create(caller: Principal, body: NewCreditRequest, correlation_id: str | None = None) -> CreditRequestView:
    customer_id = require_allowed(caller)
    invoice = store.invoice(body.invoice_id)
    if invoice is None or invoice.customer_id != customer_id:
        raise NotFound("No invoice with this id.")
    amount = Money(amount=body.amount, currency=invoice.total.currency)
    check_creditable(invoice, amount)
    request = CreditRequest(
        request_id=new_id(),
        customer_id=customer_id,
        contact_id=caller.contact_id,
        invoice_id=invoice.invoice_id,
        invoice_number=invoice.number,
        amount=amount,
        reason=body.reason.strip(),
        status="requested",
        created_at=utc_now_iso(),
    )
    claimed = invoice.model_copy(update={"requested": invoice.requested + amount})
    event = CreditNoteRequested(**_facts(request))
    store.commit([outbox_event(event, correlation_id)], use_cases._epoch(), request=request, invoice=claimed)
    return view(request)


def of_customer(caller: Principal, query: CustomerRequestsQuery) -> CreditRequestPage:
    customer_id = caller.require_customer()
    require_module("credit_notes", store.tenant_settings)
    found, cursor = store.requests_of_customer(customer_id, query.limit, query.cursor)
    return CreditRequestPage(items=[view(request) for request in found], next_cursor=cursor)


# ---- staff -----------------------------------------------------------------------------------------


def by_status(query: ListRequestsQuery) -> CreditRequestPage:
    found, cursor = store.requests_by_status(query.status, query.limit, query.cursor)
    return CreditRequestPage(items=[view(request) for request in found], next_cursor=cursor)


def approve(request_id: str, body: ApproveRequest, correlation_id: str | None = None) -> ApprovedRequest:
    """Issue the credit note the contact asked for (one line naming the invoice and the reason) and
    answer the request, in one transaction; `apply` then applies it to that invoice."""
    request = _existing(request_id)
    check_pending(request)
    invoice = store.invoice(request.invoice_id)
    if invoice is None:  # pragma: no cover - a request is only accepted against a known invoice
        raise NotFound("The request's invoice is unknown here.")
    line = LineInput(
        description=f"Credit for {request.invoice_number}: {request.reason}"[:500],
        quantity=1,
        unit_price=request.amount.amount,
    )
    note = use_cases.new_note(
        request.customer_id, request.amount.currency, [line], request.reason, request_id=request.request_id
    )
    note = note.model_copy(update={"invoice_id": invoice.invoice_id, "invoice_number": invoice.number})
    answered = request.model_copy(
        update={
            "status": "approved",
            "answer": body.note,
            "credit_note_id": note.credit_note_id,
            "answered_at": utc_now_iso(),
        }
    )
    claimed = invoice.model_copy(
        update={"credited": invoice.credited + note.total, "requested": invoice.requested - request.amount}
    )
    events = [
        outbox_event(
            CreditNoteIssued(**use_cases.snapshot(note), request_id=request.request_id), correlation_id
        ),
        outbox_event(CreditNoteRequestAnswered(**_facts(answered)), correlation_id),
    ]
    store.commit(events, use_cases._epoch(), note=note, request=answered, invoice=claimed)
    credit_note = use_cases.detail(note)
    if body.apply and invoice.amount_due.amount > 0 and invoice.status not in ("paid", "void"):
        amount = min(note.total.amount, invoice.amount_due.amount)
        apply_body = ApplyCreditNoteRequest(invoice_id=invoice.invoice_id, amount=amount)
        credit_note = use_cases.apply(note.credit_note_id, apply_body, correlation_id)
    return ApprovedRequest(request=view(answered), credit_note=credit_note)


def reject(request_id: str, body: RejectRequest, correlation_id: str | None = None) -> CreditRequestView:
    request = _existing(request_id)
    check_pending(request)
    invoice = store.invoice(request.invoice_id)
    answered = request.model_copy(
        update={"status": "rejected", "answer": body.reason.strip(), "answered_at": utc_now_iso()}
    )
    claimed = (
        invoice.model_copy(update={"requested": invoice.requested - request.amount}) if invoice else None
    )
    event = CreditNoteRequestAnswered(**_facts(answered))
    store.commit([outbox_event(event, correlation_id)], use_cases._epoch(), request=answered, invoice=claimed)
    return view(answered)


# ---- shaping ---------------------------------------------------------------------------------------


def view(request: CreditRequest) -> CreditRequestView:
    return CreditRequestView(
        request_id=request.request_id,
        customer_id=request.customer_id,
        invoice_id=request.invoice_id,
        invoice_number=request.invoice_number,
        amount=request.amount,
        reason=request.reason,
        status=request.status,
        answer=request.answer,
        credit_note_id=request.credit_note_id,
        created_at=request.created_at,
        answered_at=request.answered_at,
    )


def _facts(request: CreditRequest) -> dict[str, object]:
    return {
        "request_id": request.request_id,
        "customer_id": request.customer_id,
        "contact_id": request.contact_id,
        "invoice_id": request.invoice_id,
        "invoice_number": request.invoice_number,
        "amount": request.amount,
        "reason": request.reason,
        "status": request.status,
        "answer": request.answer,
        "credit_note_id": request.credit_note_id,
    }


def _existing(request_id: str) -> CreditRequest:
    request = store.get_request(request_id)
    if request is None:
        raise NotFound("No credit-note request with this id.")
    return request
