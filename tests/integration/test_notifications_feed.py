"""The activity feeds: a contact sees only their own customer's activity, newest first, by key pages,
with an unread count they can clear; staff see everything, filtered by customer and type."""

from __future__ import annotations

from typing import Any

import pytest

from shared.ids import utc_today
from tests.integration.test_notifications import tenant_defaults  # noqa: F401 (autouse fixture)
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, create_invoice


def titles(page: Any) -> list[str]:
    return [item["title"] for item in page["items"]]


def everything(api: ApiClient, path: str, limit: int = 2) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = api.get(
            f"{path}{'&' if '?' in path else '?'}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        )
        assert page.status_code == 200, page.get_data(as_text=True)
        items += page.json["items"]  # type: ignore[index]
        cursor = page.json["next_cursor"]  # type: ignore[index]
        if not cursor:
            return items


def test_a_contact_sees_their_customers_activity_newest_first_by_pages(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    create_invoice(staff, other.customer_id, utc_today().isoformat())  # someone else's
    first = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    second = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    customer.api.get(f"/invoices/{first['invoice_id']}")
    staff.post(
        f"/staff/invoices/{second['invoice_id']}/payments",
        {"amount": 240_00, "paid_on": utc_today().isoformat()},
    )
    portal.drain()

    items = everything(customer.api, "/activity", limit=2)
    assert [i["title"] for i in items] == [
        f"Payment of $240.00 received for {second['number']} (paid in full)",
        f"Casey {customer.email.split('@')[0].capitalize()} viewed invoice {first['number']}",
        f"Invoice {second['number']} issued: $240.00 due",
        f"Invoice {first['number']} issued: $240.00 due",
    ]
    assert {i["customer_id"] for i in items} == {customer.customer_id}
    assert [i["link"] for i in items][-1] == f"/invoices/{first['invoice_id']}"
    assert [i["type"] for i in items] == [
        "payment_received",
        "invoice_viewed",
        "invoice_issued",
        "invoice_issued",
    ]
    occurred = [i["occurred_at"] for i in items]
    assert occurred == sorted(occurred, reverse=True)
    assert titles(other.api.get("/activity").json) == [titles(other.api.get("/activity").json)[0]]
    assert customer.customer_id not in str(other.api.get("/activity").json)


def test_unread_count_and_mark_read_are_per_contact(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    create_invoice(staff, customer.customer_id, utc_today().isoformat())
    create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    assert customer.api.get("/activity/unread").json == {"unread_count": 2}
    page = customer.api.get("/activity").json
    assert page["unread_count"] == 2 and [i["read"] for i in page["items"]] == [False, False]  # type: ignore[index]

    assert customer.api.post("/activity/read").json == {"unread_count": 0}
    assert [i["read"] for i in customer.api.get("/activity").json["items"]] == [True, True]  # type: ignore[index]
    assert customer.api.post("/activity/read").json == {"unread_count": 0}  # again: harmless

    create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    page = customer.api.get("/activity").json
    assert page["unread_count"] == 1 and [i["read"] for i in page["items"]] == [False, True, True]  # type: ignore[index]

    # A colleague has their own read position: everything is still unread for them, on every page.
    from services.auth.logic.use_cases import provision_login

    address = f"colleague.{customer.contact_id}@example.com"
    colleague = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Kim", "last_name": "Colleague", "email": address},
    ).json
    portal.drain()
    provision_login(address, PASSWORD, customer.customer_id, colleague["contact_id"])  # type: ignore[index]
    kim = portal.login(address)
    first = kim.get("/activity?limit=2").json
    assert first["unread_count"] == 3 and [i["read"] for i in first["items"]] == [False, False]  # type: ignore[index]
    rest = kim.get(f"/activity?limit=2&cursor={first['next_cursor']}").json  # type: ignore[index]
    assert rest["unread_count"] == 3 and [i["read"] for i in rest["items"]] == [False]  # type: ignore[index]
    assert customer.api.get("/activity/unread").json == {"unread_count": 1}


def test_a_cursor_of_another_customers_feed_is_refused(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    for _ in range(3):
        create_invoice(staff, other.customer_id, utc_today().isoformat())
    portal.drain()
    cursor = other.api.get("/activity?limit=1").json["next_cursor"]  # type: ignore[index]
    assert cursor
    refused = customer.api.get(f"/activity?limit=1&cursor={cursor}")
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "validation_failed"  # type: ignore[index]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "cursor=%%%", "colour=blue"])
def test_bad_feed_queries_answer_400(customer: Customer, query: str) -> None:
    response = customer.api.get(f"/activity?{query}")
    assert response.status_code == 400, query
    assert response.json["error"]["code"] == "validation_failed"  # type: ignore[index]


def test_staff_cannot_read_a_contact_feed_and_contacts_not_the_staff_feed(
    staff: ApiClient, customer: Customer
) -> None:
    assert staff.get("/activity").status_code == 403
    assert staff.get("/activity/unread").status_code == 403
    assert customer.api.get("/staff/activity").status_code == 403


def test_staff_feed_filters_by_customer_and_type(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    mine = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    theirs = create_invoice(staff, other.customer_id, utc_today().isoformat())
    customer.api.get(f"/invoices/{mine['invoice_id']}")
    staff.post(
        f"/staff/invoices/{theirs['invoice_id']}/payments",
        {"amount": 1_00, "paid_on": utc_today().isoformat()},
    )
    portal.drain()

    newest = staff.get("/staff/activity?limit=3").json["items"]  # type: ignore[index]
    assert [i["type"] for i in newest] == ["payment_received", "invoice_viewed", "invoice_issued"]

    by_customer = everything(staff, f"/staff/activity?customer_id={customer.customer_id}")
    assert [i["type"] for i in by_customer] == ["invoice_viewed", "invoice_issued"]
    by_type = staff.get("/staff/activity?type=payment_received&limit=1").json["items"]  # type: ignore[index]
    assert by_type[0]["customer_id"] == other.customer_id
    both = everything(staff, f"/staff/activity?customer_id={other.customer_id}&type=invoice_issued")
    assert [i["title"] for i in both] == [f"Invoice {theirs['number']} issued: $240.00 due"]
    assert staff.get("/staff/activity?customer_id=nobody").json["items"] == []  # type: ignore[index]
    assert staff.get("/staff/activity?type=coffee").status_code == 400


def test_staff_unread_counts_only_the_types_a_member_wants(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert staff.post("/staff/activity/read").json == {"unread_count": 0}
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    customer.api.get(f"/invoices/{invoice['invoice_id']}")
    staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 1_00, "paid_on": utc_today().isoformat()},
    )
    portal.drain()
    assert staff.get("/staff/activity").json["unread_count"] == 2  # viewed + paid, not their own "issued"  # type: ignore[index]
    staff.put("/staff/notifications/preferences", {"channels": {"invoice_viewed": "none"}})
    try:
        assert staff.get("/staff/activity").json["unread_count"] == 1  # type: ignore[index]
    finally:
        staff.put("/staff/notifications/preferences", {"channels": {"invoice_viewed": "email"}})
    assert staff.post("/staff/activity/read").json == {"unread_count": 0}


def test_a_staff_cursor_only_continues_the_list_it_came_from(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    for _ in range(2):
        create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    cursor = staff.get(f"/staff/activity?customer_id={customer.customer_id}&limit=1").json["next_cursor"]  # type: ignore[index]
    assert cursor
    assert (
        staff.get(f"/staff/activity?customer_id={customer.customer_id}&limit=1&cursor={cursor}").status_code
        == 200
    )
    for other_list in ("", "type=invoice_issued&", "customer_id=someone-else&"):
        response = staff.get(f"/staff/activity?{other_list}limit=1&cursor={cursor}")
        assert response.status_code == 400, other_list
    assert staff.get("/staff/activity?customer_id=a%2F..%2Fb").status_code == 400
    contact_cursor = customer.api.get("/activity?limit=1").json["next_cursor"]  # type: ignore[index]
    assert staff.get(f"/staff/activity?limit=1&cursor={contact_cursor}").status_code == 400
