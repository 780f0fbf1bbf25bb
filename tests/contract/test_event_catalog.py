"""The committed event catalog (events/schemas) is what the pydantic event models generate."""

from events.__main__ import SCHEMAS, catalog


def test_event_schemas_are_current() -> None:
    expected = catalog()
    committed = {path.name: path.read_text() for path in SCHEMAS.glob("*.json")}
    assert committed == expected, "event models changed: run `python -m events` and commit events/schemas"


def test_sample_events_are_valid_for_their_consumers() -> None:
    import json
    from pathlib import Path

    from shared.consumers import event_from_body
    from shared.events import outbox_events

    samples = Path(__file__).parents[2] / "events" / "samples"
    queued = json.loads((samples / "customers-receivables.InvoiceIssued.json").read_text())
    _, data = event_from_body(queued["Records"][0]["body"])
    assert data.detail_type == "InvoiceIssued"
    streamed = json.loads((samples / "invoices-outbox.InvoiceIssued.json").read_text())
    [event] = outbox_events(streamed["Records"], "portal.invoices")
    assert event.detail_type == "InvoiceIssued"
