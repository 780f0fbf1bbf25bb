"""Every customer read is one DynamoDB round trip on a key designed for it (the tenant settings item
is cached per container, as in Lambda)."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import botocore.client
import pytest

from tests.support import ApiClient, Customer, PortalHandle, create_invoice


@contextmanager
def counted_calls() -> Iterator[Counter]:
    calls: Counter = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict) -> Any:
        calls[f"{self.meta.service_model.service_name}:{operation}"] += 1
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = counting  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original  # type: ignore[method-assign]


@pytest.fixture
def warm_settings_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFERENCES_CACHE_SECONDS", "300")


def test_customer_reads_cost_one_round_trip_each(
    portal: PortalHandle, staff: ApiClient, customer: Customer, warm_settings_cache: None
) -> None:
    invoice = create_invoice(staff, customer.customer_id, "2026-11-01")
    customer.api.get(f"/invoices/{invoice['invoice_id']}")  # first view: marks it viewed (a write)
    portal.drain()
    customer.api.get("/dashboard")  # warms this container's settings cache
    for path in ["/dashboard", "/invoices", "/invoices?status=overdue", f"/invoices/{invoice['invoice_id']}"]:
        with counted_calls() as calls:
            assert customer.api.get(path).status_code == 200
        assert sum(calls.values()) == 1, (path, calls)
        assert not any(op.endswith(":Scan") for op in calls)
