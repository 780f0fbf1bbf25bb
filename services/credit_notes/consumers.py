"""Credit notes' event plumbing: the outbox publisher fed by the credit-notes table's stream (it puts
only events of its own source, `portal.credit_notes`, as its IAM policy also enforces), the directory
consumer keeping its copy of portal.customers facts (rule → CreditNotesDirectoryQueue) and the invoices
consumer keeping its copy of issued invoices (rule → CreditNotesInvoicesQueue)."""

from __future__ import annotations

from typing import Any

from services.credit_notes.settings import Settings
from shared.events import publish_outbox_records
from shared.observability import logger
from shared.settings import Common, check_at_cold_start

check_at_cold_start(__name__, {"publish_outbox": Common, "directory": Settings, "invoices": Settings})

SOURCE = "portal.credit_notes"


@logger.inject_lambda_context
def publish_outbox(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"published": publish_outbox_records(event, SOURCE)}


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.credit_notes.logic.directory import apply_customer_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_customer_event)


@logger.inject_lambda_context
def invoices(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Invoices (the copy of them) and subscription changes that net to a credit (a credit note)."""
    from services.credit_notes.logic.from_subscriptions import credit_charge
    from services.credit_notes.logic.invoices import apply_invoice_event
    from shared.consumers import consume_batch
    from shared.event_models import SubscriptionEvent

    return consume_batch(
        event,
        context,
        lambda data: (
            credit_charge(data) if isinstance(data, SubscriptionEvent) else apply_invoice_event(data)
        ),
    )
