"""Payments figures (issue #12), through the local portal with the real stripe SDK and the local Stripe:
- POST /payments DynamoDB round trips (each call named; tests/integration/test_round_trips.py asserts
  the same count);
- warm latency of POST /payments and GET /payments/{id} ÷ one moto GetItem;
- webhook → paid: the contact's browser confirms a card, Stripe posts its webhook, the provider-events
  consumer moves the payment, the invoices service marks the invoice paid (what the contact waits for);
- cold start of PaymentsApiFunction (import + first request, in a fresh interpreter) ÷ `import boto3`,
  for the first request a contact makes (GET /payments) and for a payment (POST /payments)."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from bench.cold_start import RUNS, ColdStart, _figures, _run, describe, fresh
from bench.portal_bench import Latency, timed

VISA = "4242424242424242"


def _world(portal: Any) -> tuple[Any, Any, Any]:
    from tests.support import PortalHandle

    handle = PortalHandle(portal)
    staff = handle.staff()
    return handle, staff, handle.new_customer(staff)


def _pay(customer: Any, body: dict[str, Any]) -> Any:
    from shared.ids import new_id

    answer = customer.api.post("/payments", body, headers={"Idempotency-Key": new_id()})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()


def round_trips(portal: Any) -> Counter[str]:
    from tests.support import aws_calls, create_invoice

    handle, staff, customer = _world(portal)
    _pay(customer, {"amount": 5000})  # the customer's provider account exists from now on
    invoice = create_invoice(staff, customer.customer_id, "2026-11-01")
    handle.drain()
    with aws_calls() as calls:
        _pay(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]})
    return Counter({op: n for op, n in calls.items() if op.startswith("dynamodb:")})


def warm(portal: Any, samples: int = 100) -> tuple[Latency, list[Latency]]:
    import boto3

    _, _, customer = _world(portal)
    started = _pay(customer, {"amount": 5000})
    payment_id = started["payment"]["payment_id"]
    client = boto3.client("dynamodb")
    table = os.environ["PAYMENTS_TABLE_NAME"]
    key = {"pk": {"S": f"PAYMENT#{payment_id}"}, "sk": {"S": "PAYMENT"}}
    baseline = timed(
        "moto GetItem (boto3, same server)", partial(client.get_item, TableName=table, Key=key), samples
    )
    results = [
        timed("POST /payments (advance, new key each)", partial(_pay, customer, {"amount": 5000}), samples),
        timed("GET /payments/{payment_id}", partial(customer.api.get, f"/payments/{payment_id}"), samples),
        timed("GET /payments", partial(customer.api.get, "/payments"), samples),
    ]
    return baseline, results


def webhook_to_paid(portal: Any, runs: int = 10, timeout: float = 30.0) -> dict[str, str]:
    """Seconds from the browser's confirm to (a) the payment succeeded, (b) the invoice paid, with
    the local worker draining as `make run`'s does (every 0.1 s here)."""
    from tests.support import create_invoice

    handle, staff, customer = _world(portal)
    browser = portal.stripe.browser()
    to_succeeded, to_paid = [], []
    for _ in range(runs):
        invoice = create_invoice(staff, customer.customer_id, "2026-11-01")
        handle.drain()
        started = _pay(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]})
        payment_path = f"/payments/{started['payment']['payment_id']}"
        clock = time.perf_counter()
        browser.pay_with_card(started["client_secret"], VISA)
        succeeded_at = paid_at = None
        while time.perf_counter() - clock < timeout and paid_at is None:
            handle.drain()
            now = time.perf_counter() - clock
            if succeeded_at is None and customer.api.get(payment_path).get_json()["status"] == "succeeded":
                succeeded_at = now
            if customer.api.get(f"/invoices/{invoice['invoice_id']}").get_json()["status"] == "paid":
                paid_at = now
            time.sleep(0.1)
        if succeeded_at is not None:
            to_succeeded.append(succeeded_at)
        if paid_at is not None:
            to_paid.append(paid_at)

    def median(values: list[float]) -> str:
        return (
            f"{statistics.median(values) * 1000:.0f} ms (median of {len(values)})" if values else "not seen"
        )

    return {
        "confirm → payment succeeded": median(to_succeeded),
        "confirm → invoice paid": median(to_paid)
        if to_paid
        else f"not seen within {timeout:.0f} s (the invoices consumer of payment events is another branch)",
    }


def cold(portal: Any, runs: int = RUNS) -> list[ColdStart]:
    """PaymentsApiFunction: import + its first request in a fresh interpreter ÷ `import boto3`."""
    from shared.ids import new_id

    _, _, customer = _world(portal)
    _pay(customer, {"amount": 5000})
    seen: dict[str, dict[str, Any]] = {}
    invoke = portal.invoker.invoke

    def recording(function: str, event: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if function == "PaymentsApiFunction" and event.get("resource") in ("/payments",):
            seen.setdefault(event["httpMethod"], json.loads(json.dumps(event, default=str)))
        return invoke(function, event, *args, **kwargs)

    portal.invoker.invoke = recording
    try:
        customer.api.get("/payments")
        _pay(customer, {"amount": 5000})
    finally:
        portal.invoker.invoke = invoke
    spec = portal.stack.functions["PaymentsApiFunction"]
    base_environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    environment = {**base_environment, **spec.environment, "_HANDLER": spec.handler}
    environment.update(
        {k: base_environment[k] for k in ("JWKS_URL", "STRIPE_API_BASE") if k in base_environment}
    )
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for method in ("GET", "POST"):
            event = seen[method]
            samples, baseline = [], []
            for run in range(runs):
                if method == "POST":  # a new payment each run, not a replay of the first answer
                    event["headers"]["Idempotency-Key"] = new_id()
                event_file = str(Path(folder) / f"payments-{method}-{run}.json")
                Path(event_file).write_text(fresh(event))
                baseline.append(_run("boto3", "", environment))
                samples.append(_run(spec.handler, event_file, environment))
            results.append(_figures("PaymentsApiFunction", spec.handler, describe(event), samples, baseline))
    return results


def table(portal: Any) -> list[str]:
    calls = round_trips(portal)
    baseline, latencies = warm(portal)
    webhook = webhook_to_paid(portal)
    starts = cold(portal)
    lines = [
        "### Payments (issue #12)",
        "",
        f"POST /payments DynamoDB round trips: **{sum(calls.values())}** (goal ≤ 3): "
        + ", ".join(f"{op.removeprefix('dynamodb:')} × {n}" for op, n in sorted(calls.items()))
        + " — Powertools' idempotency record (in progress, then the answer: PutItem + UpdateItem), the "
        "invoices + account (+ saved method) in one TransactGetItems, claims + payment (with the "
        "provider's intent id) + PaymentPending in one TransactWriteItems. A saved method adds the "
        "outcome's write (its intent is made after the claim, being charged at once).",
        "",
        "| request | p50 ms | p99 ms | p50 ÷ GetItem p50 | p99 ÷ GetItem p99 |",
        "|---|---:|---:|---:|---:|",
        f"| {baseline.name} | {baseline.p50 * 1000:.2f} | {baseline.p99 * 1000:.2f} | 1.0 | 1.0 |",
    ]
    for r in latencies:
        lines.append(
            f"| {r.name} | {r.p50 * 1000:.2f} | {r.p99 * 1000:.2f} | "
            f"{r.p50 / baseline.p50:.1f} | {r.p99 / baseline.p99:.1f} |"
        )
    lines += ["", "| webhook → paid, locally | time |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in webhook.items()]
    lines += [
        "",
        "| cold start | first request | import ms | first request ms | (waiting on AWS + Stripe ms) | "
        "`import boto3` ms | × boto3 | × boto3 in CPU time |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for start in starts:
        lines.append(
            f"| {start.function} | {start.first_request} | {start.imported * 1000:.0f} | "
            f"{start.first * 1000:.0f} | {start.aws * 1000:.0f} | {start.baseline * 1000:.0f} | "
            f"{start.ratio:.2f} | {start.cpu_ratio:.2f} |"
        )
    return lines
