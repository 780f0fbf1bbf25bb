"""Notifications' consumer: portal events (NotificationsRule → NotificationsQueue, DLQ after
MAX_RECEIVE_COUNT receives) → activity entries and emails. Partial batch failures: a failing event
goes back to the queue alone; on its last try it is logged and counted before SQS dead-letters it."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from services.notifications.logic.use_cases import ReceivedEvent, deliver
from services.notifications.settings import Consumer, Settings
from shared.event_models import EVENTS_BY_TYPE
from shared.events import parse_detail
from shared.observability import logger, metrics
from shared.settings import check_at_cold_start, load

check_at_cold_start(__name__, {"deliver_notifications": Consumer, "directory": Settings})


def received_event(body: str) -> ReceivedEvent:
    envelope = json.loads(body)
    model = EVENTS_BY_TYPE.get((envelope.get("source"), envelope.get("detail-type")))
    if model is None:
        raise ValueError(f"no event model for {envelope.get('source')} / {envelope.get('detail-type')}")
    detail = parse_detail(envelope["detail"])
    return ReceivedEvent(
        event_id=detail.metadata.event_id,
        occurred_at=detail.metadata.occurred_at,
        data=model.model_validate(detail.data),
    )


def _handle(record: SQSRecord) -> None:
    tries = int(record.attributes.approximate_receive_count or 1)
    try:
        event = received_event(record.body)
        logger.append_keys(event_id=event.event_id)
        result = deliver(event)
        logger.info("notified", extra={"detail_type": event.data.detail_type, **result.__dict__})
        metrics.add_metric(name="NotificationDelivered", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="EmailSent", unit=MetricUnit.Count, value=result.emails_sent)
    except Exception:
        metrics.add_metric(name="NotificationFailed", unit=MetricUnit.Count, value=1)
        if tries >= load(Consumer).max_receive_count:
            metrics.add_metric(name="NotificationDeadLettered", unit=MetricUnit.Count, value=1)
            logger.exception(
                "notification given up: the message goes to the dead-letter queue",
                extra={"message_id": record.message_id, "tries": tries},
            )
        else:
            logger.warning("notification failed; it will be retried", extra={"tries": tries}, exc_info=True)
        raise
    finally:
        logger.remove_keys(["event_id"])


@metrics.log_metrics
@logger.inject_lambda_context
def deliver_notifications(event: dict[str, Any], context: Any) -> dict[str, Any]:
    processor = BatchProcessor(event_type=EventType.SQS)
    return dict(
        process_partial_response(event=event, record_handler=_handle, processor=processor, context=context)
    )


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """portal.customers events (rule → NotificationsDirectoryQueue) into this service's projection."""
    from services.notifications.logic.directory import apply_customer_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_customer_event)
