"""The invoices functions' settings (template.yaml: InvoicesApiFunction, InvoicesOutboxFunction)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    invoices_table: str = Field(alias="INVOICES_TABLE_NAME")
