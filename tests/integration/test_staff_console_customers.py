"""The staff console's customers: search by name, email and portal status (by index, paged), the
contacts' portal status projected from auth's events, and a customer's invoices for staff."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support import ApiClient, Customer, PortalHandle, aws_calls, create_invoice


def unique() -> str:
    return uuid.uuid4().hex[:10]


def new_customer(staff: ApiClient, name: str, email: str) -> str:
    created = staff.post("/staff/customers", {"display_name": name, "email": email, "currency": "USD"})
    assert created.status_code == 201, created.get_data(as_text=True)
    return str(created.json["customer_id"])  # type: ignore[index]


def add_contact(staff: ApiClient, customer_id: str, email: str) -> str:
    created = staff.post(
        f"/staff/customers/{customer_id}/contacts",
        {"first_name": "Sam", "last_name": "Searcher", "email": email},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return str(created.json["contact_id"])  # type: ignore[index]


def search(staff: ApiClient, **params: Any) -> Any:
    response = staff.get("/staff/customers", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def names(page: Any) -> list[str]:
    return [item["display_name"] for item in page["items"]]


def test_search_by_name_prefix_pages_in_name_order_ignoring_case(staff: ApiClient) -> None:
    token = unique()
    for name in (f"Qx{token} Gamma", f"QX{token}  alpha", f"qx{token} Beta"):
        new_customer(staff, name, f"ap.{unique()}@example.com")
    new_customer(staff, f"Other{token}", f"ap.{unique()}@example.com")

    with aws_calls() as calls:
        first = search(staff, q=f"qX{token} ", limit=2)
    assert dict(calls) == {"dynamodb:Query": 1}  # one Query of the name index, never a Scan
    assert names(first) == [f"QX{token}  alpha", f"qx{token} Beta"]
    assert first["next_cursor"]
    second = search(staff, q=f"qx{token}", limit=2, cursor=first["next_cursor"])
    assert names(second) == [f"Qx{token} Gamma"] and second["next_cursor"] is None
    # A cursor of this search does not page another one.
    other = staff.get("/staff/customers", query_string={"status": "invited", "cursor": first["next_cursor"]})
    assert other.status_code == 400


def test_a_renamed_customer_is_found_by_its_new_name_only(staff: ApiClient) -> None:
    token = unique()
    customer_id = new_customer(staff, f"Before{token}", f"ap.{unique()}@example.com")
    renamed = staff.put(
        f"/staff/customers/{customer_id}",
        {"display_name": f"After{token}", "email": f"ap.{token}@example.com"},
    )
    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    assert names(search(staff, q=f"after{token}")) == [f"After{token}"]
    assert search(staff, q=f"before{token}")["items"] == []


def test_search_by_email_finds_the_customer_once_by_its_own_or_a_contacts_address(staff: ApiClient) -> None:
    token = unique()
    customer_id = new_customer(staff, f"Mail{token}", f"billing@{token}.example.com")
    add_contact(staff, customer_id, f"ana@{token}.example.com")
    add_contact(staff, customer_id, f"bob@{token}.example.com")

    exact = search(staff, q=f"ANA@{token}.example.com")
    assert [item["customer_id"] for item in exact["items"]] == [customer_id]
    by_domain = search(staff, q=f"@{token}")
    assert by_domain["items"] == []  # a prefix of the address, not any part of it
    by_prefix = search(staff, q=f"billing@{token}")
    assert [item["customer_id"] for item in by_prefix["items"]] == [customer_id]


def test_search_by_portal_status_follows_auths_events(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    # new_customer's contact has a login (provisioned directly, no event): never invited.
    assert [i["customer_id"] for i in search(staff, status="not_invited", q=customer.email)["items"]] == [
        customer.customer_id
    ]
    invitee = f"invitee.{unique()}@example.com"
    contact_id = add_contact(staff, customer.customer_id, invitee)
    portal.drain()
    invited = staff.post(f"/staff/customers/{customer.customer_id}/contacts/{contact_id}/invitation")
    assert invited.status_code == 202, invited.get_data(as_text=True)
    portal.drain()

    assert [i["customer_id"] for i in search(staff, status="invited", q=invitee)["items"]] == [
        customer.customer_id
    ]
    assert search(staff, status="not_invited", q=invitee)["items"] == []
    detail = staff.get(f"/staff/customers/{customer.customer_id}").json
    assert {c["contact_id"]: c["portal_status"] for c in detail["contacts"]}[contact_id] == "invited"  # type: ignore[index]

    # Only a contact with a login can be turned off: the primary contact has one.
    path = f"/staff/customers/{customer.customer_id}/contacts/{customer.contact_id}/access"
    off = staff.put(path, {"enabled": False})
    assert off.status_code == 200, off.get_data(as_text=True)
    portal.drain()
    found = search(staff, status="disabled", q=customer.email)["items"]
    assert [i["customer_id"] for i in found] == [customer.customer_id]
    assert search(staff, status="not_invited", q=customer.email)["items"] == []
    assert staff.put(path, {"enabled": True}).status_code == 200
    portal.drain()
    assert search(staff, status="disabled", q=customer.email)["items"] == []


def test_status_projection_ignores_replays_and_older_events(staff: ApiClient, customer: Customer) -> None:
    from services.customers.logic.contact_access import apply_auth_event
    from shared.event_models import InvitationAccepted, InvitationSent, PortalAccessChanged
    from shared.events import EventMetadata

    ids = {"email": customer.email, "customer_id": customer.customer_id, "contact_id": customer.contact_id}
    accepted = InvitationAccepted(**ids)
    at = EventMetadata(occurred_at="2099-02-01T00:00:00.000Z")
    assert apply_auth_event(accepted, at)
    assert not apply_auth_event(accepted, at)  # redelivered
    # Arriving after the acceptance but older: changes nothing.
    assert not apply_auth_event(
        InvitationSent(**ids, expires_at="2099-01-08T00:00:00Z"),
        EventMetadata(occurred_at="2099-01-01T00:00:00.000Z"),
    )
    assert not apply_auth_event(
        PortalAccessChanged(**ids, enabled=False), EventMetadata(occurred_at="2099-01-15T00:00:00.000Z")
    )
    contacts = staff.get(f"/staff/customers/{customer.customer_id}").json["contacts"]  # type: ignore[index]
    assert {c["contact_id"]: c["portal_status"] for c in contacts}[customer.contact_id] == "active"
    found = search(staff, status="active", q=customer.email)["items"]
    assert [i["customer_id"] for i in found] == [customer.customer_id]
    assert search(staff, status="disabled", q=customer.email)["items"] == []


def test_search_is_for_staff_only_and_checks_its_input(staff: ApiClient, customer: Customer) -> None:
    assert customer.api.get("/staff/customers").status_code == 403
    assert customer.api.get(f"/staff/customers/{customer.customer_id}/invoices").status_code == 403
    assert staff.get("/staff/customers/no-such-customer").status_code == 404
    for params in ({"status": "everyone"}, {"limit": "0"}, {"limit": "101"}, {"cursor": "not-a-cursor"}):
        response = staff.get("/staff/customers", query_string=params)
        assert response.status_code == 400, params
        assert response.json["error"]["code"]  # type: ignore[index]


def test_staff_list_a_customers_invoices_drafts_included(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    limit = 1
    draft = create_invoice(staff, customer.customer_id, "2026-01-05", issue=False)
    issued = create_invoice(staff, customer.customer_id, "2026-01-04")
    first = staff.get(f"/staff/customers/{customer.customer_id}/invoices", query_string={"limit": limit})
    assert first.status_code == 200, first.get_data(as_text=True)
    second = staff.get(
        f"/staff/customers/{customer.customer_id}/invoices",
        query_string={"limit": limit, "cursor": first.json["next_cursor"]},  # type: ignore[index]
    )
    listed = [*first.json["items"], *second.json["items"]]  # type: ignore[index]
    # The customer page tells what the customers service learnt of the issued invoice.
    portal.drain()
    detail = staff.get(f"/staff/customers/{customer.customer_id}").json
    assert detail["receivables"]["open_count"] == 1  # type: ignore[index]
    assert detail["receivables"]["outstanding"] == [issued["amount_due"]]  # type: ignore[index]
    assert detail["available_credit"] == {"amount": 0, "currency": "USD"}  # type: ignore[index]
    # Newest first: the issued invoice was created after the draft.
    assert [(i["invoice_id"], i["status"]) for i in listed] == [
        (issued["invoice_id"], "overdue"),  # due in January
        (draft["invoice_id"], "draft"),
    ]
    # Another customer's invoices are not in this list.
    from shared.ids import new_id

    other = staff.get(f"/staff/customers/{new_id()}/invoices")
    assert other.status_code == 200, other.get_data(as_text=True)
    assert other.json["items"] == []  # type: ignore[index]
