"""Staff set up customers and contacts; the dashboard shows a contact their own customer only."""

import pytest

from tests.support import ApiClient, Customer, PortalHandle


def test_staff_read_a_customer_with_its_contacts(staff: ApiClient, customer: Customer) -> None:
    detail = staff.get(f"/staff/customers/{customer.customer_id}")
    assert detail.status_code == 200
    assert detail.json["customer"]["customer_id"] == customer.customer_id
    assert [c["email"] for c in detail.json["contacts"]] == [customer.email]
    assert staff.get("/staff/customers/01jzzzzzzzzzzzzzzzzzzzzzzz").status_code == 404


def test_an_email_belongs_to_one_contact_only(
    staff: ApiClient, customer: Customer, portal: PortalHandle
) -> None:
    other = portal.new_customer(staff)
    again = staff.post(
        f"/staff/customers/{other.customer_id}/contacts",
        {"first_name": "Eve", "last_name": "Twin", "email": customer.email.upper()},
    )
    assert again.status_code == 409
    assert [c["email"] for c in staff.get(f"/staff/customers/{other.customer_id}").json["contacts"]] == [
        other.email
    ]


def test_a_contact_needs_an_existing_customer(staff: ApiClient) -> None:
    response = staff.post(
        "/staff/customers/01jzzzzzzzzzzzzzzzzzzzzzzz/contacts",
        {"first_name": "No", "last_name": "Body", "email": "no.body@example-corp.com"},
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"display_name": "", "email": "a@b-corp.com", "currency": "USD"},
        {"display_name": "X", "email": "not-an-email", "currency": "USD"},
        {"display_name": "X", "email": "a@b-corp.com", "currency": "usd"},
        {
            "display_name": "X",
            "email": "a@b-corp.com",
            "currency": "USD",
            "billing_address": {"country": "USA"},
        },
        {"display_name": "X", "email": "a@b-corp.com", "currency": "USD", "customer_id": "chosen-by-caller"},
    ],
)
def test_bad_customers_are_400(staff: ApiClient, body: dict) -> None:
    response = staff.post("/staff/customers", body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_failed"


def test_business_profile_shows_on_every_dashboard(staff: ApiClient, customer: Customer) -> None:
    profile = {
        "name": "RenoTech Solutions",
        "email": "billing@renotech.solutions",
        "phone": "+1 512 555 0100",
        "website": "https://renotech.solutions",
    }
    assert staff.put("/staff/portal/business", profile).status_code == 200
    business = customer.api.get("/dashboard").json["business"]
    assert business == {**profile, "address": None}
    assert (
        staff.put("/staff/portal/business", {**profile, "website": "javascript:alert(1)"}).status_code == 400
    )


def test_dashboard_is_the_callers_own_customer(portal: PortalHandle, staff: ApiClient) -> None:
    a, b = portal.new_customer(staff), portal.new_customer(staff)
    assert a.api.get("/dashboard").json["customer"]["customer_id"] == a.customer_id
    assert b.api.get("/dashboard").json["customer"]["customer_id"] == b.customer_id
    # A query string cannot pick another customer: identity comes from the token only.
    assert (
        a.api.get(f"/dashboard?customer_id={b.customer_id}").json["customer"]["customer_id"] == a.customer_id
    )
