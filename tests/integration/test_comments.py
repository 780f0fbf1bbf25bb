"""Comments on invoices and estimates: a contact comments, staff hear of it and reply (visible or as
an internal note), the contact sees their side and the visible replies in order and is told of them
by email; drafts and other customers' documents are 404; a turned-off `comment` action is 403."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import (
    ApiClient,
    Customer,
    PortalHandle,
    create_estimate,
    create_invoice,
    mails_to,
    sent_messages,
)


@pytest.fixture
def restore_preferences(portal: PortalHandle) -> Iterator[None]:
    from services.customers import store
    from services.customers.logic import use_cases

    before = store.tenant_settings()
    yield
    if before is not None:
        use_cases.set_preferences(before.preferences)
    portal.drain()


@pytest.mark.parametrize("kind", ["invoices", "estimates"])
def test_a_thread_shows_both_sides_in_order_and_reaches_the_other_side(
    portal: PortalHandle, staff: ApiClient, customer: Customer, kind: str
) -> None:
    if kind == "invoices":
        document_id = create_invoice(staff, customer.customer_id, "2026-11-01")["invoice_id"]
    else:
        document_id = create_estimate(staff, customer.customer_id)["estimate_id"]
    path = f"/{kind}/{document_id}/comments"
    assert customer.api.get(path).json == {"items": []}

    asked = customer.api.post(path, {"body": "  Could you split the hosting line by month?  "})
    assert asked.status_code == 201, asked.get_data(as_text=True)
    assert (
        asked.json["author"] == "contact"
        and asked.json["body"] == "Could you split the hosting line by month?"
    )
    portal.drain()
    feed = staff.get(f"/staff/activity?customer_id={customer.customer_id}").json["items"]
    assert any("commented on" in item["title"] for item in feed), feed

    note = staff.post(f"/staff{path}", {"body": "Check with Sam first", "visible_to_customer": False})
    assert note.status_code == 201
    mails_before = len(sent_messages())
    reply = staff.post(f"/staff{path}", {"body": "Yes, a revised one follows today."})
    assert reply.status_code == 201 and reply.json["visible_to_customer"] is True
    portal.drain()

    seen = customer.api.get(path).json["items"]
    assert [(c["author"], c["body"]) for c in seen] == [
        ("contact", "Could you split the hosting line by month?"),
        ("staff", "Yes, a revised one follows today."),
    ]
    assert "@" not in seen[1]["author_name"]  # signed by the business, not by a staff member's address
    everything = staff.get(f"/staff{path}").json["items"]
    assert [c["body"] for c in everything] == [
        "Could you split the hosting line by month?",
        "Check with Sam first",
        "Yes, a revised one follows today.",
    ]
    replies = mails_to(customer.email, since=mails_before)
    assert len(replies) == 1 and "New reply on" in str(replies[0]["Subject"])
    assert "Check with Sam first" not in replies[0].as_string()


def test_blank_comments_are_refused_and_write_nothing(staff: ApiClient, customer: Customer) -> None:
    invoice_id = create_invoice(staff, customer.customer_id, "2026-11-01")["invoice_id"]
    for body in ({}, {"body": ""}, {"body": "   "}, {"body": "x" * 2001}, {"body": "ok", "extra": 1}):
        assert customer.api.post(f"/invoices/{invoice_id}/comments", body).status_code == 400
    assert customer.api.get(f"/invoices/{invoice_id}/comments").json == {"items": []}


def test_drafts_and_other_customers_threads_are_not_found(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    theirs = create_invoice(staff, other.customer_id, "2026-11-01")["invoice_id"]
    draft = create_invoice(staff, customer.customer_id, "2026-11-01", issue=False)["invoice_id"]
    missing = customer.api.get("/invoices/01JZZZZZZZZZZZZZZZZZZZZZZZ/comments")
    assert missing.status_code == 404
    for invoice_id in (theirs, draft):
        assert customer.api.get(f"/invoices/{invoice_id}/comments").json == missing.json
        posted = customer.api.post(f"/invoices/{invoice_id}/comments", {"body": "hello"})
        assert posted.status_code == 404 and posted.json == missing.json
    refused = staff.post(f"/staff/invoices/{draft}/comments", {"body": "not yet"})
    assert refused.status_code == 409
    assert staff.get(f"/staff/invoices/{draft}/comments").json == {"items": []}


@pytest.mark.usefixtures("restore_preferences")
def test_a_tenant_can_turn_commenting_off(portal: PortalHandle, staff: ApiClient, customer: Customer) -> None:
    invoice_id = create_invoice(staff, customer.customer_id, "2026-11-01")["invoice_id"]
    preferences = staff.get("/staff/portal/preferences").json
    preferences["actions"]["comment"] = False
    changed = staff.put("/staff/portal/preferences", preferences)
    assert changed.status_code == 200, changed.get_data(as_text=True)
    portal.drain()
    refused = customer.api.post(f"/invoices/{invoice_id}/comments", {"body": "hello"})
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "module_disabled"
    assert customer.api.get(f"/invoices/{invoice_id}/comments").status_code == 200  # reading stays
