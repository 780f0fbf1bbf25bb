"""Invoices' copy of the customers service's facts (InvoicesTable), kept by the directory consumer
from portal.customers events; version-guarded, so a redelivered or older event changes nothing:

  CUSTOMER#<cid>  CUSTOMER  a customer exists (invoices are raised for existing customers only), and
                            its name, company and email (whom a PDF is addressed to)
  TENANT          SETTINGS  portal preferences (the invoices module on/off) and the business profile
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from services.invoices.settings import Settings
from shared import projections
from shared.business import Party
from shared.dynamo import KeyedRecord, table_meta
from shared.event_models import CustomerFacts
from shared.settings import load

TABLE_NAME = load(Settings).invoices_table


class KnownCustomer(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    display_name = UnicodeAttribute(null=True)
    company_name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model


def customer_exists(customer_id: str) -> bool:
    try:
        KnownCustomer.get(f"CUSTOMER#{customer_id}", "CUSTOMER", attributes_to_get=["pk"])
    except KnownCustomer.DoesNotExist:
        return False
    return True


def project_customer(facts: CustomerFacts) -> bool:
    item = KnownCustomer(
        pk=f"CUSTOMER#{facts.customer_id}",
        sk="CUSTOMER",
        customer_id=facts.customer_id,
        currency=facts.currency,
        display_name=facts.display_name,
        company_name=facts.company_name,
        email=facts.email,
        version=facts.customer_version,
    )
    return projections.save_if_newer(item, "version")


def customer_party(customer_id: str) -> Party | None:
    """Whom this customer's documents are addressed to (None before its first event arrived)."""
    try:
        item = KnownCustomer.get(f"CUSTOMER#{customer_id}", "CUSTOMER")
    except KnownCustomer.DoesNotExist:
        return None
    if not item.display_name:
        return None
    return Party(name=item.display_name, company=item.company_name, email=item.email)


# This service's copy of the portal settings (the source of shared.preferences here).
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business
