"""The estimates functions' settings (template.yaml: EstimatesApiFunction, EstimatesDirectoryFunction;
EstimatesOutboxFunction needs only `Common`)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    estimates_table: str = Field(alias="ESTIMATES_TABLE_NAME")
