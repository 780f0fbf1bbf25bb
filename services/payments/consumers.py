"""Payments' event plumbing: the outbox publisher fed by the payments table's stream (it puts only
events of its own source, `portal.payments`, as its IAM policy also enforces), the directory consumer
keeping its copy of portal.invoices and portal.customers facts, and the provider-events consumer
(ProviderEventReceived → re-read the provider's object → move the payment forward)."""

from __future__ import annotations

from typing import Any

from services.payments.settings import Settings
from shared.events import publish_outbox_records
from shared.observability import logger
from shared.settings import Common, check_at_cold_start

check_at_cold_start(
    __name__,
    {
        "publish_outbox": Common,
        "directory": Settings,
        "provider_events": Settings,
        "auto_charge": Settings,
        "reconcile": Settings,
    },
)

SOURCE = "portal.payments"


@logger.inject_lambda_context
def publish_outbox(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"published": publish_outbox_records(event, SOURCE)}


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.payments.logic.directory import apply_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_event)


@logger.inject_lambda_context
def provider_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.payments.logic.webhooks import handle
    from shared.consumers import consume_events
    from shared.event_models import ProviderEventReceived

    def one(data: Any, metadata: Any) -> None:
        if not isinstance(data, ProviderEventReceived):
            raise TypeError(f"the provider-events consumer cannot use {data.detail_type}")
        handle(data, metadata.correlation_id)

    return consume_events(event, context, one)


@logger.inject_lambda_context
def auto_charge(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Subscription invoices charged to the default saved method (rule → PaymentsAutoChargeQueue)."""
    from services.payments.logic.auto_charge import charge
    from shared.consumers import consume_events

    return consume_events(event, context, lambda data, metadata: charge(data, metadata.correlation_id))


@logger.inject_lambda_context
def reconcile(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The daily reconciliation (a rate schedule; on demand: `python -m infra.tenants reconcile`)."""
    from services.payments.logic.reconciliation import run_daily

    return run_daily()
