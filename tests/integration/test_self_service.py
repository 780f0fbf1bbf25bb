"""Customer self-service: a contact's own details, the primary contact's addresses and contact
persons, and changing the sign-in email with proof of the new address."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.auth_support import link_token, text_of
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, bus_spy, mails_to, spied

ADDRESS = {"line1": "1 Harbour St", "city": "Sydney", "postal_code": "2000", "country": "AU"}


@pytest.fixture
def restore_preferences(portal: PortalHandle) -> Iterator[None]:
    from services.customers import store
    from services.customers.logic import use_cases
    from shared.preferences import PortalPreferences, forget_cached_preferences

    before = store.tenant_settings()
    yield
    use_cases.set_preferences(before.preferences if before is not None else PortalPreferences())
    portal.drain()
    forget_cached_preferences()


def turn_off(portal: PortalHandle, staff: ApiClient, action: str) -> None:
    preferences = staff.get("/staff/portal/preferences").json
    preferences["actions"][action] = False
    assert staff.put("/staff/portal/preferences", preferences).status_code == 200
    portal.drain()
    from shared.preferences import forget_cached_preferences

    forget_cached_preferences()  # one process plays every function here: no 30-s stale copy


def second_contact(portal: PortalHandle, staff: ApiClient, customer: Customer) -> tuple[str, ApiClient]:
    """A non-primary contact of `customer` with a login."""
    from services.auth.logic.use_cases import provision_login

    email = f"second.{customer.contact_id.lower()}@{customer.email.split('@')[1]}"
    added = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Sam", "last_name": "Second", "email": email},
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    portal.drain()
    provision_login(email, PASSWORD, customer.customer_id, added.json["contact_id"])
    return added.json["contact_id"], portal.login(email)


def profile_body(**changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Casey",
        "last_name": "Changed",
        "phone": "+61 2 5550 1234",
        "language": "ar",
        **changes,
    }


# ---- own details -----------------------------------------------------------------------------------


def test_a_contact_reads_and_edits_their_own_details(portal: PortalHandle, customer: Customer) -> None:
    spy = bus_spy(portal, {"source": ["portal.customers"]})
    profile = customer.api.get("/profile")
    assert profile.status_code == 200, profile.get_data(as_text=True)
    assert profile.json["contact"]["contact_id"] == customer.contact_id
    assert profile.json["permissions"] == {
        "update_details": True,
        "manage_contact_persons": True,
        "is_primary": True,
    }

    saved = customer.api.put("/profile", profile_body())
    assert saved.status_code == 200, saved.get_data(as_text=True)
    again = customer.api.get("/profile").json["contact"]
    assert (again["last_name"], again["phone"], again["language"]) == ("Changed", "+61 2 5550 1234", "ar")
    assert again["email"] == customer.email  # the email is the sign-in: not changed here

    portal.drain()
    events = {(e["detail-type"], e["detail"]["data"].get("change")) for e in spied(spy)}
    assert ("ContactChanged", None) in events
    assert ("CustomerDetailsChangedByContact", "own_details") in events


def test_identity_comes_from_the_token_only(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    # A body naming another contact is refused (unknown fields), a query string changes nothing.
    refused = customer.api.put("/profile", profile_body(contact_id=other.contact_id))
    assert refused.status_code == 400
    assert customer.api.get(f"/profile?contact_id={other.contact_id}").json["contact"]["contact_id"] == (
        customer.contact_id
    )
    assert other.api.get("/profile").json["contact"]["last_name"] != "Changed"


def test_bad_details_are_400_and_change_nothing(customer: Customer) -> None:
    before = customer.api.get("/profile").json["contact"]
    for body in (profile_body(first_name=" "), profile_body(language="fr"), profile_body(phone="call me")):
        response = customer.api.put("/profile", body)
        assert response.status_code == 400
        assert response.json["error"]["code"] == "validation_failed"
    assert customer.api.get("/profile").json["contact"] == before


def test_staff_cannot_use_the_contacts_profile(staff: ApiClient) -> None:
    assert staff.get("/profile").status_code == 403
    assert staff.put("/profile", profile_body()).status_code == 403


@pytest.mark.usefixtures("restore_preferences")
def test_update_details_off_refuses_with_the_action_name(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    turn_off(portal, staff, "update_details")
    assert customer.api.get("/profile").json["permissions"]["update_details"] is False
    for refused in (
        customer.api.put("/profile", profile_body()),
        customer.api.put("/profile/customer", {"billing_address": ADDRESS}),
        customer.api.post("/auth/email/change", {"new_email": "x@elsewhere-corp.com", "password": PASSWORD}),
    ):
        assert refused.status_code == 403, refused.get_data(as_text=True)
        assert refused.json["error"]["code"] == "module_disabled"
        assert refused.json["error"]["details"] == {"action": "update_details"}
    assert customer.api.get("/profile").json["contact"]["last_name"] != "Changed"


# ---- the primary contact: addresses and contact persons ---------------------------------------------


def test_the_primary_contact_edits_the_addresses(portal: PortalHandle, customer: Customer) -> None:
    spy = bus_spy(portal, {"source": ["portal.customers"]})
    shipping = {**ADDRESS, "line1": "2 Dock Rd"}
    saved = customer.api.put("/profile/customer", {"billing_address": ADDRESS, "shipping_address": shipping})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    customer_view = customer.api.get("/profile").json["customer"]
    assert customer_view["billing_address"]["line1"] == "1 Harbour St"
    assert customer_view["shipping_address"]["line1"] == "2 Dock Rd"
    portal.drain()
    types = [e["detail-type"] for e in spied(spy)]
    assert "CustomerChanged" in types and "CustomerDetailsChangedByContact" in types


def test_a_non_primary_contact_gets_403(portal: PortalHandle, staff: ApiClient, customer: Customer) -> None:
    _, second = second_contact(portal, staff, customer)
    profile = second.get("/profile").json
    assert profile["permissions"]["is_primary"] is False
    assert profile["contacts"] == []  # who else has access is for the primary contact to see
    assert second.put("/profile/customer", {"billing_address": ADDRESS}).status_code == 403
    added = second.post("/profile/contacts", {"first_name": "A", "last_name": "B", "email": "ab@x-corp.com"})
    assert added.status_code == 403
    assert second.delete(f"/profile/contacts/{customer.contact_id}").status_code == 403
    assert second.put("/profile", profile_body(first_name="Sam")).status_code == 200  # own details: yes


def test_the_primary_contact_adds_a_contact_person_who_is_invited(
    portal: PortalHandle, customer: Customer
) -> None:
    email = f"new.person.{int(time.time() * 1000)}@{customer.email.split('@')[1]}"
    added = customer.api.post(
        "/profile/contacts", {"first_name": "Nora", "last_name": "New", "email": email, "language": "de"}
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    assert added.json["is_primary"] is False
    portal.drain()
    [invitation] = mails_to(email)
    link_token(invitation, "/accept-invitation")
    emails = [c["email"] for c in customer.api.get("/profile").json["contacts"]]
    assert email in emails
    assert (
        customer.api.post(
            "/profile/contacts", {"first_name": "Nora", "last_name": "Twin", "email": email.upper()}
        ).status_code
        == 409
    )


def test_the_primary_contact_removes_a_contact_person_of_their_own_customer_only(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    assert customer.api.delete(f"/profile/contacts/{other.contact_id}").status_code == 404
    assert customer.api.delete(f"/profile/contacts/{customer.contact_id}").status_code == 409  # the primary
    second_id, second = second_contact(portal, staff, customer)
    second_email = second.get("/profile").json["contact"]["email"]
    assert customer.api.delete(f"/profile/contacts/{second_id}").status_code == 204
    assert second_id not in [c["contact_id"] for c in customer.api.get("/profile").json["contacts"]]
    portal.drain()
    # Removed is removed: their login is off (the auth service follows the event).
    signed_in = ApiClient(portal.gateway).post("/auth/login", {"email": second_email, "password": PASSWORD})
    assert signed_in.status_code == 401
    assert other.api.get("/profile").status_code == 200


@pytest.mark.usefixtures("restore_preferences")
def test_manage_contact_persons_off_refuses(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    turn_off(portal, staff, "manage_contact_persons")
    refused = customer.api.post(
        "/profile/contacts", {"first_name": "A", "last_name": "B", "email": "off.person@x-corp.com"}
    )
    assert refused.status_code == 403
    assert refused.json["error"]["details"] == {"action": "manage_contact_persons"}
    assert customer.api.put("/profile/customer", {"billing_address": ADDRESS}).status_code == 200


def test_staff_are_told_per_their_notification_settings(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    customer.api.put("/profile/customer", {"billing_address": ADDRESS})
    portal.drain()
    feed = staff.get(f"/staff/activity?customer_id={customer.customer_id}&type=customer_details_changed")
    assert feed.status_code == 200, feed.get_data(as_text=True)
    assert any("addresses" in item["title"] for item in feed.json["items"])


# ---- changing the sign-in email ---------------------------------------------------------------------


def code_in(message: Any) -> str:
    found = re.search(r"^\s*(\d{6})\s*$", text_of(message), re.MULTILINE)
    assert found, text_of(message)
    return found.group(1)


def ask_for_change(portal: PortalHandle, customer: Customer, new_email: str) -> str:
    asked = customer.api.post("/auth/email/change", {"new_email": new_email, "password": PASSWORD})
    assert asked.status_code == 202, asked.get_data(as_text=True)
    portal.drain()
    return code_in(mails_to(new_email)[-1])


def fresh_address(customer: Customer) -> str:
    return f"moved.{int(time.time() * 1000)}@new-{customer.email.split('@')[1]}"


def test_changing_the_sign_in_email(portal: PortalHandle, customer: Customer) -> None:
    spy = bus_spy(portal, {"source": ["portal.auth", "portal.customers"]})
    new_email = fresh_address(customer)
    code = ask_for_change(portal, customer, new_email)
    assert "Hi Casey" in text_of(mails_to(new_email)[-1])  # by name, from auth's copy of the contact
    wrong = "000000" if code != "000000" else "111111"
    assert customer.api.post("/auth/email/confirm", {"code": wrong}).status_code == 400
    confirmed = customer.api.post("/auth/email/confirm", {"code": code})
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    portal.drain()

    from tests.integration.test_sessions import session_bound

    time.sleep(session_bound(portal) + 0.2)  # the authorizer's caches (an ended session's bound)
    assert customer.api.get("/profile").status_code == 401  # the old address's sessions ended
    signed_in = portal.login(new_email)
    profile = signed_in.get("/profile").json
    assert profile["contact"]["email"] == new_email  # the customers service followed the event
    old = ApiClient(portal.gateway).post("/auth/login", {"email": customer.email, "password": PASSWORD})
    assert old.status_code == 401
    [notice] = mails_to(customer.email)[-1:]
    assert "sign-in email" in notice["Subject"]
    assert new_email in text_of(notice) and "Hi Casey" in text_of(notice)
    types = {e["detail-type"] for e in spied(spy)}
    assert {"SignInEmailChanged", "ContactChanged"} <= types
    again = signed_in.post("/auth/email/confirm", {"code": code})
    assert again.status_code == 410  # single use (and the old login's change is not this one's)


def test_a_wrong_password_changes_nothing(portal: PortalHandle, customer: Customer) -> None:
    new_email = fresh_address(customer)
    refused = customer.api.post(
        "/auth/email/change", {"new_email": new_email, "password": "not-the-password"}
    )
    assert refused.status_code == 401
    portal.drain()
    assert mails_to(new_email) == []
    assert customer.api.post("/auth/email/confirm", {"code": "123456"}).status_code == 410


def test_an_address_of_another_login_is_409(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    taken = customer.api.post("/auth/email/change", {"new_email": other.email, "password": PASSWORD})
    assert taken.status_code == 409


def test_the_code_expires_and_five_wrong_codes_end_it(portal: PortalHandle, customer: Customer) -> None:
    from services.auth import store

    code = ask_for_change(portal, customer, fresh_address(customer))
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert customer.api.post("/auth/email/confirm", {"code": wrong}).status_code == 400
    assert customer.api.post("/auth/email/confirm", {"code": code}).status_code == 410

    code = ask_for_change(portal, customer, fresh_address(customer))  # a new request starts afresh
    store._email_change_key(customer.email).update(
        actions=[store.AuthItem.expires_at.set(int(time.time()) - 1)]
    )
    assert customer.api.post("/auth/email/confirm", {"code": code}).status_code == 410
    assert portal.login(customer.email).get("/profile").json["contact"]["email"] == customer.email


def test_a_newer_request_replaces_the_older_code(portal: PortalHandle, customer: Customer) -> None:
    first = ask_for_change(portal, customer, fresh_address(customer))
    second_email = fresh_address(customer)
    second = ask_for_change(portal, customer, second_email)
    if first != second:
        assert customer.api.post("/auth/email/confirm", {"code": first}).status_code == 400
    assert customer.api.post("/auth/email/confirm", {"code": second}).status_code == 200
    portal.drain()
    assert portal.login(second_email).get("/profile").json["contact"]["email"] == second_email


def test_with_mfa_on_the_change_needs_the_authenticators_code(
    portal: PortalHandle, customer: Customer
) -> None:
    from tests.auth_support import sign_in, totp_code
    from tests.integration.test_auth_flows import enrol_mfa

    secret = enrol_mfa(portal, sign_in(portal, customer.email))
    new_email = fresh_address(customer)
    without = customer.api.post("/auth/email/change", {"new_email": new_email, "password": PASSWORD})
    assert without.status_code == 401
    wrong_code = {"new_email": new_email, "password": PASSWORD, "code": "000000"}
    if totp_code(secret) != "000000":
        assert customer.api.post("/auth/email/change", wrong_code).status_code == 401
    portal.drain()
    assert mails_to(new_email) == []
    with_code = {"new_email": new_email, "password": PASSWORD, "code": totp_code(secret)}
    asked = customer.api.post("/auth/email/change", with_code)
    assert asked.status_code == 202, asked.get_data(as_text=True)
    portal.drain()
    assert len(mails_to(new_email)) == 1
