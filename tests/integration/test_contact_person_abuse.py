"""A customer's primary contact adds contact persons, and each is emailed a branded invitation: so the
names obey sign-up's rule (nothing that makes a link or a second line in a mail) and adds are limited
per customer (add and remove in a loop cannot turn the portal into a mailer)."""

from __future__ import annotations

import time

import pytest

from tests.support import Customer, PortalHandle, mails_to

LIMIT = 10  # services/customers/logic/self_service.py CONTACT_ADDS_PER_HOUR


def _email(customer: Customer, tag: str) -> str:
    return f"{tag}.{time.time_ns()}@{customer.email.split('@')[1]}"


def _contacts(customer: Customer) -> list[str]:
    return sorted(c["email"] for c in customer.api.get("/profile").json["contacts"])


@pytest.mark.parametrize(
    "first_name,last_name",
    [
        ("Visit https", "//evil.example"),
        ("Nora", "evil.example"),
        ("Nora\nClick here", "New"),
        ("Nora", "New\r\nBcc: x"),
        ("Win 1000", "Dollars"),
        ("<b>Nora</b>", "New"),
    ],
)
def test_a_contact_persons_name_is_a_name(customer: Customer, first_name: str, last_name: str) -> None:
    before = _contacts(customer)
    body = {"first_name": first_name, "last_name": last_name, "email": _email(customer, "odd")}
    refused = customer.api.post("/profile/contacts", body)
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert refused.json["error"]["code"] == "validation_failed"
    assert _contacts(customer) == before


def test_names_of_real_people_are_accepted(customer: Customer) -> None:
    body = {"first_name": "Zoë-Anne", "last_name": "O’Brien-Núñez, Jr.", "email": _email(customer, "zoe")}
    added = customer.api.post("/profile/contacts", body)
    assert added.status_code == 201, added.get_data(as_text=True)


def test_adds_are_limited_per_customer_and_so_are_invitations(
    portal: PortalHandle, customer: Customer
) -> None:
    if time.time() % 3600 > 3600 - 60:  # the limit's window is the clock hour: start in a fresh one
        time.sleep(3600 - time.time() % 3600 + 1)
    emails = [_email(customer, f"p{i}") for i in range(LIMIT + 3)]
    answers = [
        customer.api.post("/profile/contacts", {"first_name": "Pat", "last_name": "Person", "email": email})
        for email in emails
    ]
    assert [a.status_code for a in answers] == [201] * LIMIT + [429] * 3
    refused = answers[-1]
    assert refused.json["error"]["code"] == "too_many_attempts"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert len(_contacts(customer)) == LIMIT + 1  # and the primary contact
    # removing one does not give the slot back: add/remove in a loop stays limited
    removed = next(c for c in customer.api.get("/profile").json["contacts"] if c["email"] == emails[0])
    assert customer.api.delete(f"/profile/contacts/{removed['contact_id']}").status_code == 204
    person = {"first_name": "Pat", "last_name": "Person", "email": emails[0]}
    again = customer.api.post("/profile/contacts", person)
    assert again.status_code == 429
    portal.drain()
    assert sum(len(mails_to(email)) for email in emails) == LIMIT  # one invitation per accepted add
