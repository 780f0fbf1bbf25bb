"""`python -m events` writes the event catalog: one JSON Schema per event detail-type, from the
pydantic models in shared/event_models.py (tests/contract checks the committed files are current)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.event_models import ALL_EVENTS
from shared.events import EventData, EventMetadata

SCHEMAS = Path(__file__).parent / "schemas"


def detail_schema(event: type[EventData]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{event.source} {event.detail_type} v{event.version}",
        "type": "object",
        "properties": {"metadata": EventMetadata.model_json_schema(), "data": event.model_json_schema()},
        "required": ["metadata", "data"],
        "additionalProperties": False,
    }


def catalog() -> dict[str, str]:
    return {
        f"{event.source}.{event.detail_type}.json": json.dumps(detail_schema(event), indent=2, sort_keys=True)
        + "\n"
        for event in ALL_EVENTS
    }


def main() -> None:
    for name, text in catalog().items():
        (SCHEMAS / name).write_text(text)
        print(f"wrote events/schemas/{name}")


if __name__ == "__main__":
    main()
