"""Staff customer search (the console's list): a tenant with 200 / 2,000 customers (each with one
contact), written through the customers service's store as the API writes them; then the median
latency of one search page through the local gateway — the first page by name, a name prefix, an
email prefix and a portal status — for each size. Each is one Query of one index (+ one BatchGet
when contacts matched), so the time should not grow with the tenant. `python -m
bench.customer_search_bench` prints the figures; nothing here asserts."""

from __future__ import annotations

from typing import Any

SIZES = (200, 2_000)
TRIES = 30


def seed(count: int, tag: str) -> None:
    """Through the store, as the API writes them (each with its outbox event; the stream publishes)."""
    from services.customers import store
    from services.customers.logic import views
    from services.customers.logic.domain import Contact, Customer
    from services.customers.logic.use_cases import insert_contact
    from shared.event_models import CustomerCreated
    from shared.events import outbox_event
    from shared.ids import new_id

    for n in range(count):
        cid = new_id()
        customer = Customer(
            cid, f"{tag} Customer {n:05d}", None, f"ap{n}@{tag}.example.com", None, "USD", None
        )
        store.insert_customer(customer, outbox_event(views.customer_facts(CustomerCreated, customer)))
        insert_contact(Contact(new_id(), cid, "Pat", f"Person{n}", f"pat{n}@{tag}.example.com", None, True))


def measure(portal: Any) -> list[str]:
    from bench.portal_bench import timed
    from tests.support import PortalHandle

    staff = PortalHandle(portal).staff()
    lines = [
        f"### Staff customer search (page of 20, {TRIES} requests each through the local gateway)",
        "",
        "moto answers a GSI Query by filtering the whole table in memory, so its time grows with the",
        "tenant; the time outside DynamoDB and the items read are what DynamoDB's keyed Query keeps flat.",
        "",
        "| search | customers | p50 ms | p50 ms outside DynamoDB | items read |",
        "|---|---:|---:|---:|---:|",
    ]
    total = 0
    for size in SIZES:
        tag = f"s{size}"
        seed(size - total, tag)  # the tenant grows: earlier customers stay
        total = size
        queries: dict[str, dict[str, Any]] = {
            "first page by name": {"limit": 20},
            "name prefix": {"q": f"{tag} customer 001", "limit": 20},
            "email prefix": {"q": f"pat1@{tag}", "limit": 20},
            "portal status + email prefix": {"status": "not_invited", "q": "pat1", "limit": 20},
        }
        for label, params in queries.items():

            def search(params: dict[str, Any] = params) -> None:
                response = staff.get("/staff/customers", query_string=params)
                assert response.status_code == 200, response.get_data(as_text=True)

            latency = timed(label, search, TRIES)
            lines.append(
                f"| {label} | {size:,} | {latency.p50 * 1000:.1f} | "
                f"{latency.p50_outside_dynamodb * 1000:.1f} | {latency.items_read} |"
            )
    return lines


def main() -> None:
    from bench.portal_bench import start_portal

    portal = start_portal()
    try:
        print("\n".join(measure(portal)))
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
