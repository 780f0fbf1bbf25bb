"""The statements functions' settings (template.yaml: StatementsApiFunction, StatementsLedgerFunction,
StatementsDirectoryFunction)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    statements_table: str = Field(alias="STATEMENTS_TABLE_NAME")
