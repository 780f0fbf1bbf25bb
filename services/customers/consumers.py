"""Customers' consumers: invoice events (rule → ReceivablesQueue) keep the dashboard's receivables."""

from __future__ import annotations

from typing import Any

from services.customers.logic.receivables import apply_invoice_event
from shared.consumers import consume_batch
from shared.event_models import InvoiceChanged
from shared.events import EventData
from shared.observability import logger


def _apply(data: EventData) -> None:
    if not isinstance(data, InvoiceChanged):
        raise TypeError(f"receivables cannot use {data.detail_type}")
    apply_invoice_event(data)


@logger.inject_lambda_context
def receivables(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consume_batch(event, context, _apply)
