"""Once the provider has taken money the portal records it: a payment whose success never reached the
payments service (its event lost, or its recording failing until the message was parked) used to stay
pending for ever while its claim answered 409 to every later payment of the invoice."""

from __future__ import annotations

from typing import Any

import pytest

from shared.ids import new_id
from tests.integration.payments_support import VISA, Pay, open_invoices, paying, start_payment
from tests.support import ApiClient, Customer, PortalHandle


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def test_a_charge_whose_event_was_lost_is_recorded_when_its_claim_is_met(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.payments.logic import use_cases, webhooks

    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}]}
    first = start_payment(customer, body, new_id())
    assert first.status_code == 201, first.get_data(as_text=True)
    payment_id = first.json["payment"]["payment_id"]
    assert pay.browser.pay_with_card(first.json["client_secret"], VISA)["status"] == "succeeded"
    with monkeypatch.context() as lost:
        lost.setattr(webhooks, "handle", lambda data, correlation_id=None: None)  # its event goes nowhere
        pay.settle_webhooks()
    assert customer.api.get(f"/payments/{payment_id}").json["status"] == "pending"

    monkeypatch.setattr(use_cases, "UNRECORDED_AFTER_SECONDS", 0)  # … as if minutes had passed
    again = start_payment(customer, body, new_id())
    assert again.status_code == 409, again.get_data(as_text=True)  # the invoice is paid: not twice
    assert customer.api.get(f"/payments/{payment_id}").json["status"] == "succeeded"
    portal.drain()
    assert customer.api.get(f"/invoices/{invoice['invoice_id']}").json["status"] == "paid"
    later = start_payment(customer, body, new_id())  # the claim went with the invoice's record
    assert later.status_code == 400 and "not open" in later.json["error"]["message"]


def test_a_charge_whose_recording_fails_is_retried_and_alarmed_until_it_is_recorded(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.payments.logic import progress
    from shared.observability import metrics

    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    emitted: list[str] = []
    add_metric, save = metrics.add_metric, progress._save

    def counted(*, name: str, unit: Any, value: float) -> None:
        emitted.append(name)
        add_metric(name=name, unit=unit, value=value)

    failures = [RuntimeError("the table is unreachable"), RuntimeError("still unreachable")]

    def failing_twice(payment: Any, correlation_id: str | None) -> bool:
        if failures:
            raise failures.pop()
        return save(payment, correlation_id)

    monkeypatch.setattr(metrics, "add_metric", counted)
    monkeypatch.setattr(progress, "_save", failing_twice)
    worker = portal.local.worker
    worker.retry_visibility_seconds = 0  # the queue delivers it again at once instead of after a pause
    try:
        assert pay.browser.pay_with_card(started.json["client_secret"], VISA)["status"] == "succeeded"
        pay.settle_webhooks()
    finally:
        worker.retry_visibility_seconds = 2
    assert emitted.count("ChargeNotRecorded") == 2  # each failure alarmed, the event not acked
    payment = customer.api.get(f"/payments/{started.json['payment']['payment_id']}").json
    assert payment["status"] == "succeeded"
    assert customer.api.get(f"/invoices/{invoice['invoice_id']}").json["status"] == "paid"
