"""Subscriptions figures (issue #14), through the local portal:
- the renewal job: subscriptions renewed per second with N due (SUBSCRIPTIONS_BENCH_DUE, default
  10,000; written straight to the table, as many periods behind by one), and DynamoDB calls per renewal;
- warm latency of POST /subscriptions/{id}/preview (an upgrade) and GET /subscriptions/{id} ÷ one moto
  GetItem."""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from bench.portal_bench import timed

DUE = int(os.environ.get("SUBSCRIPTIONS_BENCH_DUE", "10000"))


def _world(portal: Any) -> tuple[Any, Any, Any]:
    from tests.support import PortalHandle

    handle = PortalHandle(portal)
    staff = handle.staff()
    return handle, staff, handle.new_customer(staff)


def _plan(staff: Any, amount: int) -> str:
    body = {"name": f"Bench {amount}", "currency": "USD", "unit_amount": amount}
    return str(staff.post("/staff/catalog/plans", body).json["plan_id"])


def renewals(portal: Any, due: int = DUE) -> dict[str, str]:
    from services.subscriptions import store
    from services.subscriptions.logic import renewals as job
    from services.subscriptions.logic.subscription import Subscription
    from shared.ids import new_id
    from tests.support import aws_calls

    _, staff, customer = _world(portal)
    plan_id = _plan(staff, 10_00)
    started = datetime.now(UTC) - timedelta(days=40)
    for _ in range(due):
        sub = Subscription(
            subscription_id=new_id(),
            customer_id=customer.customer_id,
            currency="USD",
            status="live",
            plan_id=plan_id,
            plan_name="Bench",
            plan_unit_amount=10_00,
            interval_months=1,
            quantity=1,
            started_at=started,
            anchor=started,
        )
        store._record(sub).save()
    now = datetime.now(UTC)
    with aws_calls() as calls:
        began = time.perf_counter()
        report = job.run(now)
        seconds = time.perf_counter() - began
    dynamodb = Counter({op: n for op, n in calls.items() if op.startswith("dynamodb:")})
    per = {op: f"{n / max(report.renewed, 1):.2f}" for op, n in sorted(dynamodb.items())}
    return {
        "due": str(due),
        "renewed": str(report.renewed),
        "seconds": f"{seconds:.1f}",
        "renewed per second": f"{report.renewed / seconds:.0f}",
        "DynamoDB calls per renewal": ", ".join(f"{op} {n}" for op, n in per.items()),
    }


def preview_latency(portal: Any, samples: int = 100) -> list[str]:
    import boto3

    _, staff, customer = _world(portal)
    basic, pro = _plan(staff, 10_00), _plan(staff, 30_00)
    created = staff.post("/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": basic}).json
    sub_id = created["subscription_id"]
    client = boto3.client("dynamodb")
    table = os.environ["SUBSCRIPTIONS_TABLE_NAME"]
    key = {"pk": {"S": f"SUB#{sub_id}"}, "sk": {"S": "SUB"}}
    baseline = timed("moto GetItem", partial(client.get_item, TableName=table, Key=key), samples)
    body = {"change": {"action": "change_plan", "plan_id": pro}}
    results = [
        timed(
            "POST /subscriptions/{id}/preview",
            partial(customer.api.post, f"/subscriptions/{sub_id}/preview", body),
            samples,
        ),
        timed("GET /subscriptions/{id}", partial(customer.api.get, f"/subscriptions/{sub_id}"), samples),
    ]
    lines = [f"| {baseline.name} | {baseline.p50 * 1000:.2f} | {baseline.p99 * 1000:.2f} | 1.0 |"]
    lines += [
        f"| {r.name} | {r.p50 * 1000:.2f} | {r.p99 * 1000:.2f} | {r.p50 / baseline.p50:.1f} |"
        for r in results
    ]
    return lines


def table(portal: Any) -> list[str]:
    lines = [
        "### Subscriptions: preview latency ÷ GetItem, the renewal job's throughput",
        "",
        "| request | p50 ms | p99 ms | p50 ÷ GetItem |",
        "|---|---:|---:|---:|",
        *preview_latency(portal),
        "",
        "| renewal job | value |",
        "|---|---:|",
    ]
    return lines + [f"| {name} | {value} |" for name, value in renewals(portal).items()]
