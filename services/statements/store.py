"""Statements table: each customer's ledger, its monthly checkpoints and the invoices' amounts due.
Projections of the customers service's facts (customers, settings): `directory_store.py`.

Keys (one partition per customer, `CUSTOMER#<cid>`):
  ENTRY#<date>#<entry key>   one ledger entry (signed amount); the key makes a redelivery a no-op
  MONTH#<YYYY-MM>            the month's checkpoint: the net of its entries, added in the same
                             transaction as each entry, so an opening balance is the sum of the
                             earlier months (one Query, a dozen items a year) + that month's entries
                             before the day (one Query), never a read of all history
  INVOICE#<invoice id>       the invoice's latest snapshot (version-guarded; its due date ages a
                             statement); open ones (something due, not void) carry the keys of the
                             sparse index `open_by_due` (open_key = cid), which no read uses now
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from services.statements.directory_store import (  # re-exported: logic reads these copies here
    customer_currency as customer_currency,
)
from services.statements.directory_store import customer_party as customer_party
from services.statements.directory_store import tenant_settings as tenant_settings
from services.statements.logic.ledger import Entry, IssuedInvoice
from services.statements.settings import Settings
from shared.dynamo import KeyedRecord, conditional_transaction, sparse_index, table_meta
from shared.event_models import InvoiceChanged
from shared.money import Money
from shared.projections import save_if_newer
from shared.rate_limit import rate_model, take
from shared.settings import load

TABLE_NAME = load(Settings).statements_table

OpenByDue = sparse_index("open_by_due", "open_key", "due_key")


def _pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


class EntryRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    kind = UnicodeAttribute()
    document_id = UnicodeAttribute()
    reference = UnicodeAttribute()
    description = UnicodeAttribute()
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    due_date = UnicodeAttribute(null=True)  # an invoice's (entries written before it had none)


class MonthRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    net = NumberAttribute(default=0)
    currency = UnicodeAttribute(null=True)


class InvoiceRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    invoice_id = UnicodeAttribute()
    number = UnicodeAttribute()
    status = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    due_date = UnicodeAttribute()
    amount_due = NumberAttribute()
    currency = UnicodeAttribute()
    version = NumberAttribute()
    open_key = UnicodeAttribute(null=True)
    due_key = UnicodeAttribute(null=True)

    open_by_due = OpenByDue()


# ---- commands ------------------------------------------------------------------------------------


def record_entry(entry: Entry) -> bool:
    """The entry and its month's checkpoint in one transaction; False when it was recorded before."""
    sk = f"ENTRY#{entry.entry_date.isoformat()}#{entry.entry_key}"
    record = EntryRecord(
        pk=_pk(entry.customer_id),
        sk=sk,
        kind=entry.kind,
        document_id=entry.document_id,
        reference=entry.reference,
        description=entry.description,
        amount=entry.amount.amount,
        currency=entry.amount.currency,
        due_date=entry.due_date.isoformat() if entry.due_date else None,
    )
    month = MonthRecord(pk=_pk(entry.customer_id), sk=f"MONTH#{entry.entry_date.isoformat()[:7]}")
    with conditional_transaction() as tx:
        tx.save(record, condition=EntryRecord.pk.does_not_exist())
        tx.update(
            month,
            actions=[
                MonthRecord.net.add(entry.amount.amount),
                MonthRecord.currency.set(entry.amount.currency),
            ],
        )
    return tx.committed


def project_invoice(data: InvoiceChanged) -> bool:
    """The invoice's latest amount due (an older or repeated snapshot changes nothing)."""
    is_open = data.status != "void" and data.amount_due.amount > 0
    record = InvoiceRecord(
        pk=_pk(data.customer_id),
        sk=f"INVOICE#{data.invoice_id}",
        invoice_id=data.invoice_id,
        number=data.number,
        status=data.status,
        issue_date=data.issue_date,
        due_date=data.due_date,
        amount_due=data.amount_due.amount,
        currency=data.amount_due.currency,
        version=data.invoice_version,
        open_key=data.customer_id if is_open else None,
        due_key=f"{data.due_date}#{data.invoice_id}" if is_open else None,
    )
    return save_if_newer(record, "version")


# ---- queries -------------------------------------------------------------------------------------


def _entry(customer_id: str, record: EntryRecord) -> Entry:
    _, day, key = record.sk.split("#", 2)
    return Entry(
        customer_id=customer_id,
        entry_date=date.fromisoformat(day),
        entry_key=key,
        kind=record.kind,  # type: ignore[arg-type]  # written from EntryKind only
        document_id=record.document_id,
        reference=record.reference,
        description=record.description,
        amount=Money(amount=int(record.amount), currency=record.currency),
    )


def entries_between(customer_id: str, first: date, last: date) -> Iterator[Entry]:
    """The entries dated first..last, in date order (one Query, paged by pynamodb)."""
    condition = EntryRecord.sk.between(f"ENTRY#{first.isoformat()}#", f"ENTRY#{last.isoformat()}#~")
    for record in EntryRecord.query(_pk(customer_id), condition):
        yield _entry(customer_id, record)


def balance_before(customer_id: str, day: date) -> int:
    """The balance at the start of `day`: the checkpoints of the months before its month (one Query)
    and the entries of its month before it (one Query)."""
    month = day.isoformat()[:7]
    earlier = MonthRecord.query(_pk(customer_id), MonthRecord.sk.between("MONTH#", f"MONTH#{month}"))
    total = sum(int(record.net) for record in earlier if record.sk != f"MONTH#{month}")
    first_of_month = day.replace(day=1)
    if day > first_of_month:
        condition = EntryRecord.sk.between(
            f"ENTRY#{first_of_month.isoformat()}#", f"ENTRY#{day.isoformat()}#"
        )
        total += sum(
            int(record.amount)
            for record in EntryRecord.query(_pk(customer_id), condition, attributes_to_get=["amount"])
        )
    return total


def issued_newest_first(customer_id: str, last: date) -> Iterator[IssuedInvoice]:
    """The invoices issued by `last` and not voided by then, newest first: the ledger read backwards
    from `last` (one Query, paged lazily, so a caller that stops early reads little); an invoice's
    entry carries its due date. A void is dated when it was
    made, after its invoice's issue date, so it is read before the invoice it cancels (an invoice
    given a future issue date and voided before that date would still be counted)."""
    condition = EntryRecord.sk.between("ENTRY#", f"ENTRY#{last.isoformat()}#~")
    records = EntryRecord.query(
        _pk(customer_id),
        condition,
        scan_index_forward=False,
        page_size=AGING_PAGE,
        attributes_to_get=["pk", "sk", "kind", "document_id", "reference", "amount", "currency", "due_date"],
    )
    voided: set[str] = set()
    page: list[EntryRecord] = []
    for read, record in enumerate(records, start=1):
        if record.kind == "invoice_voided":
            voided.add(record.document_id)
        elif record.kind == "invoice" and record.document_id not in voided:
            page.append(record)
        if page and read % AGING_PAGE == 0:  # each page of entries read: its invoices, then maybe stop
            yield from _issued(customer_id, page)
            page = []
    if page:
        yield from _issued(customer_id, page)


AGING_PAGE = 25


def _issued(customer_id: str, page: list[EntryRecord]) -> Iterator[IssuedInvoice]:
    due = {record.document_id: record.due_date for record in page if record.due_date}
    older = [(_pk(customer_id), f"INVOICE#{r.document_id}") for r in page if r.document_id not in due]
    if older:  # entries written before they carried the due date: their snapshots (one BatchGetItem)
        for snapshot in InvoiceRecord.batch_get(older, attributes_to_get=["invoice_id", "due_date"]):
            due[snapshot.invoice_id] = snapshot.due_date
    for record in page:
        issued = date.fromisoformat(record.sk.split("#", 2)[1])
        due_date = due.get(record.document_id)
        yield IssuedInvoice(
            invoice_id=record.document_id,
            number=record.reference,
            issue_date=issued,
            due_date=date.fromisoformat(due_date) if due_date else issued,
            total=Money(amount=int(record.amount), currency=record.currency),
        )


RateRecord = rate_model(TABLE_NAME)


def take_statement_pdf(caller_key: str, per_minute: int) -> int:
    """0 when this PDF is admitted, else the seconds until the caller's minute ends (shared.rate_limit)."""
    return take(RateRecord, f"STATEMENT_PDFS#{caller_key}", per_minute, 60)
