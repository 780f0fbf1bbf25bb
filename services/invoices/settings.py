"""The invoices functions' settings (template.yaml: InvoicesApiFunction, InvoicesDirectoryFunction;
InvoicesOutboxFunction needs only `Common`)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    invoices_table: str = Field(alias="INVOICES_TABLE_NAME")
