"""Invoices' event plumbing: the outbox publisher fed by the invoices table's stream (it puts only
events of its own source, `portal.invoices`, as its IAM policy also enforces), and the directory
consumer keeping its copy of portal.customers facts (rule → InvoicesDirectoryQueue), the payments
consumer applying portal.payments events and applied credit notes to invoices (rule →
InvoicesPaymentsQueue), and the drafts of converted estimates (rule → InvoicesEstimatesQueue)."""

from __future__ import annotations

from typing import Any

from services.invoices.settings import Settings
from shared.events import publish_outbox_records
from shared.observability import logger
from shared.settings import Common, check_at_cold_start

check_at_cold_start(
    __name__,
    {
        "publish_outbox": Common,
        "directory": Settings,
        "payments": Settings,
        "from_estimates": Settings,
        "from_subscriptions": Settings,
    },
)

SOURCE = "portal.invoices"


@logger.inject_lambda_context
def publish_outbox(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"published": publish_outbox_records(event, SOURCE)}


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.invoices.logic.directory import apply_customer_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_customer_event)


@logger.inject_lambda_context
def payments(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.invoices.logic.payments import apply_event
    from shared.consumers import consume_events

    return consume_events(event, context, apply_event)


@logger.inject_lambda_context
def from_estimates(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EstimateConverted (rule → InvoicesEstimatesQueue): a draft invoice per converted estimate."""
    from services.invoices.logic.from_estimates import draft_from_estimate
    from shared.consumers import consume_batch

    return consume_batch(event, context, draft_from_estimate)


@logger.inject_lambda_context
def from_subscriptions(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Subscription charges (rule → InvoicesSubscriptionsQueue): an issued invoice per charge id."""
    from services.invoices.logic.from_subscriptions import invoice_charge
    from shared.consumers import consume_batch

    return consume_batch(event, context, invoice_charge)
