"""Invoice use cases: what staff and customer contacts can do. No boto3 and no HTTP here — state
goes through `store`, events through the outbox in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from services.invoices.logic import directory, payments
from services.invoices.logic.domain import (
    Invoice,
    StatusChange,
    apply_payment,
    changed,
    check_dates,
    check_issue,
    check_void,
    effective_status,
)
from services.invoices.logic.payment_rules import InvoicePayments
from services.invoices.logic.snapshots import invoice_snapshot as _snapshot
from services.invoices.schemas import (
    AppliedPaymentView,
    CreateInvoiceRequest,
    InvoiceDetail,
    InvoicePage,
    InvoiceSummary,
    ListInvoicesQuery,
    RecordPaymentRequest,
    StaffListInvoicesQuery,
    StatusChangeView,
)
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.event_models import (
    InvoiceChanged,
    InvoiceIssued,
    InvoicePaymentRecorded,
    InvoiceViewed,
    InvoiceVoided,
)
from shared.events import outbox_event
from shared.ids import new_id, utc_now, utc_today
from shared.lazy import lazy_module
from shared.line_schemas import line_view, tax_views
from shared.money import Money
from shared.preferences import require_module, tax_rounding
from shared.pricing import draft_fields
from shared.principal import Principal

if TYPE_CHECKING:
    from services.invoices import store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.invoices.store")

# ---- staff -----------------------------------------------------------------------------------------


def create_draft(request: CreateInvoiceRequest) -> InvoiceDetail:
    directory.require_customer_currency(request.customer_id, request.currency)
    due = request.due_date or request.issue_date + timedelta(days=request.payment_terms_days)
    check_dates(request.issue_date, due)
    fields = draft_fields(
        request, store.customer_party(request.customer_id), tax_rounding(store.tenant_settings)
    )
    invoice = Invoice(
        invoice_id=new_id(),
        due_date=due,
        amount_paid=Money.zero(request.currency),
        number=store.next_invoice_number(),
        **fields,
    )
    return detail(store.insert(invoice))


def staff_get(invoice_id: str, consistent: bool = False) -> InvoiceDetail:
    invoice, applied = payments.with_payments(invoice_id, consistent)
    if invoice is None:
        raise NotFound("No invoice with this id.")
    return detail(invoice, applied=applied)


def issue(invoice_id: str, correlation_id: str | None = None) -> InvoiceDetail:
    invoice = _existing(invoice_id)
    check_issue(invoice.status, invoice.total)
    issued = changed(invoice, status="sent")
    # The issue email attaches the PDF: written now, under the version this save creates.
    from services.invoices.logic.documents import pdf_file

    pdf_key = pdf_file(issued.model_copy(update={"version": (issued.version or 0) + 1})).ensure()
    return detail(_save(issued, InvoiceIssued(**_snapshot(issued), pdf_key=pdf_key), correlation_id))


def void(invoice_id: str, correlation_id: str | None = None) -> InvoiceDetail:
    invoice = _existing(invoice_id)
    check_void(invoice.status, invoice.amount_paid)
    if invoice.status == "draft":
        raise ValidationFailed("A draft is not issued yet; there is nothing to void.")
    voided = changed(invoice, status="void")
    return detail(_save(voided, InvoiceVoided(**_snapshot(voided)), correlation_id))


def record_payment(
    invoice_id: str, request: RecordPaymentRequest, correlation_id: str | None = None
) -> InvoiceDetail:
    """An offline payment staff received (bank transfer, check …) applied to one invoice."""
    invoice = _existing(invoice_id)
    payment = Money(amount=request.amount, currency=invoice.currency)
    status = apply_payment(invoice.status, invoice.amount_due, payment)
    if request.paid_on < invoice.issue_date:
        raise ValidationFailed("The payment date cannot be before the invoice's issue date.")
    if request.paid_on > utc_today():  # money not received yet is not a payment (the statement dates it)
        raise ValidationFailed(
            "The payment date cannot be after today.", [{"field": "paid_on", "message": "in the future"}]
        )
    paid = changed(invoice, status=status, amount_paid=invoice.amount_paid + payment)
    event = InvoicePaymentRecorded(
        **_snapshot(paid),
        payment_id=new_id(),
        payment_amount=payment,
        method=request.method,
        kind="offline",
        paid_on=request.paid_on.isoformat(),
    )
    # With its entry in the invoice's payments, in the same transaction.
    if not payments.save_offline_payment(invoice, paid, event, correlation_id):
        raise Conflict("This invoice was changed by someone else; reload and try again.")
    return staff_get(invoice_id, consistent=True)


# ---- customer contacts -----------------------------------------------------------------------------


def list_for_customer(caller: Principal, query: ListInvoicesQuery, today: date | None = None) -> InvoicePage:
    customer_id = caller.require_customer()
    require_module("invoices", store.tenant_settings)
    today = today or utc_today()
    overdue = query.status == "overdue"
    if overdue and query.sort == "amount":
        raise ValidationFailed("Overdue invoices are listed by due date; sort by date.")
    invoices, cursor = store.list_for_customer(
        customer_id,
        bucket=None if overdue else query.status,
        sort=query.sort,
        descending=query.order == "desc",
        limit=query.limit,
        cursor=query.cursor,
        overdue_before=today if overdue else None,
    )
    return InvoicePage(items=[summary(invoice, today) for invoice in invoices], next_cursor=cursor)


def list_for_staff(customer_id: str, query: StaffListInvoicesQuery, today: date | None = None) -> InvoicePage:
    """A customer's invoices for staff, drafts included (an unknown customer has none)."""
    today = today or utc_today()
    invoices, cursor = store.list_for_staff(customer_id, query.limit, query.cursor)
    return InvoicePage(items=[summary(invoice, today) for invoice in invoices], next_cursor=cursor)


def view_as_customer(caller: Principal, invoice_id: str, correlation_id: str | None = None) -> InvoiceDetail:
    """A contact opens one of their customer's invoices. The first view of a sent invoice marks it
    viewed and tells the business (InvoiceViewed)."""
    customer_id = caller.require_customer()
    require_module("invoices", store.tenant_settings)
    invoice, applied = payments.with_payments(invoice_id)  # the invoice and its payments: one Query
    # Another customer's invoice and a draft are indistinguishable from a missing one.
    if invoice is None or invoice.customer_id != customer_id or invoice.status == "draft":
        raise NotFound("No invoice with this id.")
    if invoice.status == "sent":
        viewed = changed(invoice, status="viewed")
        event = InvoiceViewed(**_snapshot(viewed), viewed_by_contact_id=caller.contact_id)
        invoice = _save(viewed, event, correlation_id)
    return detail(invoice, applied=applied)


# ---- shaping -----------------------------------------------------------------------------------------


def summary(invoice: Invoice, today: date) -> InvoiceSummary:
    return InvoiceSummary(
        invoice_id=invoice.invoice_id,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        status=effective_status(invoice.status, invoice.due_date, today),
        total=invoice.total,
        amount_due=invoice.amount_due,
    )


def detail(
    invoice: Invoice, today: date | None = None, applied: InvoicePayments | None = None
) -> InvoiceDetail:
    """The invoice page; `applied`: its payments and pending flag (the answers to a draft, issue or
    void leave them out: the invoice page reads them)."""
    today = today or utc_today()
    applied = applied or InvoicePayments()
    return InvoiceDetail(
        invoice_id=invoice.invoice_id,
        customer_id=invoice.customer_id,
        number=invoice.number,
        status=effective_status(invoice.status, invoice.due_date, today),
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        reference=invoice.reference,
        notes=invoice.notes,
        terms=invoice.terms,
        lines=[line_view(line) for line in invoice.lines],
        taxes=tax_views(invoice.taxes),
        subtotal=invoice.subtotal,
        tax_total=invoice.tax_total,
        total=invoice.total,
        amount_paid=invoice.amount_paid,
        amount_due=invoice.amount_due,
        payment_pending=applied.pending,
        payments=[
            AppliedPaymentView(
                payment_id=entry.payment_id,
                kind=entry.kind,
                amount=entry.amount,
                method=entry.method,
                applied_at=entry.applied_at,
                refund_id=entry.refund_id,
            )
            for entry in applied.applied
            if not entry.amount.is_zero()  # an allocation that found nothing left to pay
        ],
        history=status_history(invoice),
    )


def status_history(invoice: Invoice) -> list[StatusChangeView]:
    """Each status the invoice reached. An invoice issued before the history was kept starts from its
    issue date."""
    changes = list(invoice.history)
    if not changes and invoice.status != "draft":
        changes = [StatusChange(status="sent", at=invoice.issue_date.isoformat())]
        if invoice.status != "sent":
            changes.append(StatusChange(status=invoice.status, at=invoice.updated_at or ""))
    return [StatusChangeView(status=change.status, at=change.at) for change in changes]


# ---- helpers -------------------------------------------------------------------------------------------


def _existing(invoice_id: str) -> Invoice:
    invoice = store.get(invoice_id)
    if invoice is None:
        raise NotFound("No invoice with this id.")
    return invoice


def _save(invoice: Invoice, event: InvoiceChanged, correlation_id: str | None) -> Invoice:
    return store.save_with_event(invoice, outbox_event(event, correlation_id), int(utc_now().timestamp()))
