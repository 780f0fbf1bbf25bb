"""Customers table: one partition per customer, read in one Query for the dashboard.

  CUSTOMER#<cid>  A#PROFILE            the customer's account details
  CUSTOMER#<cid>  B#CONTACT#<id>       its contact persons
  CUSTOMER#<cid>  C#OPEN#<invoice>     receivables: open invoices (projection of invoice events)
  CUSTOMER#<cid>  Z#CLOSED#<invoice>   closed invoices' last version, so a late event cannot reopen one
  EMAIL#<email>   CONTACT              one contact per email address across the tenant
  TENANT          SETTINGS             portal preferences and business profile (shared.settings_record)

The dashboard query is `sk < "Z"`: everything of the customer but the tombstones, so its cost does not
grow with the customer's history of paid invoices.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError

from services.customers.logic.domain import Account, Address, Contact, Customer, Receivable
from services.customers.schemas import BusinessProfile
from services.customers.settings import Settings
from shared.dynamo import KeyedRecord, condition_failed, conditional_transaction, table_meta
from shared.errors import Conflict
from shared.money import Money
from shared.preferences import PortalPreferences
from shared.settings import load
from shared.settings_record import SETTINGS_SK, TENANT_PK, TenantSettingsRecord

SETTINGS = load(Settings)
TABLE_NAME = SETTINGS.customers_table
PROFILE_SK = "A#PROFILE"
CONTACT_PREFIX = "B#CONTACT#"
OPEN_PREFIX = "C#OPEN#"
CLOSED_PREFIX = "Z#CLOSED#"


class CustomerItem(KeyedRecord):
    """Every item of a customer's partition; `sk` says which kind it is."""

    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    # profile
    display_name = UnicodeAttribute(null=True)
    company_name = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    billing_address = UnicodeAttribute(null=True)  # JSON of Address
    # profile and contact
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    # contact
    contact_id = UnicodeAttribute(null=True)
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    is_primary = BooleanAttribute(null=True)
    portal_status = UnicodeAttribute(null=True)  # projection of portal.auth events
    portal_status_at = UnicodeAttribute(null=True)  # occurred_at of the event that set it
    # receivable (open or closed invoice)
    invoice_id = UnicodeAttribute(null=True)
    number = UnicodeAttribute(null=True)
    invoice_status = UnicodeAttribute(null=True)
    amount_due = NumberAttribute(null=True)
    due_date = UnicodeAttribute(null=True)
    invoice_version = NumberAttribute(null=True)


def _partition(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


# ---- customers and contacts ------------------------------------------------------------------------


def insert_customer(customer: Customer) -> None:
    item = CustomerItem(
        pk=_partition(customer.customer_id),
        sk=PROFILE_SK,
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        currency=customer.currency,
        billing_address=json.dumps(asdict(customer.billing_address)) if customer.billing_address else None,
        email=customer.email,
        phone=customer.phone,
        created_at=customer.created_at,
    )
    item.save(condition=CustomerItem.pk.does_not_exist())


def insert_contact(contact: Contact) -> None:
    """The contact and its email claim in one transaction: an email belongs to one contact only."""
    contact_item = CustomerItem(
        pk=_partition(contact.customer_id),
        sk=f"{CONTACT_PREFIX}{contact.contact_id}",
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        is_primary=contact.is_primary,
        created_at=contact.created_at,
    )
    email_claim = CustomerItem(
        pk=f"EMAIL#{contact.email.lower()}",
        sk="CONTACT",
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
    )
    with conditional_transaction() as tx:
        tx.condition_check(
            CustomerItem, _partition(contact.customer_id), PROFILE_SK, condition=CustomerItem.pk.exists()
        )
        tx.save(email_claim, condition=CustomerItem.pk.does_not_exist())
        tx.save(contact_item, condition=CustomerItem.pk.does_not_exist())
    if not tx.committed:
        raise Conflict("A contact with this email already exists, or the customer does not.")


def account(customer_id: str) -> Account | None:
    """Profile, contacts and open receivables of one customer: one Query. None: no such customer."""
    items = list(CustomerItem.query(_partition(customer_id), CustomerItem.sk < "Z", consistent_read=False))
    profile = next((item for item in items if item.sk == PROFILE_SK), None)
    if profile is None:
        return None
    return Account(
        customer=_customer(profile),
        contacts=tuple(_contact(item) for item in items if item.sk.startswith(CONTACT_PREFIX)),
        open_receivables=tuple(_receivable(item) for item in items if item.sk.startswith(OPEN_PREFIX)),
    )


def _customer(item: CustomerItem) -> Customer:
    address = Address(**json.loads(item.billing_address)) if item.billing_address else None
    return Customer(
        customer_id=item.customer_id or "",
        display_name=item.display_name or "",
        company_name=item.company_name,
        email=item.email or "",
        phone=item.phone,
        currency=item.currency or "",
        billing_address=address,
        created_at=item.created_at or "",
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
        portal_status=item.portal_status or "not_invited",
        created_at=item.created_at or "",
    )


def _receivable(item: CustomerItem) -> Receivable:
    return Receivable(
        invoice_id=item.invoice_id or "",
        status=item.invoice_status or "",
        amount_due=Money(amount=int(item.amount_due or 0), currency=item.currency or ""),
        due_date=date.fromisoformat(item.due_date or ""),
    )


# ---- receivables projection ------------------------------------------------------------------------


def project_open_invoice(
    customer_id: str,
    invoice_id: str,
    number: str,
    status: str,
    amount_due: int,
    currency: str,
    due_date: str,
    invoice_version: int,
) -> bool:
    """Upsert an open receivable unless a newer (or the same) version was applied, or the invoice is
    closed. False means the event was stale or a redelivery: nothing changed."""
    item = CustomerItem(
        pk=_partition(customer_id),
        sk=f"{OPEN_PREFIX}{invoice_id}",
        customer_id=customer_id,
        invoice_id=invoice_id,
        number=number,
        invoice_status=status,
        amount_due=amount_due,
        currency=currency,
        due_date=due_date,
        invoice_version=invoice_version,
    )
    with conditional_transaction() as tx:
        tx.condition_check(
            CustomerItem,
            _partition(customer_id),
            f"{CLOSED_PREFIX}{invoice_id}",
            condition=CustomerItem.pk.does_not_exist(),
        )
        tx.save(
            item,
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.invoice_version < invoice_version),
        )
    return tx.committed


def project_closed_invoice(customer_id: str, invoice_id: str, invoice_version: int) -> bool:
    tombstone = CustomerItem(
        pk=_partition(customer_id),
        sk=f"{CLOSED_PREFIX}{invoice_id}",
        customer_id=customer_id,
        invoice_id=invoice_id,
        invoice_version=invoice_version,
    )
    with conditional_transaction() as tx:
        tx.save(
            tombstone,
            condition=CustomerItem.pk.does_not_exist() | (CustomerItem.invoice_version < invoice_version),
        )
        tx.delete(CustomerItem(pk=_partition(customer_id), sk=f"{OPEN_PREFIX}{invoice_id}"))
    return tx.committed


# ---- tenant settings (this service owns the record) ------------------------------------------------


def write_preferences(preferences: PortalPreferences) -> None:
    _update_settings(preferences=preferences.model_dump_json())


def write_business(business: BusinessProfile) -> None:
    _update_settings(business=business.model_dump_json())


def _update_settings(**fields: Any) -> None:
    record = TenantSettingsRecord(TENANT_PK, SETTINGS_SK)
    record.update(actions=[getattr(TenantSettingsRecord, name).set(value) for name, value in fields.items()])


def project_portal_status(customer_id: str, contact_id: str, status: str, occurred_at: str) -> bool:
    """Sets a contact's portal status unless a later event already did (redelivered and out-of-order
    auth events change nothing). False when nothing changed or the contact does not exist."""
    item = CustomerItem(pk=_partition(customer_id), sk=f"{CONTACT_PREFIX}{contact_id}")
    try:
        item.update(
            actions=[CustomerItem.portal_status.set(status), CustomerItem.portal_status_at.set(occurred_at)],
            condition=CustomerItem.pk.exists()
            & (
                CustomerItem.portal_status_at.does_not_exist() | (CustomerItem.portal_status_at < occurred_at)
            ),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
