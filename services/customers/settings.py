"""The customers functions' settings (template.yaml: CustomersApiFunction and its consumers)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    customers_table: str = Field(alias="CUSTOMERS_TABLE_NAME")
    # Logos staff upload (services/customers/logo_store.py); only the API function has it.
    branding_bucket: str | None = Field(default=None, alias="BRANDING_BUCKET")
