"""Invoices end to end: staff issue, customers list and open them, events reach the dashboard."""

from datetime import timedelta

import pytest

from shared.ids import utc_today
from tests.support import ApiClient, Customer, PortalHandle, create_invoice, invoice_body


def days_ago(days: int) -> str:
    return (utc_today() - timedelta(days=days)).isoformat()


def test_issue_view_pay_and_void_update_invoice_and_dashboard(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(
        staff,
        customer.customer_id,
        days_ago(5),
        lines=[
            {
                "description": "Front-end development",
                "quantity": "37.5",
                "unit_price": 12_500,
                "tax_name": "Sales tax",
                "tax_rate_bps": 863,
            },
            {"description": "Hosting", "quantity": "1", "unit_price": 29_900},
        ],
    )
    assert invoice["status"] == "sent"
    assert invoice["subtotal"] == {"amount": 498_650, "currency": "USD"}
    assert invoice["tax_total"] == {"amount": 40_453, "currency": "USD"}
    assert invoice["total"] == {"amount": 539_103, "currency": "USD"}

    seen = customer.api.get(f"/invoices/{invoice['invoice_id']}")
    assert seen.status_code == 200
    assert seen.json["status"] == "viewed"
    assert seen.json["lines"][0]["quantity"] == "37.5"
    assert seen.json["taxes"] == [
        {"name": "Sales tax", "rate_bps": 863, "amount": {"amount": 40_453, "currency": "USD"}}
    ]

    portal.drain()
    receivables = customer.api.get("/dashboard").json["receivables"]
    assert receivables == {
        "outstanding": [{"amount": 539_103, "currency": "USD"}],
        "overdue": [],
        "open_count": 1,
        "overdue_count": 0,
    }

    paid = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 39_103, "paid_on": days_ago(1), "method": "card"},
    )
    assert paid.status_code == 200
    assert paid.json["status"] == "partially_paid"
    assert paid.json["amount_due"] == {"amount": 500_000, "currency": "USD"}
    portal.drain()
    assert customer.api.get("/dashboard").json["receivables"]["outstanding"] == [
        {"amount": 500_000, "currency": "USD"}
    ]

    refused = staff.post(f"/staff/invoices/{invoice['invoice_id']}/void")
    assert refused.status_code == 409

    settled = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments", {"amount": 500_000, "paid_on": days_ago(0)}
    )
    assert settled.json["status"] == "paid"
    history = customer.api.get(f"/invoices/{invoice['invoice_id']}").json["history"]
    assert [change["status"] for change in history] == ["sent", "viewed", "partially_paid", "paid"]
    assert [change["at"] for change in history] == sorted(change["at"] for change in history)
    portal.drain()
    assert customer.api.get("/dashboard").json["receivables"] == {
        "outstanding": [],
        "overdue": [],
        "open_count": 0,
        "overdue_count": 0,
    }


def test_overdue_invoices_count_on_the_dashboard_and_filter(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    late = create_invoice(staff, customer.customer_id, days_ago(60), payment_terms_days=30)
    create_invoice(staff, customer.customer_id, days_ago(3))
    portal.drain()
    dashboard = customer.api.get("/dashboard").json
    assert dashboard["receivables"]["overdue_count"] == 1
    assert dashboard["receivables"]["open_count"] == 2
    assert dashboard["receivables"]["overdue"] == [late["total"]]
    overdue = customer.api.get("/invoices?status=overdue").json["items"]
    assert [item["invoice_id"] for item in overdue] == [late["invoice_id"]]
    assert overdue[0]["status"] == "overdue"
    assert customer.api.get(f"/invoices/{late['invoice_id']}").json["status"] == "overdue"


def test_void_invoice_leaves_receivables_and_owes_nothing(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, days_ago(2))
    voided = staff.post(f"/staff/invoices/{invoice['invoice_id']}/void")
    assert voided.status_code == 200
    assert voided.json["status"] == "void"
    assert voided.json["amount_due"]["amount"] == 0
    portal.drain()
    assert customer.api.get("/dashboard").json["receivables"]["open_count"] == 0
    assert [i["status"] for i in customer.api.get("/invoices?status=void").json["items"]] == ["void"]


def test_list_filters_sorts_and_pages_without_gaps(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    amounts = [30_000, 10_000, 50_000, 20_000, 40_000]
    created = [
        create_invoice(
            staff,
            customer.customer_id,
            days_ago(10 - n),
            lines=[{"description": f"Work {n}", "quantity": "1", "unit_price": amount}],
        )
        for n, amount in enumerate(amounts)
    ]
    staff.post(
        f"/staff/invoices/{created[1]['invoice_id']}/payments", {"amount": 10_000, "paid_on": days_ago(0)}
    )

    pages, cursor = [], None
    while True:
        response = customer.api.get(
            "/invoices", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200
        pages.append([item["number"] for item in response.json["items"]])
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
    assert [len(page) for page in pages] == [2, 2, 1]
    newest_first = [invoice["number"] for invoice in reversed(created)]
    assert [number for page in pages for number in page] == newest_first

    by_amount = customer.api.get("/invoices?sort=amount&order=desc").json["items"]
    assert [item["total"]["amount"] for item in by_amount] == sorted(amounts, reverse=True)
    oldest = customer.api.get("/invoices?order=asc&limit=1").json["items"]
    assert oldest[0]["number"] == created[0]["number"]

    paid = customer.api.get("/invoices?status=paid").json["items"]
    assert [item["invoice_id"] for item in paid] == [created[1]["invoice_id"]]
    unpaid = customer.api.get("/invoices?status=unpaid&sort=amount&order=asc").json["items"]
    assert [item["total"]["amount"] for item in unpaid] == [20_000, 30_000, 40_000, 50_000]


@pytest.mark.parametrize(
    "query",
    [
        "status=draft",
        "sort=name",
        "limit=0",
        "limit=101",
        "cursor=garbage",
        "status=overdue&sort=amount",
        "colour=red",
    ],
)
def test_bad_list_queries_are_400(customer: Customer, query: str) -> None:
    response = customer.api.get(f"/invoices?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_failed"


def test_another_customers_cursor_is_refused(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    for n in range(3):
        create_invoice(staff, customer.customer_id, days_ago(n))
    cursor = customer.api.get("/invoices?limit=1").json["next_cursor"]
    other = portal.new_customer(staff)
    assert other.api.get("/invoices", query_string={"cursor": cursor}).status_code == 400


@pytest.mark.parametrize(
    "change",
    [
        {"lines": [{"description": "x", "quantity": 1.5, "unit_price": 100}]},  # float quantity
        {"lines": [{"description": "x", "quantity": "1", "unit_price": 10.5}]},  # float money
        {"lines": []},
        {"currency": "XYZ"},
        {"customer_id": "no-such-customer"},
        {"due_date": "2020-01-01"},
        {"unexpected": True},
    ],
)
def test_bad_invoices_are_refused_and_write_nothing(
    staff: ApiClient, customer: Customer, change: dict
) -> None:
    body = {**invoice_body(customer.customer_id, days_ago(1)), **change}
    response = staff.post("/staff/invoices", body)
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "validation_failed"
    counter_before = _invoice_counter()
    assert staff.post("/staff/invoices", body).status_code == 400
    assert _invoice_counter() == counter_before


def _invoice_counter() -> int:
    from services.invoices.store import CounterRecord

    try:
        return int(CounterRecord.get("COUNTER", "INVOICE_NUMBER").value)
    except CounterRecord.DoesNotExist:
        return 0


def test_state_rules_answer_409(staff: ApiClient, customer: Customer) -> None:
    invoice = create_invoice(staff, customer.customer_id, days_ago(1))
    assert staff.post(f"/staff/invoices/{invoice['invoice_id']}/issue").status_code == 409
    over = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": invoice["total"]["amount"] + 1, "paid_on": days_ago(0)},
    )
    assert over.status_code == 400
    assert staff.post("/staff/invoices/unknown/issue").status_code == 404


def test_disabled_invoices_module_is_403_and_shown_on_the_dashboard(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, days_ago(1))
    assert staff.put("/staff/portal/preferences", {"modules": {"invoices": False}}).status_code == 200
    portal.drain()  # the invoices service's copy of the preferences follows from the event
    try:
        listed = customer.api.get("/invoices")
        assert listed.status_code == 403
        assert listed.json["error"]["code"] == "module_disabled"
        assert customer.api.get(f"/invoices/{invoice['invoice_id']}").status_code == 403
        assert customer.api.get("/dashboard").json["portal"]["modules"] == {"invoices": False}
    finally:
        assert staff.put("/staff/portal/preferences", {"modules": {"invoices": True}}).status_code == 200
        portal.drain()
    assert customer.api.get("/invoices").status_code == 200


def test_preferences_refuse_unknown_modules_and_actions(staff: ApiClient) -> None:
    before = staff.get("/staff/portal/preferences").json
    assert staff.put("/staff/portal/preferences", {"modules": {"casino": True}}).status_code == 400
    assert staff.put("/staff/portal/preferences", {"actions": {"launch_rockets": True}}).status_code == 400
    assert staff.get("/staff/portal/preferences").json == before  # refused: nothing written
