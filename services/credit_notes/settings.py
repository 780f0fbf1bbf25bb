"""The credit-notes functions' settings (template.yaml: CreditNotesApiFunction, CreditNotesDirectoryFunction,
CreditNotesInvoicesFunction; CreditNotesOutboxFunction needs only `Common`)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    credit_notes_table: str = Field(alias="CREDIT_NOTES_TABLE_NAME")
