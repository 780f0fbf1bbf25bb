"""The invoice as its events tell it (every portal.invoices event carries this full snapshot), made
in one place for the use cases and the payments consumer."""

from __future__ import annotations

from typing import Any

from services.invoices.logic.domain import Invoice


def invoice_snapshot(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice_id": invoice.invoice_id,
        "customer_id": invoice.customer_id,
        "number": invoice.number,
        "status": invoice.status,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "total": invoice.total,
        "amount_due": invoice.amount_due,
        # the version this write creates: consumers keep the highest they have seen
        "invoice_version": (invoice.version or 0) + 1,
        "subscription_id": invoice.subscription_id,
    }
