"""The staff search's index keys: what staff type and what is stored normalise alike, and a key's
parts never run into each other."""

from __future__ import annotations

from services.customers.logic.domain import Contact, Customer
from services.customers.logic.search import (
    contact_search_keys,
    is_email_search,
    normalised,
    profile_search_keys,
)


def test_case_width_and_spaces_do_not_matter() -> None:
    assert normalised("  ACME   Ltd ") == normalised("acme ltd") == "acme ltd"
    assert normalised("ＡＣＭＥ") == "acme"  # full-width letters (NFKC)
    assert normalised("Straße") == normalised("STRASSE")  # casefold, not lower
    assert normalised("شركة  النور") == "شركة النور"


def test_the_separator_cannot_come_from_a_name() -> None:
    assert "#" not in normalised("A#B")
    keys = profile_search_keys(Customer("cid1", "A#B Corp", None, "Billing@X.com", None, "USD", None))
    assert keys["name_key"] == "a b corp#cid1"
    assert keys["email_key"] == "billing@x.com#cid1#"


def test_a_contact_is_keyed_by_email_and_portal_status() -> None:
    contact = Contact("ct1", "cid1", "Ana", "Lima", "Ana@Example.com", None, False, portal_status="invited")
    keys = contact_search_keys(contact)
    assert keys["email_key"] == keys["status_key"] == "ana@example.com#cid1#ct1"
    assert keys["status_scope"] == "STATUS#invited"
    assert is_email_search("ana@") and not is_email_search("ana")
