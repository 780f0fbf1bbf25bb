"""How long a portal preference change takes to reach every service, through the local runtime as
`make run` runs it: the worker polling the customers table's stream and the directory queues in
the background (every 0.3 s, as `make run` does), the change made through the staff API.

Measured per trial, from the PUT /staff/portal/preferences answer to: the invoices API answering
403 (module off) to a contact, and each service's own copy (auth, invoices, notifications) holding
the change. The per-container cache is off here (PREFERENCES_CACHE_SECONDS=0); on AWS a warm
container may serve its cached copy for up to PREFERENCES_CACHE_SECONDS (30 s) more, so the bound
there is: stream → outbox function → EventBridge → SQS → directory function (typically ≤ 1–2 s;
SQS retries add their visibility timeout, 60 s, per failed try) + the cache TTL."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from shared.settings import forget

TRIALS = 10
POLL_SECONDS = 0.01
WORKER_INTERVAL = 0.3  # infra/local/__main__.py: the worker's default


def _wait(condition: Callable[[], bool], timeout: float = 30.0) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the change did not arrive")
        time.sleep(POLL_SECONDS)
    return time.perf_counter() - started


def _holds(read: Callable[[], Any], enabled: bool) -> Callable[[], bool]:
    def check() -> bool:
        settings = read()
        return settings is not None and settings.preferences.module_enabled("invoices") == enabled

    return check


def _answers(api: Any, status: int) -> Callable[[], bool]:
    def check() -> bool:
        return bool(api.get("/invoices").status_code == status)

    return check


def measure(portal: Any, trials: int = TRIALS) -> dict[str, dict[str, float]]:
    from services.auth import store as auth
    from services.invoices import directory_store as invoices
    from services.notifications import directory_store as notifications
    from tests.support import PortalHandle

    previous_ttl = os.environ.get("PREFERENCES_CACHE_SECONDS")
    os.environ["PREFERENCES_CACHE_SECONDS"] = "0"
    forget()  # settings are read once per container
    handle = PortalHandle(portal)
    staff = handle.staff()
    customer = handle.new_customer(staff)
    copies = {
        "auth copy": auth.tenant_settings,
        "invoices copy": invoices.tenant_settings,
        "notifications copy": notifications.tenant_settings,
    }
    seconds: dict[str, list[float]] = {name: [] for name in ["invoices API (403 / 200)", *copies]}
    portal.worker.start(interval=WORKER_INTERVAL)
    try:
        for trial in range(trials):
            enabled = trial % 2 == 1  # off, on, off, …: each trial is a change
            put = staff.put("/staff/portal/preferences", {"modules": {"invoices": enabled}})
            assert put.status_code == 200, put.get_data(as_text=True)
            changed_at = time.perf_counter()
            waited = _wait(_answers(customer.api, 200 if enabled else 403))
            seconds["invoices API (403 / 200)"].append(waited)
            for name, read in copies.items():
                _wait(_holds(read, enabled))
                seconds[name].append(time.perf_counter() - changed_at)
        if trials % 2 == 1:  # leave the module on
            staff.put("/staff/portal/preferences", {"modules": {"invoices": True}})
    finally:
        portal.worker.stop()
        if previous_ttl is not None:
            os.environ["PREFERENCES_CACHE_SECONDS"] = previous_ttl
            forget()
    return {
        name: {
            "p50 ms": statistics.median(values) * 1000,
            "max ms": max(values) * 1000,
        }
        for name, values in seconds.items()
    }


def table(portal: Any) -> list[str]:
    figures = measure(portal)
    lines = [
        f"### Preference change → visible in each service ({TRIALS} changes; local worker polls every "
        f"{WORKER_INTERVAL} s)",
        "",
        "| where | p50 ms | max ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {f['p50 ms']:.0f} | {f['max ms']:.0f} |" for name, f in figures.items()]
    lines += [
        "",
        "On AWS the bound is the event path (customers stream → CustomersOutbox → bus → each directory "
        "queue → its consumer; seconds) plus PREFERENCES_CACHE_SECONDS (30 s) for a warm container's "
        "cached copy.",
    ]
    return lines


if __name__ == "__main__":
    from bench.portal_bench import start_portal

    local = start_portal()
    try:
        print("\n".join(table(local)))
    finally:
        local.stop()
