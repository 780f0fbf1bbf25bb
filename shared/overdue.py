"""The one overdue rule, used by the invoices service (invoice status) and the customers service
(dashboard receivables) so both always agree."""

from __future__ import annotations

from datetime import date

OPEN_STATUSES: frozenset[str] = frozenset({"sent", "viewed", "partially_paid"})


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """Overdue: still open (sent, viewed or partially paid) and the due date has passed."""
    return status in OPEN_STATUSES and due_date < today
