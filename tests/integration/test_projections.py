"""Each service's copy of the customers service's facts: fed by portal.customers events through its
own rule → queue → consumer, idempotent (a redelivered event changes nothing) and order-safe (an
older version after a newer one changes nothing). And a change made through the customers API
reaches every service's copy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.business import BusinessFacts
from shared.event_models import (
    BusinessProfileChanged,
    ContactAdded,
    ContactChanged,
    ContactRemoved,
    CustomerChanged,
    CustomerCreated,
    PortalPreferencesChanged,
)
from shared.events import EventData, outbox_event
from shared.ids import new_id
from shared.preferences import PortalPreferences
from tests.support import ApiClient, Customer, PortalHandle, bus_spy, spied

DIRECTORIES = ["AuthDirectoryFunction", "InvoicesDirectoryFunction", "NotificationsDirectoryFunction"]


def queued(*events: EventData) -> dict[str, Any]:
    """An SQS batch as a directory consumer receives it (rule → queue), one record per event."""
    records = []
    for data in events:
        event = outbox_event(data)
        envelope = {
            "version": "0",
            "id": new_id(),
            "detail-type": event.detail_type,
            "source": event.source,
            "time": "2026-11-30T10:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": json.loads(event.detail),
        }
        records.append(
            {
                "messageId": new_id(),
                "receiptHandle": new_id(),
                "body": json.dumps(envelope),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:DirectoryQueue",
                "awsRegion": "us-east-1",
            }
        )
    return {"Records": records}


def deliver(portal: PortalHandle, function: str, *events: EventData) -> None:
    result = portal.local.invoker.invoke(function, queued(*events))
    assert result == {"batchItemFailures": []}, result


def contact_event(kind: type, customer_id: str, contact_id: str, version: int, **changes: Any) -> Any:
    facts = {
        "customer_id": customer_id,
        "contact_id": contact_id,
        "first_name": "Ana",
        "last_name": f"V{version}",
        "email": f"ana.{contact_id}@example.com",
        "is_primary": False,
        "language": None,
        "contact_version": version,
    }
    return kind(**{**facts, **changes})


def customer_event(kind: type, customer_id: str, version: int) -> Any:
    return kind(
        customer_id=customer_id,
        display_name=f"Name v{version}",
        company_name=None,
        email="ap@example.com",
        currency="USD",
        customer_version=version,
    )


# ---- auth ------------------------------------------------------------------------------------------


def test_auth_directory_ignores_redelivered_and_older_contact_events(portal: PortalHandle) -> None:
    from services.auth import store

    customer_id, contact_id = new_id(), new_id()
    added = contact_event(ContactAdded, customer_id, contact_id, 1)
    renamed = contact_event(ContactChanged, customer_id, contact_id, 2, first_name="Anabel")
    deliver(portal, "AuthDirectoryFunction", customer_event(CustomerCreated, customer_id, 1), added, renamed)
    # Redelivered, then out of order (the older snapshot after the newer): nothing changes.
    deliver(portal, "AuthDirectoryFunction", renamed, added, customer_event(CustomerCreated, customer_id, 1))
    contact = store.contact(customer_id, contact_id)
    assert contact is not None and (contact.first_name, contact.last_name) == ("Anabel", "V2")
    claim = store.contact_claim(f"ana.{contact_id}@example.com")
    assert claim is not None and (claim.customer_id, claim.contact_id) == (customer_id, contact_id)
    assert [c.contact_id for c in store.contacts_of(customer_id)] == [contact_id]
    assert store.customer_name(customer_id) == "Name v1"

    deliver(portal, "AuthDirectoryFunction", customer_event(CustomerChanged, customer_id, 2))
    assert store.customer_name(customer_id) == "Name v2"

    removed = contact_event(ContactRemoved, customer_id, contact_id, 3)
    deliver(portal, "AuthDirectoryFunction", removed)
    # A late ContactAdded / ContactChanged cannot bring the removed contact (or its email) back.
    deliver(portal, "AuthDirectoryFunction", added, renamed, removed)
    assert store.contact(customer_id, contact_id) is None
    assert store.contact_claim(f"ana.{contact_id}@example.com") is None
    assert list(store.contacts_of(customer_id)) == []


def test_auth_directory_moves_the_email_claim_with_a_changed_email(portal: PortalHandle) -> None:
    from services.auth import store

    customer_id, contact_id = new_id(), new_id()
    old, new = f"old.{contact_id}@example.com", f"new.{contact_id}@example.com"
    deliver(
        portal, "AuthDirectoryFunction", contact_event(ContactAdded, customer_id, contact_id, 1, email=old)
    )
    deliver(
        portal, "AuthDirectoryFunction", contact_event(ContactChanged, customer_id, contact_id, 2, email=new)
    )
    assert store.contact_claim(old) is None
    claim = store.contact_claim(new)
    assert claim is not None and claim.contact_id == contact_id


# ---- invoices --------------------------------------------------------------------------------------


def test_invoices_directory_knows_customers_once_and_in_order(portal: PortalHandle, staff: ApiClient) -> None:
    from services.invoices import directory_store

    customer_id = new_id()
    body = {
        "customer_id": customer_id,
        "currency": "USD",
        "issue_date": "2026-11-01",
        "lines": [{"description": "x", "quantity": "1", "unit_price": 100}],
    }
    unknown = staff.post("/staff/invoices", body)  # not (yet) known to the invoices service
    assert unknown.status_code == 400 and unknown.json["error"]["details"][0]["field"] == "customer_id"  # type: ignore[index]
    created = customer_event(CustomerCreated, customer_id, 1)
    deliver(portal, "InvoicesDirectoryFunction", created, created)
    assert directory_store.customer_exists(customer_id)
    assert staff.post("/staff/invoices", body).status_code == 201
    deliver(portal, "InvoicesDirectoryFunction", customer_event(CustomerChanged, customer_id, 3), created)
    assert directory_store.KnownCustomer.get(f"CUSTOMER#{customer_id}", "CUSTOMER").version == 3


# ---- notifications ---------------------------------------------------------------------------------


def test_notifications_directory_ignores_redelivered_and_older_events(portal: PortalHandle) -> None:
    from services.notifications import directory_store

    customer_id, first, second = new_id(), new_id(), new_id()
    german = contact_event(ContactChanged, customer_id, first, 2, language="de")
    deliver(
        portal,
        "NotificationsDirectoryFunction",
        customer_event(CustomerCreated, customer_id, 1),
        contact_event(ContactAdded, customer_id, first, 1),
        german,
        contact_event(ContactAdded, customer_id, second, 1),
    )
    deliver(
        portal, "NotificationsDirectoryFunction", contact_event(ContactAdded, customer_id, first, 1), german
    )
    facts = directory_store.customer_facts(customer_id)
    assert facts is not None and facts.name == "Name v1"
    assert {(c.contact_id, c.language) for c in facts.contacts} == {(first, "de"), (second, None)}

    deliver(portal, "NotificationsDirectoryFunction", contact_event(ContactRemoved, customer_id, second, 2))
    deliver(portal, "NotificationsDirectoryFunction", contact_event(ContactAdded, customer_id, second, 1))
    facts = directory_store.customer_facts(customer_id)
    assert facts is not None and [c.contact_id for c in facts.contacts] == [first]


# ---- settings: every service's copy ----------------------------------------------------------------


@pytest.mark.parametrize("function", DIRECTORIES)
def test_a_settings_copy_takes_only_newer_versions(portal: PortalHandle, function: str) -> None:
    from services.auth import store as auth
    from services.invoices import directory_store as invoices
    from services.notifications import directory_store as notifications

    read = {
        "AuthDirectoryFunction": auth.tenant_settings,
        "InvoicesDirectoryFunction": invoices.tenant_settings,
        "NotificationsDirectoryFunction": notifications.tenant_settings,
    }[function]
    before = read()
    base = (before.preferences if before else PortalPreferences()).model_dump()
    from services.customers import store as customers_store

    version = customers_store.settings_version() + 1000  # newer than anything the owner published
    off = PortalPreferencesChanged(
        preferences=PortalPreferences(**{**base, "modules": {"invoices": False}}), settings_version=version
    )
    on = PortalPreferencesChanged(
        preferences=PortalPreferences(**{**base, "modules": {"invoices": True}}), settings_version=version - 1
    )
    try:
        deliver(portal, function, off, on, off)  # the older "on" arrives after the newer "off"
        settings = read()
        assert settings is not None and not settings.preferences.module_enabled("invoices")
    finally:
        # Put the tenant back: a change through the customers service at a version above this one.
        customers_store.CustomerItem(pk="TENANT", sk="SETTINGS").update(
            actions=[customers_store.CustomerItem.settings_version.set(version + 1)]
        )
        restore = before.preferences if before else PortalPreferences()
        from services.customers.logic import use_cases

        use_cases.set_preferences(restore)
        portal.drain()
    settings = read()
    assert settings is not None and settings.preferences == restore


def test_business_profile_copies_ignore_an_older_profile(portal: PortalHandle) -> None:
    from services.notifications import directory_store

    newer = BusinessProfileChanged(business=BusinessFacts(name="Newer"), settings_version=2_000_000)
    older = BusinessProfileChanged(business=BusinessFacts(name="Older"), settings_version=1_999_999)
    before = directory_store.tenant_settings()
    try:
        deliver(portal, "NotificationsDirectoryFunction", newer, older)
        settings = directory_store.tenant_settings()
        assert settings is not None and json.loads(settings.business_json or "{}")["name"] == "Newer"
    finally:
        model: Any = directory_store.SettingsItem
        business = before.business_json if before else None
        model("TENANT", "SETTINGS").update(
            actions=[
                model.business.set(business) if business else model.business.remove(),
                model.business_version.set(0),  # the next change by the owner applies again
            ]
        )


# ---- end to end ------------------------------------------------------------------------------------


def test_a_preference_change_reaches_every_service(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from services.auth import store as auth
    from services.invoices import directory_store as invoices
    from services.notifications import directory_store as notifications

    copies = {
        "auth": auth.tenant_settings,
        "invoices": invoices.tenant_settings,
        "notifications": notifications.tenant_settings,
    }
    assert staff.put("/staff/portal/preferences", {"modules": {"invoices": False}}).status_code == 200
    try:
        portal.drain()
        for service, read in copies.items():
            settings = read()
            assert settings is not None and not settings.preferences.module_enabled("invoices"), service
        assert customer.api.get("/invoices").status_code == 403
        assert customer.api.get("/dashboard").json["portal"]["modules"] == {"invoices": False}  # type: ignore[index]
    finally:
        assert staff.put("/staff/portal/preferences", {"modules": {"invoices": True}}).status_code == 200
        portal.drain()
    for service, read in copies.items():
        settings = read()
        assert settings is not None and settings.preferences.module_enabled("invoices"), service
    assert customer.api.get("/invoices").status_code == 200


def test_customer_changes_are_published_with_versions_and_reach_the_projections(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from services.auth import store as auth
    from services.notifications import directory_store as notifications

    spy = bus_spy(
        portal, {"source": ["portal.customers"], "detail": {"data": {"customer_id": [customer.customer_id]}}}
    )
    renamed = staff.put(
        f"/staff/customers/{customer.customer_id}",
        {"display_name": "Renamed Ltd", "email": "ap@renamed.example"},
    )
    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    second = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Sam", "last_name": "Second", "email": f"sam.{customer.contact_id}@example.com"},
    ).json
    assert (
        staff.delete(f"/staff/customers/{customer.customer_id}/contacts/{second['contact_id']}").status_code
        == 204
    )  # type: ignore[index]
    assert (
        staff.delete(f"/staff/customers/{customer.customer_id}/contacts/{second['contact_id']}").status_code
        == 404
    )  # type: ignore[index]
    portal.drain()
    envelopes = spied(spy)
    published = [
        (
            e["detail-type"],
            e["detail"]["data"].get("customer_version") or e["detail"]["data"].get("contact_version"),
        )
        for e in envelopes
    ]
    assert published == [("CustomerChanged", 2), ("ContactAdded", 1), ("ContactRemoved", 2)]
    assert all(e["detail"]["metadata"]["correlation_id"] for e in envelopes)  # the staff request
    assert auth.customer_name(customer.customer_id) == "Renamed Ltd"
    assert auth.contact(customer.customer_id, second["contact_id"]) is None  # type: ignore[index]
    facts = notifications.customer_facts(customer.customer_id)
    assert facts is not None and facts.name == "Renamed Ltd"
    assert [c.contact_id for c in facts.contacts] == [customer.contact_id]
    # The removed contact cannot be invited (auth's own copy says so).
    invite = staff.post(f"/staff/customers/{customer.customer_id}/contacts/{second['contact_id']}/invitation")  # type: ignore[index]
    assert invite.status_code == 404


# ---- before the event arrives: the owner answers (function-to-function) -----------------------------


def test_a_customer_and_contact_are_usable_at_once_before_their_events_arrive(
    portal: PortalHandle, staff: ApiClient
) -> None:
    """Staff create a customer and at once raise an invoice for it, add a contact and at once invite
    them: the invoices and auth services ask CustomersLookupFunction (no drain in between), store
    the answer in their projections, and the events arriving later change nothing."""
    from services.auth import store as auth
    from services.invoices import directory_store as invoices
    from tests.support import aws_calls, invoice_body

    n = new_id()[-8:]
    created = staff.post(
        "/staff/customers", {"display_name": f"Rush {n}", "email": f"ap@rush{n}.com", "currency": "USD"}
    )
    assert created.status_code == 201
    customer_id = created.json["customer_id"]  # type: ignore[index]
    with aws_calls() as calls:
        invoice = staff.post("/staff/invoices", invoice_body(customer_id, "2026-11-01"))
    assert invoice.status_code == 201, invoice.get_data(as_text=True)
    assert calls["lambda:Invoke"] == 1 and invoices.customer_exists(customer_id)
    email = f"rush.{n}@example.com"
    contact = staff.post(
        f"/staff/customers/{customer_id}/contacts", {"first_name": "Rae", "last_name": "Rush", "email": email}
    ).json
    invited = staff.post(f"/staff/customers/{customer_id}/contacts/{contact['contact_id']}/invitation")  # type: ignore[index]
    assert invited.status_code == 202, invited.get_data(as_text=True)
    assert auth.customer_name(customer_id) == f"Rush {n}"
    # An event about the customer reaching notifications before the customer's own events.
    from services.notifications.logic.directory import known_customer

    facts = known_customer(customer_id)
    assert facts is not None and facts.name == f"Rush {n}"
    assert [c.email for c in facts.contacts] == [email]
    portal.drain()  # the events arrive: same versions, nothing changes; the invitation is sent
    known = auth.contact(customer_id, contact["contact_id"])  # type: ignore[index]
    assert known is not None and known.email == email
    with aws_calls() as calls:  # known now: no more questions to the owner
        assert staff.post("/staff/invoices", invoice_body(customer_id, "2026-11-02")).status_code == 201
    assert calls["lambda:Invoke"] == 0


def test_an_unknown_customer_or_contact_stays_unknown(staff: ApiClient, customer: Customer) -> None:
    from tests.support import invoice_body

    missing = new_id()
    assert staff.post("/staff/invoices", invoice_body(missing, "2026-11-01")).status_code == 400
    assert (
        staff.post(f"/staff/customers/{customer.customer_id}/contacts/{missing}/invitation").status_code
        == 404
    )
