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


def test_customers_samples_are_valid_for_their_consumers_and_each_consumer_takes_them() -> None:
    """events/samples/<consumer>-directory.<DetailType>.json: valid for the catalog, and routed to
    that consumer by its rule in template.yaml (so `sam local invoke -e` feeds it what AWS would)."""
    import json
    from pathlib import Path

    from infra.local.template import load
    from shared.consumers import event_from_body
    from shared.events import outbox_events

    samples = Path(__file__).parents[2] / "events" / "samples"
    rules = {
        "auth": "AuthDirectoryRule",
        "invoices": "InvoicesDirectoryRule",
        "estimates": "EstimatesDirectoryRule",
        "notifications": "NotificationsDirectoryRule",
        "payments": "PaymentsDirectoryRule",
    }
    resources = load()["Resources"]
    found = sorted(samples.glob("*-directory.*.json"))
    assert {path.name.split("-")[0] for path in found} == set(rules)
    for path in found:
        service, detail_type = path.name.split("-")[0], path.name.split(".")[1]
        record = json.loads(path.read_text())["Records"][0]
        _, data = event_from_body(record["body"])
        assert (data.source, data.detail_type) == ("portal.customers", detail_type)
        pattern = resources[rules[service]]["Properties"]["EventPattern"]
        assert data.source in pattern["source"] and detail_type in pattern["detail-type"], path.name
    streamed = json.loads((samples / "customers-outbox.CustomerCreated.json").read_text())
    [event] = outbox_events(streamed["Records"], "portal.customers")
    assert event.detail_type == "CustomerCreated"


def test_the_provider_events_sample_is_valid_and_routed_to_its_consumer() -> None:
    import json
    from pathlib import Path

    from infra.local.template import load
    from shared.consumers import event_from_body

    path = (
        Path(__file__).parents[2]
        / "events"
        / "samples"
        / "payments-provider-events.ProviderEventReceived.json"
    )
    _, data = event_from_body(json.loads(path.read_text())["Records"][0]["body"])
    pattern = load()["Resources"]["PaymentsProviderEventsRule"]["Properties"]["EventPattern"]
    assert data.source in pattern["source"] and data.detail_type in pattern["detail-type"]
