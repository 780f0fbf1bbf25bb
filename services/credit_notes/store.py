"""Credit-notes table: pynamodb models, keys designed for every read, and the outbox.

  CREDIT_NOTE#<id>  CREDIT_NOTE  a credit note with its applications and refunds (GetItem)
  REQUEST#<id>      REQUEST      a contact's credit-note request and its answer (GetItem)
  INVOICE#<iid>     INVOICE      the copy of an issued invoice (from portal.invoices, version-guarded
                                 by invoice_version) plus what credit notes and pending requests
                                 claim of it (credited, requested; locked by credit_version)
  APPLICATION#<id> CREDIT_NOTE  the credit note an application came from
  COUNTER           CREDIT_NOTE_NUMBER
  OUTBOX#<event_id> OUTBOX       events, published from the stream
Customers and portal settings: directory_store.py.

Indexes (sparse):
  by_customer_date  credit notes: `<cid>`; requests: `REQUEST#<cid>`, by date
  by_status_date    credit notes: `<cid>#<status>`; requests: `REQUEST#<status>` (staff's queue)
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from services.credit_notes.directory_store import (  # re-exported: logic reads these copies here
    customer_party as customer_party,
)
from services.credit_notes.directory_store import tenant_settings as tenant_settings
from services.credit_notes.logic.domain import Application, CreditNote, CreditRequest, InvoiceFacts, Refund
from services.credit_notes.settings import Settings
from shared import line_store
from shared.dynamo import (
    KeyedRecord,
    Paging,
    conditional_transaction,
    counter_model,
    next_number,
    outbox_model,
    query_page,
    sparse_index,
    table_meta,
)
from shared.errors import Conflict
from shared.event_models import InvoiceChanged
from shared.events import OutboxEvent
from shared.money import Money
from shared.projections import update_if_newer
from shared.settings import load

TABLE_NAME = load(Settings).credit_notes_table

ByCustomerDate = sparse_index("by_customer_date", "customer_key", "date_key")
ByStatusDate = sparse_index("by_status_date", "status_key", "date_key")

CONFLICT = "This credit note or invoice was changed by someone else; reload and try again."


class ApplicationRecord(MapAttribute[str, Any]):
    application_id = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    invoice_number = UnicodeAttribute()
    amount = NumberAttribute()
    applied_at = UnicodeAttribute()


class RefundRecord(MapAttribute[str, Any]):
    refund_id = UnicodeAttribute()
    amount = NumberAttribute()
    method = UnicodeAttribute()
    reference = UnicodeAttribute(null=True)
    refunded_at = UnicodeAttribute()


class CreditNoteRecord(line_store.PricedRecord):
    Meta = table_meta(TABLE_NAME)

    credit_note_id = UnicodeAttribute()
    invoice_id = UnicodeAttribute(null=True)
    invoice_number = UnicodeAttribute(null=True)
    reason = UnicodeAttribute()
    request_id = UnicodeAttribute(null=True)
    applications = ListAttribute(of=ApplicationRecord, default=list)
    refunds = ListAttribute(of=RefundRecord, default=list)
    remaining = NumberAttribute()

    by_customer_date = ByCustomerDate()
    by_status_date = ByStatusDate()


class RequestRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    request_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute(null=True)
    invoice_id = UnicodeAttribute()
    invoice_number = UnicodeAttribute()
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    reason = UnicodeAttribute()
    status = UnicodeAttribute()
    answer = UnicodeAttribute(null=True)
    credit_note_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    answered_at = UnicodeAttribute(null=True)
    version = VersionAttribute()
    customer_key = UnicodeAttribute()
    status_key = UnicodeAttribute()
    date_key = UnicodeAttribute()

    by_customer_date = ByCustomerDate()
    by_status_date = ByStatusDate()


class InvoiceRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    invoice_id = UnicodeAttribute(null=True)
    customer_id = UnicodeAttribute(null=True)
    number = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    total = NumberAttribute(null=True)
    amount_due = NumberAttribute(null=True)
    invoice_version = NumberAttribute(null=True)
    credited = NumberAttribute(null=True)
    requested = NumberAttribute(null=True)
    credit_version = NumberAttribute(null=True)


class ChargeCreditRecord(KeyedRecord):
    """`CHARGE#<charge id>` / `CREDIT_NOTE`: the credit note a subscription change's credit became
    (one per charge id)."""

    Meta = table_meta(TABLE_NAME)

    credit_note_id = UnicodeAttribute()


class ApplicationOwnerRecord(KeyedRecord):  # InvoicePaymentRecorded names only the application
    Meta = table_meta(TABLE_NAME)

    credit_note_id = UnicodeAttribute()


OutboxRecord = outbox_model(TABLE_NAME)
CounterRecord = counter_model(TABLE_NAME)


# ---- mapping -------------------------------------------------------------------------------------


def _note_record(note: CreditNote) -> CreditNoteRecord:
    cid = note.customer_id
    record = CreditNoteRecord(
        pk=f"CREDIT_NOTE#{note.credit_note_id}",
        sk="CREDIT_NOTE",
        credit_note_id=note.credit_note_id,
        status=note.status,
        **line_store.record_fields(note),
        invoice_id=note.invoice_id,
        invoice_number=note.invoice_number,
        reason=note.reason,
        request_id=note.request_id,
        applications=[
            ApplicationRecord(  # type: ignore[no-untyped-call]
                application_id=a.application_id,
                invoice_id=a.invoice_id,
                invoice_number=a.invoice_number,
                amount=a.amount.amount,
                applied_at=a.applied_at,
            )
            for a in note.applications
        ],
        refunds=[
            RefundRecord(  # type: ignore[no-untyped-call]
                refund_id=r.refund_id,
                amount=r.amount.amount,
                method=r.method,
                reference=r.reference,
                refunded_at=r.refunded_at,
            )
            for r in note.refunds
        ],
        remaining=note.remaining.amount,
        customer_key=cid,
        status_key=f"{cid}#{note.status}",
        date_key=f"{note.issue_date.isoformat()}#{note.credit_note_id}",
    )
    if note.version is not None:
        record.version = note.version
    return record


def _note(record: CreditNoteRecord) -> CreditNote:
    fields = line_store.document_fields(record)
    money = line_store.money_in(record.currency)
    return CreditNote(
        credit_note_id=record.credit_note_id,
        status=record.status,
        invoice_id=record.invoice_id,
        invoice_number=record.invoice_number,
        reason=record.reason,
        request_id=record.request_id,
        applications=[
            Application(
                application_id=a.application_id,
                invoice_id=a.invoice_id,
                invoice_number=a.invoice_number,
                amount=money(a.amount),
                applied_at=a.applied_at,
            )
            for a in record.applications or []
        ],
        refunds=[
            Refund(
                refund_id=r.refund_id,
                amount=money(r.amount),
                method=r.method,
                reference=r.reference,
                refunded_at=r.refunded_at,
            )
            for r in record.refunds or []
        ],
        **fields,
    )


def _request_record(request: CreditRequest) -> RequestRecord:
    record = RequestRecord(
        pk=f"REQUEST#{request.request_id}",
        sk="REQUEST",
        request_id=request.request_id,
        customer_id=request.customer_id,
        contact_id=request.contact_id,
        invoice_id=request.invoice_id,
        invoice_number=request.invoice_number,
        amount=request.amount.amount,
        currency=request.amount.currency,
        reason=request.reason,
        status=request.status,
        answer=request.answer,
        credit_note_id=request.credit_note_id,
        created_at=request.created_at,
        answered_at=request.answered_at,
        customer_key=f"REQUEST#{request.customer_id}",
        status_key=f"REQUEST#{request.status}",
        date_key=f"{request.created_at}#{request.request_id}",
    )
    if request.version is not None:
        record.version = request.version
    return record


def _request(record: RequestRecord) -> CreditRequest:
    return CreditRequest(
        request_id=record.request_id,
        customer_id=record.customer_id,
        contact_id=record.contact_id,
        invoice_id=record.invoice_id,
        invoice_number=record.invoice_number,
        amount=Money(amount=int(record.amount), currency=record.currency),
        reason=record.reason,
        status=record.status,
        answer=record.answer,
        credit_note_id=record.credit_note_id,
        created_at=record.created_at,
        answered_at=record.answered_at,
        version=record.version,
    )


def _invoice(record: InvoiceRecord) -> InvoiceFacts | None:
    if record.invoice_version is None or record.currency is None:
        return None  # only what this service's own writes claimed: the invoice's event is not here yet
    money = line_store.money_in(record.currency)
    return InvoiceFacts(
        invoice_id=record.invoice_id or record.pk.removeprefix("INVOICE#"),
        customer_id=record.customer_id or "",
        number=record.number or "",
        status=record.status or "",
        total=money(record.total or 0),
        amount_due=money(record.amount_due or 0),
        credited=money(record.credited or 0),
        requested=money(record.requested or 0),
        credit_version=None if record.credit_version is None else int(record.credit_version),
    )


# ---- commands ------------------------------------------------------------------------------------


def next_credit_note_number() -> str:
    """Human numbers from a tenant-wide counter (CN-000001, …)."""
    return next_number(CounterRecord, "CREDIT_NOTE_NUMBER", "CN-", "a credit note number")


def commit(
    events: list[OutboxEvent],
    now_epoch: int,
    note: CreditNote | None = None,
    request: CreditRequest | None = None,
    invoice: InvoiceFacts | None = None,
    application_id: str | None = None,
) -> None:
    """One change in one transaction: the credit note and/or the request (each only if unchanged since
    read: its version), the invoice's claims (only if unchanged: credit_version) and the events' outbox
    items. `Conflict` when someone changed one of them meanwhile (nothing is written)."""
    with conditional_transaction() as tx:
        if note is not None:
            tx.save(_note_record(note))
        if request is not None:
            tx.save(_request_record(request))
        if note is not None and application_id is not None:  # the application → its credit note
            owner = ApplicationOwnerRecord(f"APPLICATION#{application_id}", "CREDIT_NOTE")
            owner.credit_note_id = note.credit_note_id
            tx.save(owner, condition=ApplicationOwnerRecord.pk.does_not_exist())
        if invoice is not None:
            item = InvoiceRecord(pk=f"INVOICE#{invoice.invoice_id}", sk="INVOICE")
            version = invoice.credit_version
            tx.update(
                item,
                actions=[
                    InvoiceRecord.credited.set(invoice.credited.amount),
                    InvoiceRecord.requested.set(invoice.requested.amount),
                    InvoiceRecord.amount_due.set(invoice.amount_due.amount),
                    InvoiceRecord.credit_version.set((version or 0) + 1),
                ],
                condition=InvoiceRecord.credit_version.does_not_exist()
                if version is None
                else InvoiceRecord.credit_version == version,
            )
        for event in events:
            tx.save(OutboxRecord.of(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    if not tx.committed:
        raise Conflict(CONFLICT)


def project_invoice(data: InvoiceChanged) -> bool:
    """Keep the newest snapshot of an invoice (its claims, credited/requested, stay as they are)."""
    return update_if_newer(
        InvoiceRecord(pk=f"INVOICE#{data.invoice_id}", sk="INVOICE"),
        "invoice_version",
        data.invoice_version,
        invoice_id=data.invoice_id,
        customer_id=data.customer_id,
        number=data.number,
        status=data.status,
        currency=data.total.currency,
        total=data.total.amount,
        amount_due=data.amount_due.amount,
    )


# ---- queries -------------------------------------------------------------------------------------


def get(credit_note_id: str) -> CreditNote | None:
    try:
        return _note(
            CreditNoteRecord.get(f"CREDIT_NOTE#{credit_note_id}", "CREDIT_NOTE", consistent_read=True)
        )
    except CreditNoteRecord.DoesNotExist:
        return None


def get_request(request_id: str) -> CreditRequest | None:
    try:
        return _request(RequestRecord.get(f"REQUEST#{request_id}", "REQUEST", consistent_read=True))
    except RequestRecord.DoesNotExist:
        return None


def invoice(invoice_id: str) -> InvoiceFacts | None:
    try:
        return _invoice(InvoiceRecord.get(f"INVOICE#{invoice_id}", "INVOICE", consistent_read=True))
    except InvoiceRecord.DoesNotExist:
        return None


def list_for_customer(
    customer_id: str, status: str | None, limit: int, cursor: str | None
) -> tuple[list[CreditNote], str | None]:
    """One page, newest first, in one Query of the index designed for the filter."""
    if status is None:
        index: Any = CreditNoteRecord.by_customer_date
        hash_attr, hash_value = "customer_key", customer_id
    else:
        index = CreditNoteRecord.by_status_date
        hash_attr, hash_value = "status_key", f"{customer_id}#{status}"
    paging = Paging(keys=("pk", "sk", hash_attr, "date_key"), bound={hash_attr: hash_value})
    records, next_cursor = query_page(
        index.query, hash_value, paging, limit, cursor, scan_index_forward=False
    )
    return [_note(record) for record in records], next_cursor


def requests_of_customer(
    customer_id: str, limit: int, cursor: str | None
) -> tuple[list[CreditRequest], str | None]:
    hash_value = f"REQUEST#{customer_id}"
    paging = Paging(keys=("pk", "sk", "customer_key", "date_key"), bound={"customer_key": hash_value})
    records, next_cursor = query_page(
        RequestRecord.by_customer_date.query, hash_value, paging, limit, cursor, scan_index_forward=False
    )
    return [_request(record) for record in records], next_cursor


def requests_by_status(status: str, limit: int, cursor: str | None) -> tuple[list[CreditRequest], str | None]:
    """Staff's queue: oldest first."""
    hash_value = f"REQUEST#{status}"
    paging = Paging(keys=("pk", "sk", "status_key", "date_key"), bound={"status_key": hash_value})
    records, next_cursor = query_page(RequestRecord.by_status_date.query, hash_value, paging, limit, cursor)
    return [_request(record) for record in records], next_cursor


# ---- credit notes of subscription changes ------------------------------------------------------------


def credit_note_of_application(application_id: str) -> str | None:
    try:
        return ApplicationOwnerRecord.get(f"APPLICATION#{application_id}", "CREDIT_NOTE").credit_note_id
    except ApplicationOwnerRecord.DoesNotExist:
        return None


def credit_note_of_charge(charge_id: str) -> str | None:
    try:
        return ChargeCreditRecord.get(f"CHARGE#{charge_id}", "CREDIT_NOTE").credit_note_id
    except ChargeCreditRecord.DoesNotExist:
        return None


def insert_from_charge(note: CreditNote, charge_id: str, event: OutboxEvent, now_epoch: int) -> bool:
    """The credit note, its charge's marker and its event together; False when the charge was
    credited already."""
    marker = ChargeCreditRecord(
        pk=f"CHARGE#{charge_id}", sk="CREDIT_NOTE", credit_note_id=note.credit_note_id
    )
    with conditional_transaction() as tx:
        tx.save(_note_record(note), condition=CreditNoteRecord.pk.does_not_exist())
        tx.save(marker, condition=ChargeCreditRecord.pk.does_not_exist())
        tx.save(OutboxRecord.of(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed
