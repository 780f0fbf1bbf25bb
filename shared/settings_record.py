"""The tenant settings item in the customers table, as pynamodb sees it. Shared because every
service reads its preferences; only the customers service writes it."""

from __future__ import annotations

import os

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

import shared.dynamo  # noqa: F401  (its one botocore session per container, also for this model)

TENANT_PK = "TENANT"
SETTINGS_SK = "SETTINGS"


class TenantSettingsRecord(Model):
    class Meta:
        table_name = os.environ.get("CUSTOMERS_TABLE_NAME", "customers")
        region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    preferences = UnicodeAttribute(null=True)  # JSON of PortalPreferences
    business = UnicodeAttribute(null=True)  # JSON of the business profile (customers.schemas)


def read_settings() -> TenantSettingsRecord | None:
    try:
        return TenantSettingsRecord.get(TENANT_PK, SETTINGS_SK, consistent_read=True)
    except TenantSettingsRecord.DoesNotExist:
        return None
