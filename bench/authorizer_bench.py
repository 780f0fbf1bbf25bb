"""The session authorizer's cost (issue #10 item 3): what it adds to a request, and how many DynamoDB
reads it makes per 1,000 requests with the template's caches (API Gateway's ReauthorizeEvery and the
container's marker cache) — figures, not assertions."""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from shared.settings import forget

USERS = 10
REQUESTS = 1000
PACED = 50  # requests per second


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def _timed(call: Callable[[], Any], samples: int) -> tuple[float, float]:
    for _ in range(10):
        call()
    spent = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        spent.append(time.perf_counter() - start)
    return _ms(spent)


@contextmanager
def marker_reads() -> Iterator[Counter[str]]:
    """Counts the authorizer's marker GetItems (keys SESSIONS#…) made in this process."""
    import botocore.client

    seen: Counter[str] = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(client: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation == "GetItem" and str(params.get("Key", {}).get("pk", {}).get("S", "")).startswith(
            "SESSIONS#"
        ):
            seen["GetItem"] += 1
        return original(client, operation, params)

    botocore.client.BaseClient._make_api_call = counting  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        botocore.client.BaseClient._make_api_call = original  # type: ignore[method-assign]


def measure(portal: Any) -> dict[str, str]:
    from services.auth import authorizer
    from tests.support import ApiClient, PortalHandle

    handle = PortalHandle(portal)
    staff = handle.staff()
    users = [handle.new_customer(staff) for _ in range(USERS)]
    gateway = portal.gateway
    figures: dict[str, str] = {}

    # 1. What the authorizer adds: GET /me with the authorizer's answer cached by the gateway (as
    #    API Gateway does within ReauthorizeEvery) vs run on every request (marker cached / read).
    api = users[0].api
    ttl = gateway.authorizer.ttl_seconds
    cached = _timed(lambda: api.get("/me"), 300)
    object.__setattr__(gateway.authorizer, "ttl_seconds", 0)
    gateway._authorized.clear()
    every = _timed(lambda: api.get("/me"), 300)
    os.environ["SESSION_MARKER_CACHE_SECONDS"] = "0"
    forget()  # settings are read once per container
    every_read = _timed(lambda: api.get("/me"), 300)
    os.environ["SESSION_MARKER_CACHE_SECONDS"] = "2"
    forget()
    event = {"headers": {"Authorization": api.token}, "methodArn": "arn:aws:execute-api:r:a:local/dev/GET/me"}
    handler_only = _timed(lambda: authorizer.handler(event, None), 300)
    object.__setattr__(gateway.authorizer, "ttl_seconds", ttl)
    figures["GET /me, authorizer answer cached (p50 / p99 ms)"] = f"{cached[0]:.2f} / {cached[1]:.2f}"
    figures["GET /me, authorizer run, marker cached (p50 / p99 ms)"] = f"{every[0]:.2f} / {every[1]:.2f}"
    figures["GET /me, authorizer run, marker read (p50 / p99 ms)"] = (
        f"{every_read[0]:.2f} / {every_read[1]:.2f}"
    )
    figures["added per request when the authorizer runs: marker cached / read (p50 ms)"] = (
        f"{every[0] - cached[0]:.2f} / {every_read[0] - cached[0]:.2f}"
    )
    figures["authorizer handler alone, warm, marker cached (p50 / p99 ms)"] = (
        f"{handler_only[0]:.2f} / {handler_only[1]:.2f}"
    )

    # 2. DynamoDB reads per 1,000 requests: USERS signed-in users taking turns, the template's caches,
    #    as fast as the gateway goes and paced at PACED requests per second (users every USERS/PACED s).
    clients = [ApiClient(gateway, u.api.token) for u in users]
    for label, rate in (("unpaced", None), (f"{PACED}/s", PACED)):
        time.sleep(ttl + float(os.environ.get("SESSION_MARKER_CACHE_SECONDS", "2")))  # caches start cold
        calls_before = gateway.authorizer_calls
        with marker_reads() as reads:
            start = time.perf_counter()
            for n in range(REQUESTS):
                if rate:
                    time.sleep(max(0.0, start + n / rate - time.perf_counter()))
                clients[n % USERS].get("/me")
            elapsed = time.perf_counter() - start
        runs = gateway.authorizer_calls - calls_before
        figures[f"{label}: {REQUESTS} requests by {USERS} users took (s)"] = f"{elapsed:.1f}"
        figures[f"{label}: authorizer runs per 1,000 requests"] = f"{runs * 1000 / REQUESTS:.0f}"
        figures[f"{label}: marker GetItems per 1,000 requests (eventually consistent, 0.5 RCU each)"] = (
            f"{reads['GetItem'] * 1000 / REQUESTS:.0f}"
        )
    figures["bound for a busy portal"] = (
        f"≤ 1 GetItem per user per container per {os.environ.get('SESSION_MARKER_CACHE_SECONDS', '2')} s, "
        f"≤ 1 authorizer run per token per {ttl} s"
    )
    figures["not measured here"] = (
        "API Gateway's own call to the authorizer Lambda (AWS adds it on a cache miss)"
    )
    return figures
