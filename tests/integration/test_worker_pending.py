"""The local worker asks moto only about sources that hold work (infra/local/pending.py): an idle
round costs no request, and a write still reaches its consumer."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.support import ApiClient, PortalHandle


def count_requests(worker: Any) -> Counter[str]:
    seen: Counter[str] = Counter()
    for client in (worker.streams_client, worker.sqs):
        client.meta.events.register("before-call", lambda model, **_: seen.update([model.name]))
    return seen


def test_an_idle_round_asks_moto_nothing_and_a_write_is_still_delivered(
    portal: PortalHandle, staff: ApiClient
) -> None:
    worker = portal.local.worker
    assert worker.memory is not None  # the test session's moto runs in this process
    portal.drain()
    seen = count_requests(worker)
    assert worker.poll_once() == 0
    assert sum(seen.values()) == 0, seen

    customer = portal.new_customer(staff)  # CustomerCreated: customers' stream → bus → every projection
    portal.drain()
    assert seen["GetRecords"] >= 1 and seen["ReceiveMessage"] >= 1, seen
    from services.payments import store

    assert store.account(customer.customer_id).currency == "USD"  # payments' own copy arrived
