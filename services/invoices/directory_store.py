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
from shared.settings import load

TABLE_NAME = load(Settings).invoices_table


class KnownCustomer(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model


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


# This service's copy of the portal settings (the source of shared.preferences here).
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
