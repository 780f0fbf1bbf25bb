"""Invoices table: pynamodb models, keys designed for every read, and the outbox.

Projections of other services' facts (customers, settings): `directory_store.py`.
Keys: `INVOICE#<id>`/`INVOICE` per invoice (GetItem). Issued invoices carry the attributes of five
sparse indexes (drafts carry none, so customers never see them):
  by_customer_date / by_customer_amount   all of a customer's invoices, by issue date or total
  by_status_date / by_status_amount       one status bucket of a customer (`<cid>#<bucket>`)
  open_by_due                             open invoices by due date: overdue = due_key < today
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

# Its copy of the customers service's facts lives in its own module; logic reads it here.
from services.invoices.directory_store import (  # re-exported: logic reads these copies here
    customer_party as customer_party,  # whom a PDF is addressed to
)
from services.invoices.directory_store import (
    tenant_settings as tenant_settings,
)
from services.invoices.logic.domain import Invoice, StatusChange
from services.invoices.settings import Settings
from shared import comment_store, forward_store, line_store
from shared.comments import Comment
from shared.dynamo import (
    KeyedRecord,
    Paging,
    conditional_transaction,
    counter_model,
    next_number,
    outbox_model,
    query_page,
    save_with_outbox,
    sparse_index,
    table_meta,
)
from shared.events import OutboxEvent
from shared.line_store import money_in
from shared.settings import load

if TYPE_CHECKING:  # not a model of this module (the ownership test reads its models)
    from shared.dynamo import OutboxFields

SETTINGS = load(Settings)
TABLE_NAME = SETTINGS.invoices_table


ByCustomerDate = sparse_index("by_customer_date", "customer_key", "date_key")
ByCustomerAmount = sparse_index("by_customer_amount", "customer_key", "amount_key")
ByStatusDate = sparse_index("by_status_date", "status_key", "date_key")
ByStatusAmount = sparse_index("by_status_amount", "status_key", "amount_key")
OpenByDue = sparse_index("open_by_due", "open_key", "due_key")
StaffByCustomer = sparse_index("staff_by_customer", "staff_customer_key", "created_key")


class StatusChangeRecord(MapAttribute[str, Any]):
    status = UnicodeAttribute()
    at = UnicodeAttribute()


class InvoiceRecord(line_store.PricedRecord):
    Meta = table_meta(TABLE_NAME)

    invoice_id = UnicodeAttribute()
    due_date = UnicodeAttribute()
    amount_paid = NumberAttribute()
    history = ListAttribute(of=StatusChangeRecord, null=True)
    subscription_id = UnicodeAttribute(null=True)  # an invoice of a subscription's charge
    # sparse index attributes of its own indexes (absent on drafts)
    amount_key = UnicodeAttribute(null=True)
    due_key = UnicodeAttribute(null=True)
    # every invoice, drafts included (staff list of a customer's invoices)
    staff_customer_key = UnicodeAttribute(null=True)
    created_key = UnicodeAttribute(null=True)

    by_customer_date = ByCustomerDate()
    by_customer_amount = ByCustomerAmount()
    by_status_date = ByStatusDate()
    by_status_amount = ByStatusAmount()
    open_by_due = OpenByDue()
    staff_by_customer = StaffByCustomer()


OutboxRecord = outbox_model(TABLE_NAME)
CounterRecord = counter_model(TABLE_NAME)


# ---- mapping -------------------------------------------------------------------------------------

STATUS_BUCKET = {
    "sent": "unpaid",
    "viewed": "unpaid",
    "partially_paid": "partially_paid",
    "paid": "paid",
    "void": "void",
}


def _record(invoice: Invoice) -> InvoiceRecord:
    record = InvoiceRecord(
        pk=f"INVOICE#{invoice.invoice_id}",
        sk="INVOICE",
        invoice_id=invoice.invoice_id,
        status=invoice.status,
        **line_store.record_fields(invoice),
        due_date=invoice.due_date.isoformat(),
        amount_paid=invoice.amount_paid.amount,
        history=[
            StatusChangeRecord(status=change.status, at=change.at)  # type: ignore[no-untyped-call]
            for change in invoice.history
        ],
        subscription_id=invoice.subscription_id,
    )
    if invoice.version is not None:
        record.version = invoice.version
    record.staff_customer_key = invoice.customer_id
    record.created_key = f"{invoice.created_at}#{invoice.invoice_id}"
    if invoice.status != "draft":
        cid = invoice.customer_id
        record.customer_key = cid
        record.status_key = f"{cid}#{STATUS_BUCKET[invoice.status]}"
        record.date_key = f"{invoice.issue_date.isoformat()}#{invoice.invoice_id}"
        record.amount_key = f"{invoice.total.amount:015d}#{invoice.invoice_id}"
        if invoice.status in ("sent", "viewed", "partially_paid"):
            record.open_key = cid
            record.due_key = f"{invoice.due_date.isoformat()}#{invoice.invoice_id}"
    return record


def _invoice(record: InvoiceRecord) -> Invoice:
    return Invoice(
        invoice_id=record.invoice_id,
        status=record.status,
        due_date=date.fromisoformat(record.due_date),
        amount_paid=money_in(record.currency)(record.amount_paid),
        history=tuple(StatusChange(status=change.status, at=change.at) for change in record.history or ()),
        subscription_id=record.subscription_id,
        **line_store.document_fields(record),
    )


def _outbox(event: OutboxEvent, now_epoch: int) -> OutboxFields:
    return OutboxRecord.of(event, now_epoch)


# ---- commands ------------------------------------------------------------------------------------


def next_invoice_number() -> str:
    """Human invoice numbers from a tenant-wide counter (INV-000001, …)."""
    return next_number(CounterRecord, "INVOICE_NUMBER", "INV-", "an invoice number")


def insert(invoice: Invoice) -> Invoice:
    record = _record(invoice)
    record.save(condition=InvoiceRecord.pk.does_not_exist())
    return _invoice(record)


def save_with_event(invoice: Invoice, event: OutboxEvent, now_epoch: int) -> Invoice:
    """Write the new state (only if nobody changed it since it was read) and its outbox event in
    one transaction."""
    record = _record(invoice)
    save_with_outbox(
        record,
        OutboxRecord.of(event, now_epoch),
        "This invoice was changed by someone else; reload and try again.",
    )
    return _invoice(record)


# ---- queries -------------------------------------------------------------------------------------


def get(invoice_id: str) -> Invoice | None:
    try:
        return _invoice(InvoiceRecord.get(f"INVOICE#{invoice_id}", "INVOICE"))
    except InvoiceRecord.DoesNotExist:
        return None


def list_for_customer(
    customer_id: str,
    bucket: str | None,
    sort: str,
    descending: bool,
    limit: int,
    cursor: str | None,
    overdue_before: date | None,
) -> tuple[list[Invoice], str | None]:
    """One page from the index designed for this filter and sort; one Query round trip."""
    if overdue_before is not None:
        index: Any = InvoiceRecord.open_by_due
        hash_attr, range_attr, hash_value = "open_key", "due_key", customer_id
        condition = InvoiceRecord.due_key < overdue_before.isoformat()
    else:
        by_amount = sort == "amount"
        if bucket is None:
            index = InvoiceRecord.by_customer_amount if by_amount else InvoiceRecord.by_customer_date
            hash_attr, hash_value = "customer_key", customer_id
        else:
            index = InvoiceRecord.by_status_amount if by_amount else InvoiceRecord.by_status_date
            hash_attr, hash_value = "status_key", f"{customer_id}#{bucket}"
        range_attr = "amount_key" if by_amount else "date_key"
        condition = None
    # The cursor is bound to this customer's partition of the index: it cannot page anyone else's.
    paging = Paging(keys=("pk", "sk", hash_attr, range_attr), bound={hash_attr: hash_value})
    records, next_cursor = query_page(
        index.query,
        hash_value,
        paging,
        limit,
        cursor,
        range_key_condition=condition,
        scan_index_forward=not descending,
    )
    return [_invoice(record) for record in records], next_cursor


def list_for_staff(customer_id: str, limit: int, cursor: str | None) -> tuple[list[Invoice], str | None]:
    """Every invoice of the customer, drafts included, newest first: one Query."""
    paging = Paging(
        keys=("pk", "sk", "staff_customer_key", "created_key"), bound={"staff_customer_key": customer_id}
    )
    records, next_cursor = query_page(
        InvoiceRecord.staff_by_customer.query, customer_id, paging, limit, cursor, scan_index_forward=False
    )
    return [_invoice(record) for record in records], next_cursor


# ---- invoices drafted from converted estimates ---------------------------------------------------


class EstimateMarker(KeyedRecord):
    """`ESTIMATE#<estimate_id>` / `INVOICE`: the invoice drafted from that estimate (at most one)."""

    Meta = table_meta(TABLE_NAME)

    invoice_id = UnicodeAttribute()


def invoice_of_estimate(estimate_id: str) -> str | None:
    try:
        return EstimateMarker.get(f"ESTIMATE#{estimate_id}", "INVOICE").invoice_id
    except EstimateMarker.DoesNotExist:
        return None


def insert_from_estimate(invoice: Invoice, estimate_id: str) -> bool:
    """The draft and its estimate's marker together; False when the estimate already has an invoice."""
    marker = EstimateMarker(pk=f"ESTIMATE#{estimate_id}", sk="INVOICE", invoice_id=invoice.invoice_id)
    with conditional_transaction() as tx:
        tx.save(_record(invoice), condition=InvoiceRecord.pk.does_not_exist())
        tx.save(marker, condition=EstimateMarker.pk.does_not_exist())
    return tx.committed


# ---- invoices of subscription charges -----------------------------------------------------------


def invoice_of_charge(charge_id: str) -> str | None:
    try:
        return EstimateMarker.get(f"CHARGE#{charge_id}", "INVOICE").invoice_id
    except EstimateMarker.DoesNotExist:
        return None


def insert_from_charge(invoice: Invoice, charge_id: str, issued: OutboxEvent, now_epoch: int) -> bool:
    """The issued invoice, its charge's marker (`CHARGE#<id>` / `INVOICE`, the same shape as an
    estimate's) and its InvoiceIssued event together; False when the charge was invoiced already."""
    marker = EstimateMarker(pk=f"CHARGE#{charge_id}", sk="INVOICE", invoice_id=invoice.invoice_id)
    with conditional_transaction() as tx:
        tx.save(_record(invoice), condition=InvoiceRecord.pk.does_not_exist())
        tx.save(marker, condition=EstimateMarker.pk.does_not_exist())
        tx.save(OutboxRecord.of(issued, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed


# ---- comment threads (shared/comment_store.py: `INVOICE#<id>` / `COMMENT#<created_at>#<comment_id>`) ------


CommentRecord = comment_store.thread_model(TABLE_NAME)


def read_thread(invoice_id: str) -> comment_store.Thread | None:
    """The invoice's owner, status and number with its comments, oldest first: one Query."""
    return comment_store.read_thread(CommentRecord, f"INVOICE#{invoice_id}", "INVOICE")


def add_comment(invoice_id: str, comment: Comment, event: OutboxEvent, now_epoch: int) -> None:
    comment_store.add_comment(CommentRecord, OutboxRecord, f"INVOICE#{invoice_id}", comment, event, now_epoch)


# ---- forwarding rate limit (shared/forward_store.py: `FORWARDS#<customer_id>` / `RATE`) -------------


ForwardRateRecord = forward_store.rate_model(TABLE_NAME)


def forward_window(customer_id: str) -> forward_store.RateWindow:
    return forward_store.read_window(ForwardRateRecord, customer_id)


def record_forward(
    customer_id: str, read: forward_store.RateWindow, sent_at: list[int], event: OutboxEvent, now_epoch: int
) -> bool:
    return forward_store.record_forward(
        ForwardRateRecord, OutboxRecord, customer_id, read, sent_at, event, now_epoch
    )
