"""Subscriptions' event plumbing: the outbox publisher fed by the subscriptions table's stream (it puts
only events of its own source, `portal.subscriptions`), and the directory consumer keeping its copy of
portal.customers facts (rule → SubscriptionsDirectoryQueue), and the invoices consumer keeping its copy of
the invoices that bill its charges (rule → SubscriptionsInvoicesQueue)."""

from __future__ import annotations

from typing import Any

from services.subscriptions.settings import Settings
from shared.events import publish_outbox_records
from shared.observability import logger
from shared.settings import Common, check_at_cold_start

check_at_cold_start(
    __name__, {"publish_outbox": Common, "directory": Settings, "renew": Settings, "invoices": Settings}
)

SOURCE = "portal.subscriptions"


@logger.inject_lambda_context
def publish_outbox(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"published": publish_outbox_records(event, SOURCE)}


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.subscriptions.logic.directory import apply_customer_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_customer_event)


@logger.inject_lambda_context
def invoices(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The invoices that bill this service's charges and failed auto-charges (rule →
    SubscriptionsInvoicesQueue): the invoice copy, auto-charge requests and dunning."""
    from services.subscriptions.logic.invoices import apply_billing_event
    from shared.consumers import consume_events

    return consume_events(event, context, apply_billing_event)


@logger.inject_lambda_context
def renew(event: dict[str, Any], context: Any) -> dict[str, int]:
    """The renewal job (SubscriptionsRenewalFunction, a rate schedule): what is due at the event's time."""
    from datetime import datetime

    from services.subscriptions.logic.renewals import run

    report = run(datetime.fromisoformat(event["time"]))
    return {
        "renewed": report.renewed,
        "ended": report.ended,
        "reminded": report.reminded,
        "skipped": report.skipped,
        "retried": report.retried,
    }
