"""The subscriptions functions' settings (template.yaml: SubscriptionsApiFunction,
SubscriptionsDirectoryFunction; SubscriptionsOutboxFunction needs only `Common`)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    subscriptions_table: str = Field(alias="SUBSCRIPTIONS_TABLE_NAME")
