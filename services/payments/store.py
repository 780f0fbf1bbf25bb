"""Payments table: pynamodb models, keys designed for every read, the claims and the outbox.

Projections of other services' facts (invoices, customers, settings): `directory_store.py`.
  PAYMENT#<id>            PAYMENT                 a payment (+ the keys of five sparse indexes)
  CLAIM#<invoice_id>      CLAIM                   who may pay the invoice now (conditional put)
  CUSTOMER#<cid>          CREDIT#<time>#<id>      one credit movement
  CUSTOMER#<cid>          METHOD#<id> / SETUP#<id> saved methods / methods being saved
  SETUP#<setup id>        SETUP                   the customer a provider setup belongs to
  WEBHOOK#<prov>#<event>  WEBHOOK                 a webhook seen (dedupe, TTL 30 days)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DeleteError, UpdateError
from pynamodb.transactions import TransactGet

from services.payments.directory_store import (  # re-exported: logic reads the settings copy here
    CreditNoteCopy,
    CustomerItem,
    InvoiceCopy,
    customer_key,
    invoice_key,
)
from services.payments.directory_store import tenant_settings as tenant_settings
from services.payments.logic.domain import (
    BalanceChange,
    CreditMovement,
    CreditNoteCredit,
    CustomerAccount,
    InvoiceFacts,
    Payment,
    RefundRecord,
    SavedMethod,
)
from services.payments.settings import Settings
from shared.dynamo import (
    KeyedRecord,
    Paging,
    _connection,
    condition_failed,
    conditional_transaction,
    outbox_model,
    query_page,
    sparse_index,
    table_meta,
)
from shared.errors import Conflict
from shared.event_models import Allocation, PaymentMethodFacts
from shared.events import OutboxEvent
from shared.ids import utc_now_iso
from shared.money import Money
from shared.settings import load

if TYPE_CHECKING:  # not a model of this module (the ownership test reads its models)
    from shared.dynamo import OutboxFields

TABLE_NAME = load(Settings).payments_table
WEBHOOK_TTL_SECONDS = 30 * 24 * 3600
CREDIT_ENTRIES_SHOWN = 100
CREDIT_NOTES_READ = 100  # credit-note copies read with the movements (they sort between them)

ByCustomerDate = sparse_index("by_customer_date", "customer_key", "date_key")
ByCustomerAmount = sparse_index("by_customer_amount", "customer_key", "amount_key")
ByKindDate = sparse_index("by_kind_date", "kind_key", "date_key")
ByKindAmount = sparse_index("by_kind_amount", "kind_key", "amount_key")
StaffByDate = sparse_index("staff_by_date", "staff_key", "date_key")


class PaymentRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    payment_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    kind = UnicodeAttribute()
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    method = UnicodeAttribute()  # JSON PaymentMethodFacts
    allocations = UnicodeAttribute()  # JSON [Allocation]
    unallocated = NumberAttribute()
    provider = UnicodeAttribute()
    intent_id = UnicodeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    refunds = UnicodeAttribute(default="[]")  # JSON [refund]
    released = UnicodeAttribute(default="[]")  # JSON [invoice id]
    payer = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()
    customer_key = UnicodeAttribute()
    kind_key = UnicodeAttribute()
    staff_key = UnicodeAttribute()
    date_key = UnicodeAttribute()
    amount_key = UnicodeAttribute()

    by_customer_date = ByCustomerDate()
    by_customer_amount = ByCustomerAmount()
    by_kind_date = ByKindDate()
    by_kind_amount = ByKindAmount()
    staff_by_date = StaffByDate()


class ClaimRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    payment_id = UnicodeAttribute()
    claimed_at = UnicodeAttribute()


class CreditRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    credit_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    payment_id = UnicodeAttribute(null=True)
    invoice_id = UnicodeAttribute(null=True)
    invoice_number = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class MethodRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    method_id = UnicodeAttribute(null=True)
    provider_method_id = UnicodeAttribute(null=True)
    setup_id = UnicodeAttribute(null=True)  # on SETUP# items
    kind = UnicodeAttribute(null=True)
    brand = UnicodeAttribute(null=True)
    last4 = UnicodeAttribute(null=True)
    exp_month = NumberAttribute(null=True)
    exp_year = NumberAttribute(null=True)
    created_at = UnicodeAttribute(null=True)


class SetupOwner(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute()


class WebhookRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    event_type = UnicodeAttribute()
    expires_at = NumberAttribute()


OutboxRecord = outbox_model(TABLE_NAME)


# ---- mapping -------------------------------------------------------------------------------------


def _payment_record(payment: Payment) -> PaymentRecord:
    cid = payment.customer_id
    record = PaymentRecord(
        pk=f"PAYMENT#{payment.payment_id}",
        sk="PAYMENT",
        payment_id=payment.payment_id,
        customer_id=cid,
        contact_id=payment.contact_id,
        status=payment.status,
        kind=payment.kind,
        amount=payment.amount.amount,
        currency=payment.amount.currency,
        method=payment.method.model_dump_json(),
        allocations=json.dumps([a.model_dump(mode="json") for a in payment.allocations]),
        unallocated=payment.unallocated.amount,
        provider=payment.provider,
        intent_id=payment.intent_id,
        failure_reason=payment.failure_reason,
        refunds=json.dumps([_refund_json(r) for r in payment.refunds]),
        released=json.dumps(list(payment.released)),
        payer=payment.payer,
        created_at=payment.created_at,
        updated_at=payment.updated_at,
        customer_key=cid,
        kind_key=f"{cid}#{payment.kind}",
        staff_key="PAYMENT",
        date_key=f"{payment.created_at}#{payment.payment_id}",
        amount_key=f"{payment.amount.amount:015d}#{payment.payment_id}",
    )
    if payment.version is not None:
        record.version = payment.version
    return record


def _refund_json(refund: RefundRecord) -> dict[str, Any]:
    return {
        "refund_id": refund.refund_id,
        "amount": refund.amount.amount,
        "credit_reversed": refund.credit_reversed.amount,
        "allocations": [a.model_dump(mode="json") for a in refund.allocations],
        "reason": refund.reason,
        "created_at": refund.created_at,
    }


def _payment(record: PaymentRecord) -> Payment:
    currency = record.currency

    def money(value: Any) -> Money:
        return Money(amount=int(value), currency=currency)

    refunds = tuple(
        RefundRecord(
            refund_id=r["refund_id"],
            amount=money(r["amount"]),
            credit_reversed=money(r["credit_reversed"]),
            allocations=tuple(Allocation.model_validate(a) for a in r["allocations"]),
            reason=r["reason"],
            created_at=r["created_at"],
        )
        for r in json.loads(record.refunds)
    )
    return Payment(
        payment_id=record.payment_id,
        customer_id=record.customer_id,
        contact_id=record.contact_id,
        status=record.status,
        kind=record.kind,
        amount=money(record.amount),
        method=PaymentMethodFacts.model_validate_json(record.method),
        allocations=tuple(Allocation.model_validate(a) for a in json.loads(record.allocations)),
        unallocated=money(record.unallocated),
        provider=record.provider,
        intent_id=record.intent_id,
        failure_reason=record.failure_reason,
        refunds=refunds,
        created_at=record.created_at,
        updated_at=record.updated_at,
        version=record.version,
        released=tuple(json.loads(record.released)),
        payer=record.payer,
    )


def _invoice(item: InvoiceCopy) -> InvoiceFacts:
    return InvoiceFacts(
        invoice_id=item.invoice_id,
        customer_id=item.customer_id,
        number=item.number,
        status=item.status,
        issue_date=item.issue_date,
        currency=item.currency,
        amount_due=Money(amount=int(item.amount_due), currency=item.currency),
    )


def _account(customer_id: str, item: CustomerItem | None) -> CustomerAccount:
    balance = None
    if item is not None and item.balance is not None and item.balance_currency:
        balance = Money(amount=int(item.balance), currency=item.balance_currency)
    return CustomerAccount(
        customer_id=customer_id,
        display_name=item.display_name if item else None,
        email=item.email if item else None,
        currency=item.currency if item else None,
        provider_customer_id=item.provider_customer_id if item else None,
        default_method_id=item.default_method_id if item else None,
        auto_charge=bool(item.auto_charge) if item else False,
        balance=balance,
        balance_version=int(item.balance_version or 0) if item else 0,
    )


def _method(item: MethodRecord) -> SavedMethod:
    return SavedMethod(
        method_id=str(item.method_id),
        provider_method_id=str(item.provider_method_id),
        kind=str(item.kind),
        brand=item.brand,
        last4=item.last4,
        exp_month=int(item.exp_month) if item.exp_month is not None else None,
        exp_year=int(item.exp_year) if item.exp_year is not None else None,
        created_at=str(item.created_at),
    )


def _credit(item: CreditRecord) -> CreditMovement:
    return CreditMovement(
        credit_id=item.credit_id,
        kind=item.kind,
        amount=Money(amount=int(item.amount), currency=item.currency),
        payment_id=item.payment_id,
        invoice_id=item.invoice_id,
        invoice_number=item.invoice_number,
        created_at=item.created_at,
    )


def _outbox(event: OutboxEvent, now_epoch: int) -> OutboxFields:
    return OutboxRecord.of(event, now_epoch)


def _claim(invoice_id: str) -> ClaimRecord:
    return ClaimRecord(pk=f"CLAIM#{invoice_id}", sk="CLAIM")


# ---- reads ---------------------------------------------------------------------------------------


def get_payment(payment_id: str) -> Payment | None:
    try:
        return _payment(PaymentRecord.get(f"PAYMENT#{payment_id}", "PAYMENT"))
    except PaymentRecord.DoesNotExist:
        return None


def account(customer_id: str) -> CustomerAccount:
    try:
        return _account(customer_id, CustomerItem.get(*customer_key(customer_id)))
    except CustomerItem.DoesNotExist:
        return _account(customer_id, None)


def what_a_payment_needs(
    customer_id: str, invoice_ids: Sequence[str], method_id: str | None
) -> tuple[CustomerAccount, dict[str, InvoiceFacts], SavedMethod | None]:
    """The customer's account, the invoices and the chosen saved method, in one TransactGetItems."""
    with TransactGet(connection=_connection()) as get:
        customer = get.get(CustomerItem, *customer_key(customer_id))
        invoices = [get.get(InvoiceCopy, *invoice_key(iid)) for iid in invoice_ids]
        method = (
            get.get(MethodRecord, f"CUSTOMER#{customer_id}", f"METHOD#{method_id}") if method_id else None
        )
    found = {}
    for future in invoices:
        item = _found(future)
        if item is not None:
            found[item.invoice_id] = _invoice(item)
    method_item = _found(method) if method is not None else None
    return (
        _account(customer_id, _found(customer)),
        found,
        _method(method_item) if method_item is not None else None,
    )


def _found(future: Any) -> Any:
    try:
        return future.get()
    except Exception as error:  # pynamodb raises DoesNotExist for a missing item
        if type(error).__name__ == "DoesNotExist":
            return None
        raise


def open_invoices(customer_id: str) -> list[InvoiceFacts]:
    """Every open invoice of the customer, oldest first (one Query, up to 100)."""
    query = InvoiceCopy.open_by_customer.query(customer_id, limit=100, scan_index_forward=True)
    return [_invoice(item) for item in query]


def list_for_customer(
    customer_id: str, kind: str | None, by_amount: bool, descending: bool, limit: int, cursor: str | None
) -> tuple[list[Payment], str | None]:
    if kind is None:
        index: Any = PaymentRecord.by_customer_amount if by_amount else PaymentRecord.by_customer_date
        hash_attr, hash_value = "customer_key", customer_id
    else:
        index = PaymentRecord.by_kind_amount if by_amount else PaymentRecord.by_kind_date
        hash_attr, hash_value = "kind_key", f"{customer_id}#{kind}"
    range_attr = "amount_key" if by_amount else "date_key"
    paging = Paging(keys=("pk", "sk", hash_attr, range_attr), bound={hash_attr: hash_value})
    records, next_cursor = query_page(
        index.query, hash_value, paging, limit, cursor, scan_index_forward=not descending
    )
    return [_payment(r) for r in records], next_cursor


def list_all(descending: bool, limit: int, cursor: str | None) -> tuple[list[Payment], str | None]:
    paging = Paging(keys=("pk", "sk", "staff_key", "date_key"), bound={"staff_key": "PAYMENT"})
    records, next_cursor = query_page(
        PaymentRecord.staff_by_date.query, "PAYMENT", paging, limit, cursor, scan_index_forward=not descending
    )
    return [_payment(r) for r in records], next_cursor


def credits(customer_id: str) -> tuple[CustomerAccount, list[CreditMovement], list[CreditNoteCredit]]:
    """The balance, the open credit notes and the latest movements, newest first, in one Query:
    `CREDIT#…` < `CREDIT_NOTE#…` < `CUSTOMER`, so reading backwards from `CUSTOMER` gives the item,
    the credit notes, then the movements."""
    items = CustomerItem._get_connection().query(  # raw items: three kinds of item in one Query
        f"CUSTOMER#{customer_id}",
        CustomerItem.sk.between("CREDIT#", "CUSTOMER"),
        scan_index_forward=False,
        limit=CREDIT_ENTRIES_SHOWN + CREDIT_NOTES_READ + 1,
    )
    customer: CustomerItem | None = None
    movements, notes = [], []
    for raw in items.get("Items", []):
        sk = raw["sk"]["S"]
        if sk == "CUSTOMER":
            customer = CustomerItem.from_raw_data(raw)
        elif sk.startswith("CREDIT_NOTE#"):
            note = CreditNoteCopy.from_raw_data(raw)
            if note.status == "open" and note.remaining and note.currency:
                remaining = Money(amount=int(note.remaining), currency=note.currency)
                notes.append(CreditNoteCredit(str(note.credit_note_id), str(note.number), remaining))
        else:
            movements.append(_credit(CreditRecord.from_raw_data(raw)))
    return _account(customer_id, customer), movements[:CREDIT_ENTRIES_SHOWN], notes


def methods(customer_id: str) -> tuple[CustomerAccount, list[SavedMethod], list[str]]:
    """The account, its saved methods and the setups still open, in one Query (`CUSTOMER`,
    `METHOD#…`, `SETUP#…` sort in that order)."""
    items = CustomerItem._get_connection().query(
        f"CUSTOMER#{customer_id}", CustomerItem.sk >= "CUSTOMER", limit=200
    )
    customer: CustomerItem | None = None
    saved, setups = [], []
    for raw in items.get("Items", []):
        sk = raw["sk"]["S"]
        if sk == "CUSTOMER":
            customer = CustomerItem.from_raw_data(raw)
        elif sk.startswith("METHOD#"):
            saved.append(_method(MethodRecord.from_raw_data(raw)))
        elif sk.startswith("SETUP#"):
            setups.append(sk.removeprefix("SETUP#"))
    return _account(customer_id, customer), saved, setups


def setups_opened_at(customer_id: str) -> dict[str, str]:
    """The customer's open setups → when each was opened ("" for one opened before this was kept)."""
    query = MethodRecord.query(f"CUSTOMER#{customer_id}", MethodRecord.sk.startswith("SETUP#"), limit=50)
    return {str(item.setup_id): str(item.created_at or "") for item in query}


def setup_owner(setup_id: str) -> str | None:
    try:
        return SetupOwner.get(f"SETUP#{setup_id}", "SETUP").customer_id
    except SetupOwner.DoesNotExist:
        return None


def claim_holder(invoice_id: str) -> str | None:
    try:
        return ClaimRecord.get(f"CLAIM#{invoice_id}", "CLAIM").payment_id
    except ClaimRecord.DoesNotExist:
        return None


def claim(invoice_id: str) -> tuple[str, str] | None:
    """Who holds the invoice's claim and since when (a credit application's movement is keyed by it)."""
    try:
        item = ClaimRecord.get(f"CLAIM#{invoice_id}", "CLAIM", consistent_read=True)
    except ClaimRecord.DoesNotExist:
        return None
    return item.payment_id, item.claimed_at


def credit_movement(customer_id: str, created_at: str, credit_id: str) -> CreditMovement | None:
    try:
        return _credit(CreditRecord.get(f"CUSTOMER#{customer_id}", f"CREDIT#{created_at}#{credit_id}"))
    except CreditRecord.DoesNotExist:
        return None


# ---- writes --------------------------------------------------------------------------------------

CLAIMED = "A payment for {numbers} is already in progress; wait for it to finish (or fail) and try again."


def start_payment(payment: Payment, events: Iterable[OutboxEvent], now_epoch: int) -> Payment:
    """The payment, a claim on each invoice it pays and its event, in one transaction: of two
    payments of one invoice only one commits (409 for the other)."""
    record = _payment_record(payment)
    with conditional_transaction() as tx:
        for allocation in payment.allocations:
            claim = _claim(allocation.invoice_id)
            claim.payment_id, claim.claimed_at = payment.payment_id, payment.created_at
            tx.save(claim, condition=ClaimRecord.pk.does_not_exist())
        tx.save(record, condition=PaymentRecord.pk.does_not_exist())
        for event in events:
            tx.save(_outbox(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    if not tx.committed:
        numbers = ", ".join(a.invoice_number for a in payment.allocations) or "this payment"
        raise Conflict(CLAIMED.format(numbers=numbers))
    return _payment(record)


def set_intent(payment: Payment, intent_id: str, method: PaymentMethodFacts | None) -> None:
    """Record the provider's intent for a payment just started (no event: nothing changed for others)."""
    record = PaymentRecord(f"PAYMENT#{payment.payment_id}", "PAYMENT")
    record.version = payment.version  # pynamodb checks and bumps it
    actions: list[Any] = [PaymentRecord.intent_id.set(intent_id)]
    if method is not None:
        actions.append(PaymentRecord.method.set(method.model_dump_json()))
    record.update(actions=actions, condition=PaymentRecord.intent_id.does_not_exist())


def save_change(
    payment: Payment,
    events: Iterable[OutboxEvent],
    now_epoch: int,
    release: Sequence[str] = (),
    balance: BalanceChange | None = None,
) -> bool:
    """The payment's new state (if nobody changed it since it was read), the claims it gives back,
    a credit balance change and their events, in one transaction. False: someone was first."""
    record = _payment_record(payment)
    with conditional_transaction() as tx:
        tx.save(record)
        for invoice_id in release:
            tx.delete(_claim(invoice_id), condition=ClaimRecord.payment_id == payment.payment_id)
        if balance is not None:
            _change_balance(tx, payment.customer_id, balance)
        for event in events:
            tx.save(_outbox(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed


def _change_balance(tx: Any, customer_id: str, change: BalanceChange) -> None:
    movement = change.movement
    version = change.version_before
    tx.update(
        CustomerItem(*customer_key(customer_id)),
        actions=[
            CustomerItem.balance.set(change.balance_after.amount),
            CustomerItem.balance_currency.set(change.balance_after.currency),
            CustomerItem.balance_version.set(version + 1),
        ],
        condition=(CustomerItem.balance_version == version)
        if version
        else CustomerItem.balance_version.does_not_exist(),
    )
    tx.save(
        CreditRecord(
            pk=f"CUSTOMER#{customer_id}",
            sk=f"CREDIT#{movement.created_at}#{movement.credit_id}",
            credit_id=movement.credit_id,
            kind=movement.kind,
            amount=movement.amount.amount,
            currency=movement.amount.currency,
            payment_id=movement.payment_id,
            invoice_id=movement.invoice_id,
            invoice_number=movement.invoice_number,
            created_at=movement.created_at,
        ),
        condition=CreditRecord.pk.does_not_exist(),
    )


def apply_credit(
    customer_id: str, invoice_id: str, change: BalanceChange, event: OutboxEvent, now_epoch: int
) -> None:
    """Credit to an invoice: the invoice is claimed (as a payment would) until the invoice records it."""
    claim = _claim(invoice_id)
    claim.payment_id, claim.claimed_at = change.movement.credit_id, change.movement.created_at
    with conditional_transaction() as tx:
        tx.save(claim, condition=ClaimRecord.pk.does_not_exist())
        _change_balance(tx, customer_id, change)
        tx.save(_outbox(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    if not tx.committed:
        raise Conflict(
            "A payment for this invoice is in progress, or the credit changed meanwhile; "
            "reload and try again."
        )


def change_balance(customer_id: str, change: BalanceChange, event: OutboxEvent, now_epoch: int) -> bool:
    with conditional_transaction() as tx:
        _change_balance(tx, customer_id, change)
        tx.save(_outbox(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed


def return_credit(
    customer_id: str, invoice_id: str, holder: str, change: BalanceChange, event: OutboxEvent, now_epoch: int
) -> bool:
    """What an invoice did not take of a credit application back on the balance, with the release of
    the application's claim (the claim is the marker: a redelivery finds it gone). False: lost a race."""
    with conditional_transaction() as tx:
        tx.delete(_claim(invoice_id), condition=ClaimRecord.payment_id == holder)
        _change_balance(tx, customer_id, change)
        tx.save(_outbox(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed


def release_claim(invoice_id: str, holder: str) -> bool:
    try:
        _claim(invoice_id).delete(condition=ClaimRecord.payment_id == holder)
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    return True


def record_webhook(provider: str, event_id: str, event_type: str, event: OutboxEvent, now_epoch: int) -> bool:
    """The webhook's dedupe marker and its ProviderEventReceived in one transaction. False: seen before."""
    marker = WebhookRecord(
        pk=f"WEBHOOK#{provider}#{event_id}",
        sk="WEBHOOK",
        event_type=event_type,
        expires_at=now_epoch + WEBHOOK_TTL_SECONDS,
    )
    with conditional_transaction() as tx:
        tx.save(marker, condition=WebhookRecord.pk.does_not_exist())
        tx.save(_outbox(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed


def set_provider_customer(customer_id: str, provider_customer_id: str) -> str:
    """Keep the provider's customer id (the first one written wins; answer the stored one)."""
    item = CustomerItem(*customer_key(customer_id))
    try:
        item.update(
            actions=[CustomerItem.provider_customer_id.set(provider_customer_id)],
            condition=CustomerItem.provider_customer_id.does_not_exist(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise
        return str(account(customer_id).provider_customer_id)
    return provider_customer_id


def open_setup(customer_id: str, setup_id: str) -> None:
    with conditional_transaction() as tx:
        tx.save(
            MethodRecord(
                pk=f"CUSTOMER#{customer_id}",
                sk=f"SETUP#{setup_id}",
                setup_id=setup_id,
                created_at=utc_now_iso(),
            )
        )
        tx.save(SetupOwner(pk=f"SETUP#{setup_id}", sk="SETUP", customer_id=customer_id))


def close_setup(customer_id: str, setup_id: str, method: SavedMethod | None, make_default: bool) -> bool:
    """The setup's method saved (once) and the setup closed, in one transaction."""
    with conditional_transaction() as tx:
        tx.delete(
            MethodRecord(pk=f"CUSTOMER#{customer_id}", sk=f"SETUP#{setup_id}"),
            condition=MethodRecord.pk.exists(),
        )
        tx.delete(SetupOwner(pk=f"SETUP#{setup_id}", sk="SETUP"))
        if method is not None:
            tx.save(
                MethodRecord(
                    pk=f"CUSTOMER#{customer_id}",
                    sk=f"METHOD#{method.method_id}",
                    method_id=method.method_id,
                    provider_method_id=method.provider_method_id,
                    kind=method.kind,
                    brand=method.brand,
                    last4=method.last4,
                    exp_month=method.exp_month,
                    exp_year=method.exp_year,
                    created_at=method.created_at,
                )
            )
            if make_default:
                tx.update(
                    CustomerItem(*customer_key(customer_id)),
                    actions=[CustomerItem.default_method_id.set(method.method_id)],
                    condition=CustomerItem.default_method_id.does_not_exist(),
                )
    return tx.committed


def remove_method(customer_id: str, method_id: str, was_default: bool) -> None:
    with conditional_transaction() as tx:
        tx.delete(MethodRecord(pk=f"CUSTOMER#{customer_id}", sk=f"METHOD#{method_id}"))
        if was_default:
            tx.update(
                CustomerItem(*customer_key(customer_id)),
                actions=[CustomerItem.default_method_id.remove()],
                condition=CustomerItem.default_method_id == method_id,
            )


def set_default_method(customer_id: str, method_id: str) -> bool:
    """False: the method is not (or no longer) saved."""
    with conditional_transaction() as tx:
        tx.condition_check(
            MethodRecord, f"CUSTOMER#{customer_id}", f"METHOD#{method_id}", condition=MethodRecord.pk.exists()
        )
        tx.update(
            CustomerItem(*customer_key(customer_id)),
            actions=[CustomerItem.default_method_id.set(method_id)],
        )
    return tx.committed


def set_auto_charge(customer_id: str, enabled: bool) -> None:
    CustomerItem(*customer_key(customer_id)).update(actions=[CustomerItem.auto_charge.set(enabled)])
