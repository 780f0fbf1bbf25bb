"""The notifications functions' settings (template.yaml: NotificationsApiFunction,
NotificationsDirectoryFunction; NotificationsDeliverFunction's are `Consumer`)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    notifications_table: str = Field(alias="NOTIFICATIONS_TABLE_NAME")


class Consumer(Settings):
    user_pool_id: str = Field(alias="USER_POOL_ID")  # the staff directory (the pool's staff group)
    max_receive_count: int = Field(5, alias="MAX_RECEIVE_COUNT")
