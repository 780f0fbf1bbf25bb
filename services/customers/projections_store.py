"""The customers table's projections of other services' events: open receivables (invoice events)
for the dashboard, and each contact's portal status (auth events). Order-safe: an invoice's
`invoice_version` and an auth event's `occurred_at` guard every write."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from services.customers.logic.domain import PortalStatus
from services.customers.logic.search import status_scope
from services.customers.store import (
    CLOSED_PREFIX,
    CONTACT_PREFIX,
    CREDIT_SK,
    NOTE_PREFIX,
    OPEN_PREFIX,
    PENDING_PREFIX,
    SETTLED_PREFIX,
    CustomerItem,
    partition,
)
from shared import projections
from shared.dynamo import condition_failed, conditional_transaction

# ---- receivables projection ------------------------------------------------------------------------


def project_open_invoice(
    customer_id: str,
    invoice_id: str,
    number: str,
    status: str,
    amount_due: int,
    currency: str,
    due_date: str,
    invoice_version: int,
) -> bool:
    """Upsert an open receivable unless a newer (or the same) version was applied, or the invoice was
    closed at a newer version (a refund reopens a paid invoice at a higher version). False means the
    event was stale or a redelivery: nothing changed."""
    item = CustomerItem(
        pk=partition(customer_id),
        sk=f"{OPEN_PREFIX}{invoice_id}",
        customer_id=customer_id,
        invoice_id=invoice_id,
        number=number,
        invoice_status=status,
        amount_due=amount_due,
        currency=currency,
        due_date=due_date,
        invoice_version=invoice_version,
    )
    with conditional_transaction() as tx:
        tx.condition_check(
            CustomerItem,
            partition(customer_id),
            f"{CLOSED_PREFIX}{invoice_id}",
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.invoice_version < invoice_version),
        )
        tx.save(
            item,
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.invoice_version < invoice_version),
        )
    return tx.committed


def project_closed_invoice(customer_id: str, invoice_id: str, invoice_version: int) -> bool:
    tombstone = CustomerItem(
        pk=partition(customer_id),
        sk=f"{CLOSED_PREFIX}{invoice_id}",
        customer_id=customer_id,
        invoice_id=invoice_id,
        invoice_version=invoice_version,
    )
    with conditional_transaction() as tx:
        tx.save(
            tombstone,
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.invoice_version < invoice_version),
        )
        tx.delete(CustomerItem(pk=partition(customer_id), sk=f"{OPEN_PREFIX}{invoice_id}"))
    return tx.committed


# ---- payments projection (portal.payments) ----------------------------------------------------------


def project_credit(customer_id: str, balance: int, currency: str, balance_version: int) -> bool:
    """The customer's available credit, unless the same or a newer balance was applied."""
    item = CustomerItem(
        pk=partition(customer_id),
        sk=CREDIT_SK,
        customer_id=customer_id,
        balance=balance,
        currency=currency,
        balance_version=balance_version,
    )
    return projections.save_if_newer(item, "balance_version")


def project_credit_note(
    customer_id: str, credit_note_id: str, remaining: int, currency: str, credit_note_version: int
) -> bool:
    """What remains of a credit note (part of the available credit), unless a newer version is here."""
    item = CustomerItem(
        pk=partition(customer_id),
        sk=f"{NOTE_PREFIX}{credit_note_id}",
        customer_id=customer_id,
        balance=remaining,
        currency=currency,
        credit_note_version=credit_note_version,
    )
    return projections.save_if_newer(item, "credit_note_version")


def project_pending_payment(
    customer_id: str, payment_id: str, invoice_ids: list[str], payment_version: int
) -> bool:
    """A pending payment of these invoices, unless the payment is settled (at any version the
    pending one cannot be newer than) or a newer version was applied."""
    item = CustomerItem(
        pk=partition(customer_id),
        sk=f"{PENDING_PREFIX}{payment_id}",
        customer_id=customer_id,
        invoice_ids=set(invoice_ids) or None,
        payment_version=payment_version,
    )
    with conditional_transaction() as tx:
        tx.condition_check(
            CustomerItem,
            partition(customer_id),
            f"{SETTLED_PREFIX}{payment_id}",
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.payment_version < payment_version),
        )
        tx.save(
            item,
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.payment_version < payment_version),
        )
    return tx.committed


def project_settled_payment(customer_id: str, payment_id: str, payment_version: int) -> bool:
    """The payment is no longer pending (succeeded, failed): its tombstone at this version, and its
    pending item gone — unless a newer version was applied."""
    tombstone = CustomerItem(
        pk=partition(customer_id),
        sk=f"{SETTLED_PREFIX}{payment_id}",
        customer_id=customer_id,
        payment_version=payment_version,
    )
    with conditional_transaction() as tx:
        tx.save(
            tombstone,
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.payment_version < payment_version),
        )
        tx.delete(
            CustomerItem(pk=partition(customer_id), sk=f"{PENDING_PREFIX}{payment_id}"),
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.payment_version < payment_version),
        )
    return tx.committed


def project_portal_status(customer_id: str, contact_id: str, status: PortalStatus, occurred_at: str) -> bool:
    """Sets a contact's portal status unless a later event already did (redelivered and out-of-order
    auth events change nothing). False when nothing changed or the contact does not exist."""
    item = CustomerItem(pk=partition(customer_id), sk=f"{CONTACT_PREFIX}{contact_id}")
    try:
        item.update(
            actions=[
                CustomerItem.portal_status.set(status),
                CustomerItem.portal_status_at.set(occurred_at),
                CustomerItem.status_scope.set(status_scope(status)),  # the staff search's status index
            ],
            condition=CustomerItem.pk.exists()
            & (
                CustomerItem.portal_status_at.does_not_exist() | (CustomerItem.portal_status_at < occurred_at)
            ),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
