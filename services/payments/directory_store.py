"""Payments' copy of the invoices and customers services' facts (PaymentsTable), kept by the directory
consumer from their events; version-guarded, so a redelivered or older event changes nothing:

  INVOICE#<id>    INVOICE   an invoice: number, status, amount due (+ open_by_customer index keys)
  CUSTOMER#<cid>  CUSTOMER  the customer (name, email, currency); the same item holds what payments
                            keeps of its own (provider customer, default method, auto-charge, credit)
  CUSTOMER#<cid>  CREDIT_NOTE#<id>  a credit note of the customer: number, status, remaining
                            (portal.credit_notes; part of the customer's one available credit)
  TENANT          SETTINGS  portal preferences + business profile
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from services.payments.settings import Settings
from shared import projections
from shared.dynamo import KeyedRecord, condition_failed, sparse_index, table_meta
from shared.settings import load

TABLE_NAME = load(Settings).payments_table
OPEN_STATUSES = ("sent", "viewed", "partially_paid")

OpenByCustomer = sparse_index("open_by_customer", "open_key", "open_date_key")


class InvoiceCopy(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    invoice_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    number = UnicodeAttribute()
    status = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    due_date = UnicodeAttribute()
    currency = UnicodeAttribute()
    total = NumberAttribute()
    amount_due = NumberAttribute()
    invoice_version = NumberAttribute()
    open_key = UnicodeAttribute(null=True)
    open_date_key = UnicodeAttribute(null=True)

    open_by_customer = OpenByCustomer()


class CustomerItem(KeyedRecord):
    """The customer's projection and payments' own per-customer facts, one item (one read)."""

    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    display_name = UnicodeAttribute(null=True)
    company_name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    customer_version = NumberAttribute(null=True)
    provider_customer_id = UnicodeAttribute(null=True)
    default_method_id = UnicodeAttribute(null=True)
    auto_charge = BooleanAttribute(null=True)
    balance = NumberAttribute(null=True)
    balance_currency = UnicodeAttribute(null=True)
    balance_version = NumberAttribute(null=True)


class CreditNoteCopy(KeyedRecord):
    """A credit note as its newest event has it (`credit_note_version` guard)."""

    Meta = table_meta(TABLE_NAME)

    credit_note_id = UnicodeAttribute(null=True)
    number = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    remaining = NumberAttribute(null=True)
    credit_note_version = NumberAttribute(null=True)


SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business


def invoice_key(invoice_id: str) -> tuple[str, str]:
    return f"INVOICE#{invoice_id}", "INVOICE"


def customer_key(customer_id: str) -> tuple[str, str]:
    return f"CUSTOMER#{customer_id}", "CUSTOMER"


def project_invoice(facts: dict[str, Any]) -> bool:
    """Keep the invoice as its newest event has it (`invoice_version` guard)."""
    item = InvoiceCopy(*invoice_key(facts["invoice_id"]), **facts)
    if facts["status"] in OPEN_STATUSES and facts["amount_due"] > 0:
        item.open_key = facts["customer_id"]
        item.open_date_key = f"{facts['issue_date']}#{facts['invoice_id']}"
    try:
        item.save(
            condition=InvoiceCopy.invoice_version.does_not_exist()
            | (InvoiceCopy.invoice_version < facts["invoice_version"])
        )
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def project_customer(facts: dict[str, Any], version: int) -> bool:
    """Update the customer's facts only (the item's payment fields stay as they are)."""
    return projections.update_if_newer(
        CustomerItem(*customer_key(facts["customer_id"])), "customer_version", version, **facts
    )


def project_credit_note(customer_id: str, facts: dict[str, Any], version: int) -> bool:
    """Keep the credit note as its newest event has it; an older or repeated one changes nothing."""
    item = CreditNoteCopy(f"CUSTOMER#{customer_id}", f"CREDIT_NOTE#{facts['credit_note_id']}")
    return projections.update_if_newer(item, "credit_note_version", version, **facts)
