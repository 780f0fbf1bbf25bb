"""How every SQS-fed consumer reads its messages: an EventBridge event (rule → queue) whose `detail`
is validated against the event catalog. Partial batch failures go back to the queue (and, after the
queue's maxReceiveCount, to its DLQ); the rest of the batch succeeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shared.event_models import EVENTS_BY_TYPE
from shared.events import EventData, EventMetadata, parse_detail
from shared.observability import logger

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord


class UnknownEvent(ValueError):
    pass


def event_with_metadata(body: str) -> tuple[EventMetadata, EventData]:
    """The metadata and typed data of one queued EventBridge event."""
    envelope = json.loads(body)
    model = EVENTS_BY_TYPE.get((envelope.get("source"), envelope.get("detail-type")))
    if model is None:
        raise UnknownEvent(f"no model for {envelope.get('source')} / {envelope.get('detail-type')}")
    detail = parse_detail(envelope["detail"])
    return detail.metadata, model.model_validate(detail.data)


def event_from_body(body: str) -> tuple[str, EventData]:
    """(event id, typed event data) of one queued EventBridge event."""
    metadata, data = event_with_metadata(body)
    return metadata.event_id, data


def consume_batch(event: dict[str, Any], context: Any, handle: Callable[[EventData], Any]) -> dict[str, Any]:
    return consume_events(event, context, lambda data, metadata: handle(data))


def consume_events(
    event: dict[str, Any], context: Any, handle: Callable[[EventData, EventMetadata], Any]
) -> dict[str, Any]:
    """As consume_batch, for consumers that also need the metadata (e.g. to order by occurred_at)."""

    # Imported per call, not at module import: the batch utilities (and asyncio) cost ~70 ms of cold start.
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    def record_handler(record: SQSRecord) -> None:
        metadata, data = event_with_metadata(record.body)
        logger.info("consuming event", extra={"event_id": metadata.event_id, "detail_type": data.detail_type})
        handle(data, metadata)

    processor = BatchProcessor(event_type=EventType.SQS)
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)
