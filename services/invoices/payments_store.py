"""Money applied to invoices (InvoicesTable), in each invoice's own partition so the invoice page
reads it with the invoice in one Query:

  INVOICE#<iid>  INVOICE             the invoice (store.py)
  INVOICE#<iid>  PAYMENT#<key>       money applied: a portal payment, a credit application, an offline
                                     payment (key = its id) or a refund (key = the refund id). Written
                                     in the same transaction as the invoice and its outbox event, on
                                     condition it does not exist: each is applied exactly once.
  INVOICE#<iid>  PENDING#<pid>       a portal payment of the invoice is pending (`pending`), guarded by
                                     the payment's `payment_version`: an older event changes nothing.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from services.invoices.logic.domain import Invoice
from services.invoices.logic.payment_rules import AppliedPayment, InvoicePayments
from services.invoices.store import TABLE_NAME, InvoiceRecord, _invoice, _outbox, _record
from shared import projections
from shared.dynamo import ConditionalTransaction, KeyedRecord, _connection, table_meta
from shared.events import OutboxEvent
from shared.money import Money

INVOICE_SK = "INVOICE"
APPLIED_PREFIX = "PAYMENT#"
PENDING_PREFIX = "PENDING#"


class AppliedRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    payment_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    method = UnicodeAttribute()
    applied_at = UnicodeAttribute()
    refund_id = UnicodeAttribute(null=True)
    refunded = NumberAttribute(null=True)
    status_before = UnicodeAttribute(null=True)


class PendingRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    payment_id = UnicodeAttribute(null=True)
    pending = BooleanAttribute(null=True)
    payment_version = NumberAttribute(null=True)


def _partition(invoice_id: str) -> str:
    return f"INVOICE#{invoice_id}"


def _applied_record(invoice_id: str, entry: AppliedPayment) -> AppliedRecord:
    return AppliedRecord(
        pk=_partition(invoice_id),
        sk=f"{APPLIED_PREFIX}{entry.key}",
        payment_id=entry.payment_id,
        kind=entry.kind,
        amount=entry.amount.amount,
        currency=entry.amount.currency,
        method=entry.method,
        applied_at=entry.applied_at,
        refund_id=entry.refund_id,
        refunded=entry.refunded.amount if entry.refunded is not None else None,
        status_before=entry.status_before,
    )


def _applied(record: AppliedRecord) -> AppliedPayment:
    def money(amount: Any) -> Money:
        return Money(amount=int(amount), currency=record.currency)

    return AppliedPayment(
        payment_id=record.payment_id,
        kind=record.kind,  # type: ignore[arg-type]  # written from an AppliedKind only
        amount=money(record.amount),
        method=record.method,
        applied_at=record.applied_at,
        refund_id=record.refund_id,
        refunded=money(record.refunded) if record.refunded is not None else None,
        status_before=record.status_before,
    )


# ---- queries -------------------------------------------------------------------------------------


def invoice_with_payments(
    invoice_id: str, consistent: bool = False
) -> tuple[Invoice | None, InvoicePayments]:
    """The invoice, its applied money and its pending flag: one Query of its partition (from
    `INVOICE` to the last `PENDING#`; other items of the partition are skipped)."""
    # The table connection of pynamodb answers raw items, so each kind maps to its own model.
    connection = AppliedRecord._get_connection()
    condition = AppliedRecord.sk.between(INVOICE_SK, f"{PENDING_PREFIX}\U0010ffff")
    invoice: Invoice | None = None
    applied: list[AppliedPayment] = []
    pending = False
    start = None
    while True:
        page = connection.query(
            _partition(invoice_id),
            range_key_condition=condition,
            consistent_read=consistent,
            exclusive_start_key=start,
        )
        for item in page.get("Items", []):
            sk = item["sk"]["S"]
            if sk == INVOICE_SK:
                invoice = _invoice(InvoiceRecord.from_raw_data(item))
            elif sk.startswith(APPLIED_PREFIX):
                applied.append(_applied(AppliedRecord.from_raw_data(item)))
            elif sk.startswith(PENDING_PREFIX):
                pending = pending or bool(PendingRecord.from_raw_data(item).pending)
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    applied.sort(key=lambda entry: (entry.applied_at, entry.key))
    return invoice, InvoicePayments(applied=tuple(applied), pending=pending)


# ---- commands ------------------------------------------------------------------------------------


def set_pending(invoice_id: str, payment_id: str, pending: bool, payment_version: int) -> bool:
    """Mark (or clear) a pending payment of the invoice unless the payment's same or a newer version
    did already. False: a redelivered or older event, nothing changed."""
    item = PendingRecord(pk=_partition(invoice_id), sk=f"{PENDING_PREFIX}{payment_id}")
    return projections.update_if_newer(
        item, "payment_version", payment_version, payment_id=payment_id, pending=pending
    )


def apply_with_event(invoice: Invoice, entry: AppliedPayment, event: OutboxEvent, now_epoch: int) -> bool:
    """The invoice's new state, the applied entry and the event, in one transaction. False when it
    was not written: the entry exists already (applied before), the invoice changed since it was
    read, or a concurrent transaction conflicted — the caller reads again and decides."""
    with _committing() as tx:
        tx.save(_record(invoice))
        tx.save(_applied_record(invoice.invoice_id, entry), condition=AppliedRecord.pk.does_not_exist())
        tx.save(_outbox(event, now_epoch))
    return bool(tx.committed)


def refund_with_event(
    invoice: Invoice, refunded: AppliedPayment, refund: AppliedPayment, event: OutboxEvent, now_epoch: int
) -> bool:
    """A refund: the invoice's new state, the refunded payment's `refunded` raised (only if nobody
    raised it since it was read), the refund's own entry (once) and the event, in one transaction."""
    before = refunded.refunded.amount if refunded.refunded is not None else 0
    after = before + refund.amount.amount
    unchanged = (
        AppliedRecord.refunded == before
        if refunded.refunded is not None
        else AppliedRecord.refunded.does_not_exist()
    )
    with _committing() as tx:
        tx.save(_record(invoice))
        tx.update(
            AppliedRecord(pk=_partition(invoice.invoice_id), sk=f"{APPLIED_PREFIX}{refunded.key}"),
            actions=[AppliedRecord.refunded.set(after)],
            condition=AppliedRecord.pk.exists() & unchanged,
        )
        tx.save(_applied_record(invoice.invoice_id, refund), condition=AppliedRecord.pk.does_not_exist())
        tx.save(_outbox(event, now_epoch))
    return bool(tx.committed)


class _Committing(ConditionalTransaction):
    """A conditional transaction that also answers "not committed" for a TransactionConflict (a
    concurrent transaction on one of its items): the caller reads again and retries, so a conflict is
    retried — never taken for "already applied", never acked and dropped."""

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        except TransactWriteError as error:
            if error.cause_response_code != "TransactionCanceledException":
                raise
            self.committed = False  # a TransactionConflict (a failed condition is handled by super)


def _committing() -> _Committing:
    return _Committing(connection=_connection())
