"""What reconciliation reads of PaymentsTable: every payment and every credit movement of a customer
(all pages, not the latest 100 a contact sees), and which customers ever paid. Queries only."""

from __future__ import annotations

from services.payments import store
from services.payments.logic.domain import CreditMovement, CustomerAccount, Payment

PAGE = 100


def customer_payments(customer_id: str) -> tuple[list[Payment], int]:
    """Every payment of the customer (by_customer_date), and the Queries it took."""
    payments: list[Payment] = []
    cursor, queries = None, 0
    while True:
        page, cursor = store.list_for_customer(customer_id, None, False, False, PAGE, cursor)
        payments.extend(page)
        queries += 1
        if cursor is None:
            return payments, queries


def customer_credit(customer_id: str) -> tuple[CustomerAccount, list[CreditMovement], int]:
    """The account item (balance) and every credit movement, in Queries of the customer's partition."""
    account = store.account(customer_id)
    query = store.CreditRecord.query(
        f"CUSTOMER#{customer_id}", store.CreditRecord.sk.startswith("CREDIT#"), page_size=PAGE
    )
    movements = [store._credit(record) for record in query]
    pages = max(1, -(-len(movements) // PAGE))
    return account, movements, 1 + pages


def customers_with_payments() -> list[str]:
    """Every customer that ever started a payment (staff_by_date, all pages): who to reconcile."""
    seen: dict[str, None] = {}
    cursor = None
    while True:
        page, cursor = store.list_all(False, PAGE, cursor)
        seen.update(dict.fromkeys(p.customer_id for p in page))
        if cursor is None:
            return list(seen)
