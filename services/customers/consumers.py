"""Customers' event plumbing: invoice and payment events (rule → ReceivablesQueue) keep the
dashboard's receivables, pending payments and credit; auth events (rule → ContactAccessQueue) keep
each contact's portal status; the outbox publisher (customers table stream) puts this service's own
events (`portal.customers`) on the bus."""

from __future__ import annotations

from typing import Any

from services.customers.logic.contact_access import apply_auth_event
from services.customers.logic.payments import apply_payment_event
from services.customers.logic.receivables import apply_invoice_event
from services.customers.settings import Settings
from shared.consumers import consume_batch, consume_events
from shared.event_models import AuthEvent, CreditChanged, CreditNoteChanged, InvoiceChanged, PaymentChanged
from shared.events import EventData, EventMetadata, publish_outbox_records
from shared.observability import logger
from shared.settings import Common, check_at_cold_start

check_at_cold_start(__name__, {"receivables": Settings, "contact_access": Settings, "publish_outbox": Common})


def _apply(data: EventData) -> None:
    if isinstance(data, InvoiceChanged):
        apply_invoice_event(data)
    elif isinstance(data, PaymentChanged | CreditChanged | CreditNoteChanged):
        apply_payment_event(data)
    else:
        raise TypeError(f"receivables cannot use {data.detail_type}")


def _apply_access(data: EventData, metadata: EventMetadata) -> None:
    if not isinstance(data, AuthEvent):
        raise TypeError(f"contact access cannot use {data.detail_type}")
    apply_auth_event(data, metadata)


@logger.inject_lambda_context
def receivables(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consume_batch(event, context, _apply)


@logger.inject_lambda_context
def contact_access(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consume_events(event, context, _apply_access)


@logger.inject_lambda_context
def publish_outbox(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"published": publish_outbox_records(event, "portal.customers")}
