"""Latency figures through the local portal (moto server in this process, template.yaml's resources,
the local API gateway), all as ratios to figures measured in the same run:
- list latency: one customer with 100 issued invoices vs one with 10,000, the same page size;
- warm request latency (p50/p99) of the main routes vs a bare moto GetItem."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

PAGE = 20


@dataclass(frozen=True)
class Latency:
    name: str
    p50: float
    p99: float
    samples: int
    p50_outside_dynamodb: float = 0.0  # the request's time minus its time in DynamoDB (moto) calls
    items_read: int = 0  # DynamoDB items read (ScannedCount) by one request


class DynamoMeter:
    """Time spent in, and items read by, DynamoDB calls made in this process (botocore hook)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.items_read = 0

    def __enter__(self) -> DynamoMeter:
        import botocore.client

        self._original = original = botocore.client.BaseClient._make_api_call
        meter = self

        def metered(client: Any, operation: str, params: dict[str, Any]) -> Any:
            if client.meta.service_model.service_name != "dynamodb":
                return original(client, operation, params)
            start = time.perf_counter()
            try:
                response = original(client, operation, params)
            finally:
                meter.seconds += time.perf_counter() - start
            meter.items_read += int(response.get("ScannedCount", response.get("Count", 0)) or 0)
            return response

        botocore.client.BaseClient._make_api_call = metered  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        import botocore.client

        botocore.client.BaseClient._make_api_call = self._original  # type: ignore[method-assign]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(name: str, call: Callable[[], Any], samples: int, warmup: int = 5) -> Latency:
    for _ in range(warmup):
        call()
    seconds, outside, items = [], [], 0
    for _ in range(samples):
        with DynamoMeter() as meter:
            start = time.perf_counter()
            call()
            elapsed = time.perf_counter() - start
        seconds.append(elapsed)
        outside.append(elapsed - meter.seconds)
        items = meter.items_read
    return Latency(
        name,
        statistics.median(seconds),
        percentile(seconds, 0.99),
        samples,
        statistics.median(outside),
        items,
    )


def start_portal() -> Any:
    # Warm containers keep the tenant settings for 30 s, as in Lambda (tests turn the cache off).
    os.environ["PREFERENCES_CACHE_SECONDS"] = "300"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    from shared.settings import forget

    forget()  # settings are read once per container
    from infra.local.portal import LocalPortal

    return LocalPortal.start(web_root=None)


def seed_invoices(customer_id: str, count: int) -> None:
    """`count` issued invoices written straight through the invoices store's records (25 per
    BatchWriteItem): the same items the use cases write, without 10,000 HTTP round trips."""
    from services.invoices import store
    from services.invoices.logic.domain import Invoice, price_line, totals
    from shared.ids import new_id, utc_now_iso
    from shared.money import Money

    now = utc_now_iso()
    first = date(2020, 1, 1)
    with store.InvoiceRecord.batch_write() as batch:
        for n in range(count):
            line = price_line("Consulting", Decimal(1), 1000 + n, "USD", None, 0)
            sums = totals([line], "USD")
            issued = first + timedelta(days=n % 2000)
            invoice = Invoice(
                invoice_id=new_id(),
                customer_id=customer_id,
                number=f"B-{n:06d}",
                status="sent",
                currency="USD",
                issue_date=issued,
                due_date=issued + timedelta(days=30),
                lines=[line],
                subtotal=sums.subtotal,
                tax_total=sums.tax_total,
                total=sums.total,
                amount_paid=Money.zero("USD"),
                created_at=now,
                updated_at=now,
            )
            batch.save(store._record(invoice))


def list_latency(portal: Any, samples: int = 50) -> tuple[list[Latency], dict[str, int]]:
    from tests.support import PortalHandle

    handle = PortalHandle(portal)
    staff = handle.staff()
    small, large = handle.new_customer(staff), handle.new_customer(staff)
    started = time.perf_counter()
    seed_invoices(small.customer_id, 100)
    seed_invoices(large.customer_id, 10_000)
    seeded_in = time.perf_counter() - started
    results = []
    for label, customer in (("100 invoices", small), ("10,000 invoices", large)):
        for query in (f"limit={PAGE}", f"limit={PAGE}&status=unpaid", f"limit={PAGE}&sort=amount"):
            response = customer.api.get(f"/invoices?{query}")
            page = response.get_json()
            assert response.status_code == 200 and len(page["items"]) == PAGE, page
            name = f"GET /invoices?{query} — {label}"
            results.append(timed(name, partial(customer.api.get, f"/invoices?{query}"), samples))
    return results, {"seconds to seed 10,100 invoices": round(seeded_in)}


def warm_latency(portal: Any, samples: int = 200) -> tuple[Latency, list[Latency]]:
    import boto3

    from tests.support import PortalHandle, create_invoice

    handle = PortalHandle(portal)
    staff = handle.staff()
    customer = handle.new_customer(staff)
    invoice = create_invoice(staff, customer.customer_id, "2026-10-01")
    customer.api.get(f"/invoices/{invoice['invoice_id']}")  # the first view is a write; later ones read

    client = boto3.client("dynamodb")
    table = os.environ["INVOICES_TABLE_NAME"]
    key = {"pk": {"S": f"INVOICE#{invoice['invoice_id']}"}, "sk": {"S": "INVOICE"}}

    def get_item() -> Any:
        return client.get_item(TableName=table, Key=key)

    baseline = timed("moto GetItem (boto3, same server)", get_item, samples)

    routes: list[tuple[str, Any, str]] = [
        ("GET /dashboard", customer.api, "/dashboard"),
        ("GET /invoices", customer.api, "/invoices"),
        ("GET /invoices/{invoice_id}", customer.api, f"/invoices/{invoice['invoice_id']}"),
        ("GET /me", customer.api, "/me"),
        ("GET /activity", customer.api, "/activity"),
        ("GET /staff/customers/{customer_id}", staff, f"/staff/customers/{customer.customer_id}"),
        ("GET /staff/invoices/{invoice_id}", staff, f"/staff/invoices/{invoice['invoice_id']}"),
    ]
    results = []
    for name, api, path in routes:
        if api.get(path).status_code != 200:
            continue  # a route another service has not finished: left out rather than timed as an error
        results.append(timed(name, partial(api.get, path), samples))
    # Documents are made on request (fpdf2): the whole download, gateway to bytes.
    pdf = {"Accept": "application/pdf"}
    for name, path in (
        ("GET /invoices/{invoice_id}/pdf", f"/invoices/{invoice['invoice_id']}/pdf"),
        ("GET /estimates", "/estimates"),
    ):
        download = partial(customer.api.get, path, headers=pdf if path.endswith("/pdf") else None)
        if download().status_code == 200:
            results.append(timed(name, download, samples // 4))
    return baseline, results
