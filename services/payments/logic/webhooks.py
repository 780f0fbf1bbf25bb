"""Provider webhooks: verify the signature on the raw body, dedupe by the provider's event id and
hand the event to the bus (ProviderEventReceived, outbox) — answered fast. The provider-events
consumer then re-reads the object from the provider and moves the payment forward only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.payments.logic import methods, progress
from services.payments.provider import InvalidSignature, MalformedEvent
from services.payments.schemas import WebhookAnswer
from shared.errors import ValidationFailed
from shared.event_models import ProviderEventReceived
from shared.events import outbox_event
from shared.lazy import lazy_module
from shared.observability import logger

if TYPE_CHECKING:
    from services.payments import providers, store
else:
    store = lazy_module("services.payments.store")
    providers = lazy_module("services.payments.providers")


def receive(
    provider_name: str, payload: bytes, signature: str | None, correlation_id: str | None
) -> WebhookAnswer:
    provider = providers.provider(provider_name)
    try:
        event = provider.verify_webhook(payload, signature)
    except InvalidSignature:
        raise ValidationFailed("The webhook signature is missing, wrong, too old or too new.") from None
    except MalformedEvent:
        raise ValidationFailed("The webhook body is not an event.") from None
    data = ProviderEventReceived(
        provider=provider.name,
        provider_event_id=event.id,
        type=event.type,
        created=event.created,
        object_id=str(event.object.get("id") or ""),
        object_type=event.object.get("object"),
    )
    first = store.record_webhook(
        provider.name, event.id, event.type, outbox_event(data, correlation_id), progress.now_epoch()
    )
    return WebhookAnswer(received=True, duplicate=not first)


def handle(data: ProviderEventReceived, correlation_id: str | None = None) -> None:
    """Bring our state up to the provider's current one for the object the event names."""
    if not data.object_id:
        return
    provider = providers.provider(data.provider)
    if data.type.startswith("payment_intent."):
        intent = provider.get_intent(data.object_id)
        if intent.payment_id is None:
            return  # not one of ours
        payment = store.get_payment(intent.payment_id)
        if payment is None or payment.intent_id not in (None, intent.id):
            logger.warning("an intent of no payment of ours", extra={"intent_id": intent.id})
            return
        try:
            progress.apply_intent(payment, intent, correlation_id)
        except Exception:
            if intent.status == "succeeded":
                _charge_not_recorded(payment.payment_id, intent.id)
            raise  # not acked: the queue delivers it again, then its dead-letter queue alarms too
    elif data.type.startswith("setup_intent."):
        customer_id = store.setup_owner(data.object_id)
        if customer_id is not None:
            methods.complete_setup(customer_id, data.object_id)


def _charge_not_recorded(payment_id: str, intent_id: str) -> None:
    """The provider took money the portal could not record (yet): alarmed at the first failure
    (metric ChargeNotRecorded → ChargeNotRecordedAlarm), not only once the message is parked."""
    from aws_lambda_powertools.metrics import MetricUnit

    from shared.observability import metrics

    logger.exception(
        "a succeeded charge could not be recorded; it will be retried",
        extra={"payment_id": payment_id, "intent_id": intent_id},
    )
    metrics.add_metric(name="ChargeNotRecorded", unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()  # now: the message is about to fail, and the consumer flushes nothing else
