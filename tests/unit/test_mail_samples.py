"""events/samples/notifications-*.json (for `sam local invoke NotificationsDeliverFunction -e …`) are
valid for the consumer, and there is one for every event it consumes."""

import json
from pathlib import Path

from services.notifications.consumers import received_event
from services.notifications.logic.catalog import PLANNERS

SAMPLES = Path(__file__).parents[2] / "events" / "samples"


def test_one_valid_sample_per_consumed_event() -> None:
    found = set()
    for path in sorted(SAMPLES.glob("notifications-deliver.*.json")):
        [record] = json.loads(path.read_text())["Records"]
        event = received_event(record["body"])
        service = event.data.source.removeprefix("portal.")
        # a detail-type two services publish (CommentAdded) names the second one's sample by service
        assert path.name in (
            f"notifications-deliver.{event.data.detail_type}.json",
            f"notifications-deliver.{event.data.detail_type}.{service}.json",
        )
        assert event.event_id and event.occurred_at.endswith("Z")
        found.add((event.data.source, event.data.detail_type))
    assert found == set(PLANNERS)
