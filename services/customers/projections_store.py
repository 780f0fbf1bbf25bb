"""The customers table's projections of other services' events: open receivables (invoice events)
for the dashboard, and each contact's portal status (auth events). Order-safe: an invoice's
`invoice_version` and an auth event's `occurred_at` guard every write."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from services.customers.logic.domain import PortalStatus
from services.customers.store import CLOSED_PREFIX, CONTACT_PREFIX, OPEN_PREFIX, CustomerItem, partition
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
    """Upsert an open receivable unless a newer (or the same) version was applied, or the invoice is
    closed. False means the event was stale or a redelivery: nothing changed."""
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
            condition=CustomerItem.pk.does_not_exist(),
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


def project_portal_status(customer_id: str, contact_id: str, status: PortalStatus, occurred_at: str) -> bool:
    """Sets a contact's portal status unless a later event already did (redelivered and out-of-order
    auth events change nothing). False when nothing changed or the contact does not exist."""
    item = CustomerItem(pk=partition(customer_id), sk=f"{CONTACT_PREFIX}{contact_id}")
    try:
        item.update(
            actions=[CustomerItem.portal_status.set(status), CustomerItem.portal_status_at.set(occurred_at)],
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
