"""Customers table: one partition per customer, read in one Query for the dashboard.

  CUSTOMER#<cid>  A#PROFILE            the customer's account details
  CUSTOMER#<cid>  B#CONTACT#<id>       its contact persons
  CUSTOMER#<cid>  C#OPEN#<invoice>     receivables: open invoices (projection of invoice events)
  CUSTOMER#<cid>  D#CREDIT             available credit (projection of credit events, balance_version)
  CUSTOMER#<cid>  D#NOTE#<id>          a credit note's remaining amount, part of the available credit
                                       (projection of portal.credit_notes, credit_note_version)
  CUSTOMER#<cid>  E#PENDING#<payment>  a pending payment and the invoices it pays (payment events)
  CUSTOMER#<cid>  Z#PAYMENT#<payment>  a payment no longer pending (its last version: a late event
                                       cannot make it pending again)
  CUSTOMER#<cid>  Z#CLOSED#<invoice>   closed invoices' last version, so a late event cannot reopen one
  EMAIL#<email>   CONTACT              one contact per email address across the tenant
  TENANT          SETTINGS             portal preferences and business profile (settings_version)
  OUTBOX#<id>     OUTBOX               portal.customers events, written in the same transaction as the
                                       change they tell of; the table stream puts them on the bus

Profiles and contacts carry `version` (1 when created, +1 per change), settings `settings_version`:
the events carry them, so other services' projections are order-safe.

The store takes and returns the service's domain objects (logic/domain.py), never its items or the
API's schemas: items are mapped to and from domain objects here, at its boundary.

The receivables and portal-status projections (of invoices' and auth's events) are written by
projections_store.py. The dashboard query is `sk < "Z"`: everything of the customer but the
tombstones, so its cost does not grow with the customer's history of paid invoices.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import date
from typing import Any, cast

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import TransactWriteError

from services.customers.logic.domain import (
    Account,
    Address,
    Business,
    Contact,
    Credit,
    Customer,
    Language,
    PortalStatus,
    Receivable,
)
from services.customers.logic.search import contact_search_keys, profile_search_keys
from services.customers.settings import Settings
from shared.dynamo import KeyedRecord, cancelled, sparse_index, table_meta, transaction
from shared.errors import Conflict
from shared.events import OutboxEvent, outbox_item_fields
from shared.preferences import PortalPreferences, TenantSettings
from shared.projections import SETTINGS_PK, SETTINGS_SK
from shared.settings import load

TABLE_NAME = load(Settings).customers_table
PROFILE_SK = "A#PROFILE"
CONTACT_PREFIX = "B#CONTACT#"
OPEN_PREFIX = "C#OPEN#"
CREDIT_SK = "D#CREDIT"
NOTE_PREFIX = "D#NOTE#"
PENDING_PREFIX = "E#PENDING#"
CLOSED_PREFIX = "Z#CLOSED#"
SETTLED_PREFIX = "Z#PAYMENT#"


# Staff search (services/customers/search_store.py): sparse indexes, only profiles and contacts carry
# their keys (logic/search.py builds them).
ByName = sparse_index("by_name", "name_scope", "name_key")
ByEmail = sparse_index("by_email", "email_scope", "email_key")
ByPortalStatus = sparse_index("by_portal_status", "status_scope", "status_key")


class CustomerItem(KeyedRecord):
    """Every item of a customer's partition; `sk` says which kind it is."""

    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    # profile
    display_name = UnicodeAttribute(null=True)
    company_name = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    billing_address = UnicodeAttribute(null=True)  # JSON of Address
    shipping_address = UnicodeAttribute(null=True)  # JSON of Address
    # profile and contact
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    # contact
    contact_id = UnicodeAttribute(null=True)
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    is_primary = BooleanAttribute(null=True)
    language = UnicodeAttribute(null=True)  # of the emails the contact gets (None = the default)
    portal_status = UnicodeAttribute(null=True)  # projection of portal.auth events
    portal_status_at = UnicodeAttribute(null=True)  # occurred_at of the event that set it
    # receivable (open or closed invoice)
    invoice_id = UnicodeAttribute(null=True)
    number = UnicodeAttribute(null=True)
    invoice_status = UnicodeAttribute(null=True)
    amount_due = NumberAttribute(null=True)
    due_date = UnicodeAttribute(null=True)
    invoice_version = NumberAttribute(null=True)
    # credit (amount + currency) and pending payments (projections of portal.payments)
    balance = NumberAttribute(null=True)
    balance_version = NumberAttribute(null=True)
    invoice_ids = UnicodeSetAttribute(null=True)
    payment_version = NumberAttribute(null=True)
    credit_note_version = NumberAttribute(null=True)  # a credit note's remaining is in `balance`
    # profile and contact: the aggregate's version, carried by its events
    version = NumberAttribute(null=True)
    # tenant settings
    preferences = UnicodeAttribute(null=True)  # JSON of PortalPreferences
    business = UnicodeAttribute(null=True)  # JSON of BusinessProfile
    branding = UnicodeAttribute(null=True)  # JSON of logic.brand.Brand (branding_store.py)
    settings_version = NumberAttribute(null=True)
    # outbox
    event_id = UnicodeAttribute(null=True)
    source = UnicodeAttribute(null=True)
    detail_type = UnicodeAttribute(null=True)
    detail = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)
    # staff search index keys (profile: name and email; contact: email and portal status)
    name_scope = UnicodeAttribute(null=True)
    name_key = UnicodeAttribute(null=True)
    email_scope = UnicodeAttribute(null=True)
    email_key = UnicodeAttribute(null=True)
    status_scope = UnicodeAttribute(null=True)
    status_key = UnicodeAttribute(null=True)

    by_name = ByName()
    by_email = ByEmail()
    by_portal_status = ByPortalStatus()


def partition(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


# ---- customers and contacts ------------------------------------------------------------------------


def _outbox(event: OutboxEvent) -> CustomerItem:
    return CustomerItem(**outbox_item_fields(event, int(time.time())))


def _json(value: Address | Business) -> str:
    """The same compact JSON pydantic wrote for these records before (other services read it)."""
    return json.dumps(asdict(value), separators=(",", ":"), ensure_ascii=False)


def _address_json(address: Address | None) -> str | None:
    return _json(address) if address is not None else None


def _set_keys(item: CustomerItem, keys: dict[str, str]) -> None:
    for name, value in keys.items():
        setattr(item, name, value)


def insert_customer(customer: Customer, event: OutboxEvent) -> None:
    """The profile (version 1) and its CustomerCreated event, in one transaction."""
    item = CustomerItem(
        pk=partition(customer.customer_id),
        sk=PROFILE_SK,
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        currency=customer.currency,
        billing_address=_address_json(customer.billing_address),
        shipping_address=_address_json(customer.shipping_address),
        email=customer.email,
        phone=customer.phone,
        created_at=customer.created_at,
        version=1,
    )
    _set_keys(item, profile_search_keys(customer))
    with transaction() as tx:
        tx.save(item, condition=CustomerItem.pk.does_not_exist())
        tx.save(_outbox(event))


def insert_contact(contact: Contact, event: OutboxEvent, *more: OutboxEvent) -> None:
    """The contact (version 1), its email claim and its ContactAdded event in one transaction: an
    email belongs to one contact only."""
    contact_item = CustomerItem(
        pk=partition(contact.customer_id),
        sk=f"{CONTACT_PREFIX}{contact.contact_id}",
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        is_primary=contact.is_primary,
        language=contact.language,
        created_at=contact.created_at,
        version=1,
    )
    _set_keys(contact_item, contact_search_keys(contact))
    email_claim = CustomerItem(
        pk=f"EMAIL#{contact.email.lower()}",
        sk="CONTACT",
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
    )
    try:
        with transaction() as tx:
            tx.condition_check(
                CustomerItem, partition(contact.customer_id), PROFILE_SK, condition=CustomerItem.pk.exists()
            )
            tx.save(email_claim, condition=CustomerItem.pk.does_not_exist())
            tx.save(contact_item, condition=CustomerItem.pk.does_not_exist())
            for each in (event, *more):
                tx.save(_outbox(each))
    except TransactWriteError as error:
        if cancelled(error):
            raise Conflict("A contact with this email already exists, or the customer does not.") from None
        raise


def _get(pk: str, sk: str) -> CustomerItem | None:
    try:
        return CustomerItem.get(pk, sk, consistent_read=True)
    except CustomerItem.DoesNotExist:
        return None


def customer(customer_id: str) -> Customer | None:
    """The customer at its version (items written before versions count as version 1)."""
    item = _get(partition(customer_id), PROFILE_SK)
    return _customer(item) if item else None


def contact(customer_id: str, contact_id: str) -> Contact | None:
    item = _get(partition(customer_id), f"{CONTACT_PREFIX}{contact_id}")
    return _contact(item) if item else None


def _at_version(version: int) -> Any:
    """The item is still at the version before `version` (optimistic lock)."""
    before = CustomerItem.version == version - 1
    return (before | CustomerItem.version.does_not_exist()) if version == 2 else before


def _set(attribute: Any, value: str | None) -> Any:
    return attribute.set(value) if value is not None else attribute.remove()


def _changed_concurrently(error: TransactWriteError) -> None:
    if cancelled(error):
        raise Conflict("It was changed or removed at the same time. Reload and try again.") from None
    raise error


def update_customer(customer: Customer, event: OutboxEvent, *more: OutboxEvent) -> None:
    """Saves `customer` as its `version` if the stored one is still the version before."""
    try:
        with transaction() as tx:
            tx.update(
                CustomerItem(partition(customer.customer_id), PROFILE_SK),
                actions=[
                    CustomerItem.display_name.set(customer.display_name),
                    _set(CustomerItem.company_name, customer.company_name),
                    CustomerItem.email.set(customer.email),
                    _set(CustomerItem.phone, customer.phone),
                    _set(CustomerItem.billing_address, _address_json(customer.billing_address)),
                    _set(CustomerItem.shipping_address, _address_json(customer.shipping_address)),
                    CustomerItem.version.set(customer.version),
                    *_search_actions(profile_search_keys(customer)),
                ],
                condition=CustomerItem.pk.exists() & _at_version(customer.version),
            )
            for each in (event, *more):
                tx.save(_outbox(each))
    except TransactWriteError as error:
        _changed_concurrently(error)


def _search_actions(keys: dict[str, str]) -> list[Any]:
    return [getattr(CustomerItem, name).set(value) for name, value in keys.items()]


def update_contact(contact: Contact, event: OutboxEvent, *more: OutboxEvent) -> None:
    """Names, phone, primary and language as the contact's `version` (the email stays: it is the
    contact's login)."""
    try:
        with transaction() as tx:
            tx.update(
                CustomerItem(partition(contact.customer_id), f"{CONTACT_PREFIX}{contact.contact_id}"),
                actions=[
                    CustomerItem.first_name.set(contact.first_name),
                    CustomerItem.last_name.set(contact.last_name),
                    _set(CustomerItem.phone, contact.phone),
                    CustomerItem.is_primary.set(contact.is_primary),
                    _set(CustomerItem.language, contact.language),
                    CustomerItem.version.set(contact.version),
                ],
                condition=CustomerItem.pk.exists() & _at_version(contact.version),
            )
            for each in (event, *more):
                tx.save(_outbox(each))
    except TransactWriteError as error:
        _changed_concurrently(error)


def remove_contact(contact: Contact, event: OutboxEvent, *more: OutboxEvent) -> None:
    """The contact and its email claim go, with ContactRemoved (carrying the contact's `version`, one
    above the stored one)."""
    try:
        with transaction() as tx:
            tx.delete(
                CustomerItem(partition(contact.customer_id), f"{CONTACT_PREFIX}{contact.contact_id}"),
                condition=_at_version(contact.version),
            )
            tx.delete(
                CustomerItem(f"EMAIL#{contact.email.lower()}", "CONTACT"),
                condition=CustomerItem.contact_id == contact.contact_id,
            )
            for each in (event, *more):
                tx.save(_outbox(each))
    except TransactWriteError as error:
        _changed_concurrently(error)


def account(customer_id: str) -> Account | None:
    """Profile, contacts, open receivables, credit and pending payments of one customer: one Query.
    None: no such customer."""
    items = list(CustomerItem.query(partition(customer_id), CustomerItem.sk < "Z", consistent_read=False))
    profile = next((item for item in items if item.sk == PROFILE_SK), None)
    if profile is None:
        return None
    return Account(
        customer=_customer(profile),
        contacts=tuple(_contact(item) for item in items if item.sk.startswith(CONTACT_PREFIX)),
        open_receivables=tuple(_receivable(item) for item in items if item.sk.startswith(OPEN_PREFIX)),
        credit=next((_credit(item) for item in items if item.sk == CREDIT_SK), None),
        credit_notes=tuple(_credit(item) for item in items if item.sk.startswith(NOTE_PREFIX)),
        pending_invoices=frozenset(
            invoice_id
            for item in items
            if item.sk.startswith(PENDING_PREFIX)
            for invoice_id in (item.invoice_ids or ())
        ),
    )


def _credit(item: CustomerItem) -> Credit:
    return Credit(amount=int(item.balance or 0), currency=item.currency or "")


def _address(text: str | None) -> Address | None:
    return Address(**json.loads(text)) if text else None


def _customer(item: CustomerItem) -> Customer:
    return Customer(
        customer_id=item.customer_id or "",
        display_name=item.display_name or "",
        company_name=item.company_name,
        email=item.email or "",
        phone=item.phone,
        currency=item.currency or "",
        billing_address=_address(item.billing_address),
        version=int(item.version or 1),
        created_at=item.created_at or "",
        shipping_address=_address(item.shipping_address),
    )


def _contact(item: CustomerItem) -> Contact:
    return Contact(
        contact_id=item.contact_id or "",
        customer_id=item.customer_id or "",
        first_name=item.first_name or "",
        last_name=item.last_name or "",
        email=item.email or "",
        phone=item.phone,
        is_primary=bool(item.is_primary),
        language=cast("Language | None", item.language),  # written from a validated Language only
        portal_status=cast("PortalStatus", item.portal_status or "not_invited"),  # from status_after only
        version=int(item.version or 1),
        created_at=item.created_at or "",
    )


def _receivable(item: CustomerItem) -> Receivable:
    return Receivable(
        invoice_id=item.invoice_id or "",
        status=item.invoice_status or "",
        amount_due=int(item.amount_due or 0),
        currency=item.currency or "",
        due_date=date.fromisoformat(item.due_date or ""),
        number=item.number or "",
    )


# ---- tenant settings (this service owns the record) ------------------------------------------------


def tenant_settings() -> TenantSettings | None:
    """The settings record (the source of shared.preferences for this service)."""
    item = _settings_item()
    if item is None:
        return None
    preferences = (
        PortalPreferences.model_validate_json(item.preferences) if item.preferences else PortalPreferences()
    )
    return TenantSettings(preferences=preferences, business_json=item.business)


def _settings_item() -> CustomerItem | None:
    try:
        return CustomerItem.get(SETTINGS_PK, SETTINGS_SK, consistent_read=True)
    except CustomerItem.DoesNotExist:
        return None


def settings_version() -> int:
    item = _settings_item()
    return int(item.settings_version or 0) if item else 0


def write_preferences(preferences: PortalPreferences, version: int, event: OutboxEvent) -> None:
    _update_settings(version, event, CustomerItem.preferences.set(preferences.model_dump_json()))


def write_business(business: Business, version: int, event: OutboxEvent) -> None:
    _update_settings(version, event, CustomerItem.business.set(_json(business)))


def _update_settings(version: int, event: OutboxEvent, action: Any) -> None:
    """Sets one part of the settings as `version` (read + 1) with its event; a concurrent change in
    between is a Conflict (the caller tries again)."""
    expected = (
        CustomerItem.settings_version.does_not_exist()
        if version == 1
        else CustomerItem.settings_version == version - 1
    )
    try:
        with transaction() as tx:
            tx.update(
                CustomerItem(SETTINGS_PK, SETTINGS_SK),
                actions=[action, CustomerItem.settings_version.set(version)],
                condition=expected,
            )
            tx.save(_outbox(event))
    except TransactWriteError as error:
        if cancelled(error):
            raise Conflict("The settings were changed at the same time. Try again.") from None
        raise


# ---- a contact's sign-in email changed (portal.auth SignInEmailChanged) -----------------------------


def change_contact_email(contact: Contact, old_email: str, event: OutboxEvent) -> None:
    """The contact's email as its `version`, its email claim moved, with ContactChanged: one
    transaction (Conflict: changed meanwhile, or the new address is another contact's)."""
    try:
        with transaction() as tx:
            tx.update(
                CustomerItem(partition(contact.customer_id), f"{CONTACT_PREFIX}{contact.contact_id}"),
                actions=[
                    CustomerItem.email.set(contact.email),
                    CustomerItem.version.set(contact.version),
                    *_search_actions(contact_search_keys(contact)),  # staff find it by the new address
                ],
                condition=CustomerItem.pk.exists() & _at_version(contact.version),
            )
            tx.delete(
                CustomerItem(f"EMAIL#{old_email.lower()}", "CONTACT"),
                condition=CustomerItem.contact_id == contact.contact_id,
            )
            tx.save(
                CustomerItem(
                    pk=f"EMAIL#{contact.email.lower()}",
                    sk="CONTACT",
                    customer_id=contact.customer_id,
                    contact_id=contact.contact_id,
                ),
                condition=CustomerItem.pk.does_not_exist(),
            )
            tx.save(_outbox(event))
    except TransactWriteError as error:
        _changed_concurrently(error)


def email_owner(email: str) -> tuple[str, str] | None:
    """(customer_id, contact_id) of the contact with this email, if any."""
    item = _get(f"EMAIL#{email.lower()}", "CONTACT")
    return (item.customer_id or "", item.contact_id or "") if item else None
