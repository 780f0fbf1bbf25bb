"""Event contracts and the transactional outbox.

An event's `detail` is `{"metadata": {...}, "data": {...}}`. A use case never calls EventBridge
itself: it writes an outbox item in the same DynamoDB transaction as its state change, and the
table's stream feeds `publish_outbox_records`, which puts the event on the bus. So a state change and
its event cannot be separated — if the process dies after the write, the stream still carries it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.ids import new_id, utc_now_iso
from shared.settings import common

OUTBOX_PREFIX = "OUTBOX#"
OUTBOX_TTL_SECONDS = 7 * 24 * 3600  # published within seconds; kept a week for inspection


class EventMetadata(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_id: str = Field(default_factory=new_id)
    version: int = 1
    occurred_at: str = Field(default_factory=utc_now_iso)
    correlation_id: str | None = None


class EventData(BaseModel):
    """Base of every event's `data`; subclasses name their source and detail-type."""

    # Built on first use: a function imports every event model, and handles a few.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    source: ClassVar[str]
    detail_type: ClassVar[str]
    version: ClassVar[int] = 1


class EventDetail(BaseModel):
    metadata: EventMetadata
    data: dict[str, Any]


class OutboxEvent(BaseModel):
    """What an outbox item carries: everything needed for one PutEvents entry."""

    event_id: str
    source: str
    detail_type: str
    detail: str  # JSON text of EventDetail


def outbox_event(data: EventData, correlation_id: str | None = None) -> OutboxEvent:
    metadata = EventMetadata(version=data.version, correlation_id=correlation_id)
    detail = EventDetail(metadata=metadata, data=data.model_dump(mode="json"))
    return OutboxEvent(
        event_id=metadata.event_id,
        source=data.source,
        detail_type=data.detail_type,
        detail=detail.model_dump_json(),
    )


def outbox_item_fields(event: OutboxEvent, now_epoch: int) -> dict[str, Any]:
    """The attributes of an outbox item, whichever table's model holds it (the stream filter and
    `_new_image_outbox` read exactly these)."""
    return {
        "pk": f"{OUTBOX_PREFIX}{event.event_id}",
        "sk": "OUTBOX",
        "event_id": event.event_id,
        "source": event.source,
        "detail_type": event.detail_type,
        "detail": event.detail,
        "expires_at": now_epoch + OUTBOX_TTL_SECONDS,
    }


def _new_image_outbox(record: Mapping[str, Any]) -> OutboxEvent | None:
    if record.get("eventName") != "INSERT":
        return None
    image = record.get("dynamodb", {}).get("NewImage", {})
    if not image.get("pk", {}).get("S", "").startswith(OUTBOX_PREFIX):
        return None
    return OutboxEvent(
        event_id=image["event_id"]["S"],
        source=image["source"]["S"],
        detail_type=image["detail_type"]["S"],
        detail=image["detail"]["S"],
    )


def outbox_events(stream_records: Iterable[Mapping[str, Any]], own_source: str) -> list[OutboxEvent]:
    events = [event for event in map(_new_image_outbox, stream_records) if event is not None]
    foreign = [event.source for event in events if event.source != own_source]
    if foreign:
        # A function may only put events of its own source (IAM enforces it too).
        raise ValueError(f"outbox of {own_source} holds events of {sorted(set(foreign))}")
    return events


def put_on_bus(events: list[OutboxEvent], events_client: Any, bus_name: str) -> None:
    """PutEvents in batches of 10; a partially failed batch raises so the stream batch retries
    (consumers dedupe by event id, so a re-put is harmless)."""
    for start in range(0, len(events), 10):
        chunk = events[start : start + 10]
        response = events_client.put_events(
            Entries=[
                {
                    "Source": e.source,
                    "DetailType": e.detail_type,
                    "Detail": e.detail,
                    "EventBusName": bus_name,
                }
                for e in chunk
            ]
        )
        if response.get("FailedEntryCount"):
            raise RuntimeError(f"EventBridge refused {response['FailedEntryCount']} of {len(chunk)} events")


def publish_outbox_records(event: Mapping[str, Any], own_source: str) -> int:
    """Lambda body for a table-stream → EventBridge publisher."""
    from shared.aws import client  # lazily: only the publisher functions need an EventBridge client

    events = outbox_events(event.get("Records", []), own_source)
    if events:
        put_on_bus(events, client("events"), common().event_bus_name)
    return len(events)


def parse_detail(raw: str | Mapping[str, Any]) -> EventDetail:
    return EventDetail.model_validate(json.loads(raw) if isinstance(raw, str) else raw)
