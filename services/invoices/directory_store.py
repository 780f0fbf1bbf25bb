"""Invoices' copy of the customers service's facts (InvoicesTable), kept by the directory consumer
from portal.customers events; version-guarded, so a redelivered or older event changes nothing:

  CUSTOMER#<cid>  CUSTOMER  a customer exists (invoices are raised for existing customers only)
  TENANT          SETTINGS  portal preferences (the invoices module on/off)
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from services.invoices.settings import Settings
from shared import projections
from shared.dynamo import KeyedRecord, table_meta
from shared.preferences import PortalPreferences, TenantSettings
from shared.settings import load

TABLE_NAME = load(Settings).invoices_table


class KnownCustomer(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


SettingsItem = projections.settings_model(TABLE_NAME)


def customer_exists(customer_id: str) -> bool:
    try:
        KnownCustomer.get(f"CUSTOMER#{customer_id}", "CUSTOMER", attributes_to_get=["pk"])
    except KnownCustomer.DoesNotExist:
        return False
    return True


def project_customer(customer_id: str, currency: str, version: int) -> bool:
    item = KnownCustomer(
        pk=f"CUSTOMER#{customer_id}",
        sk="CUSTOMER",
        customer_id=customer_id,
        currency=currency,
        version=version,
    )
    return projections.save_if_newer(item, "version")


def tenant_settings() -> TenantSettings | None:
    """This service's copy of the portal settings (the source of shared.preferences here)."""
    return projections.read_settings(SettingsItem)


def copy_preferences(preferences: PortalPreferences, version: int) -> bool:
    return projections.copy_preferences(SettingsItem, preferences, version)


def copy_business(business_json: str, version: int) -> bool:
    return projections.copy_business(SettingsItem, business_json, version)
