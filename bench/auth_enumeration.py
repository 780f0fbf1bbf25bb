"""Does "forgot password" answer a known email faster or slower than an unknown one? 50 requests of
each, interleaved, through the local gateway. The request path does the same work for both (one
PutItem; the lookup happens in the stream consumer), so the medians should differ by noise only.
`python -m bench.auth_enumeration` prints the figures; nothing here asserts."""

from __future__ import annotations

import statistics
import time
from typing import Any

TRIES = 50


def measure(portal: Any) -> dict[str, float]:
    from services.auth.logic import throttle
    from tests.support import ApiClient, PortalHandle

    # The email-request limits would refuse most of these 100 requests; lifted here, as the counters
    # they update stay on the measured path (the same two writes for known and unknown emails).
    throttle.EMAILS_PER_ADDRESS = throttle.EMAIL_REQUESTS_PER_CLIENT = 10**6
    handle = PortalHandle(portal)
    known = handle.new_customer(handle.staff()).email
    client = ApiClient(portal.gateway)
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for _ in range(TRIES):
        for label, email in (("known", known), ("unknown", "nobody@example.com")):
            started = time.perf_counter()
            response = client.post("/auth/password/forgot", {"email": email})
            timings[label].append(time.perf_counter() - started)
            assert response.status_code == 202
    known_ms = statistics.median(timings["known"]) * 1000
    unknown_ms = statistics.median(timings["unknown"]) * 1000
    spread_ms = statistics.stdev(timings["known"] + timings["unknown"]) * 1000
    return {
        "median known (ms)": round(known_ms, 2),
        "median unknown (ms)": round(unknown_ms, 2),
        "difference (ms)": round(known_ms - unknown_ms, 2),
        "standard deviation of all (ms)": round(spread_ms, 2),
    }


def measure_signup(portal: Any) -> dict[str, float]:
    """Sign-up with a customer's link: a new email, another customer's contact's, and one of the
    link's own customer's. The request path is the same for all three (the link check, the counters,
    one PutItem); who the email belongs to is looked up by the stream consumer."""
    from services.auth.logic import throttle
    from tests.support import ApiClient, PortalHandle

    throttle.EMAILS_PER_ADDRESS = throttle.EMAIL_REQUESTS_PER_CLIENT = 10**6
    handle = PortalHandle(portal)
    staff = handle.staff()
    policy: dict[str, Any] = staff.get("/staff/auth/policy").json or {}
    staff.put("/staff/auth/policy", {**policy, "self_signup": True})
    try:
        customer, other = handle.new_customer(staff), handle.new_customer(staff)
        link = staff.post(f"/staff/customers/{customer.customer_id}/signup-link").json or {}
        token = str(link["url"]).split("token=", 1)[1]
        emails = {"new": "newcomer@example.com", "another customer's": other.email, "own": customer.email}
        client = ApiClient(portal.gateway)
        timings: dict[str, list[float]] = {label: [] for label in emails}
        for _ in range(TRIES):
            for label, email in emails.items():
                body = {"token": token, "email": email, "first_name": "Sam", "last_name": "Lee"}
                started = time.perf_counter()
                response = client.post("/auth/signup", body)
                timings[label].append(time.perf_counter() - started)
                assert response.status_code == 202
    finally:
        staff.put("/staff/auth/policy", policy)
    return {
        f"sign-up median, {label} email (ms)": round(statistics.median(t) * 1000, 2)
        for label, t in timings.items()
    }


def main() -> None:
    from bench.portal_bench import start_portal

    portal = start_portal()
    try:
        for name, value in {**measure(portal), **measure_signup(portal)}.items():
            print(f"{name}: {value}")
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
