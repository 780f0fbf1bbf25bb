"""The tenant's branding in the settings record (`TENANT`/`SETTINGS`, attribute `branding`), written
with its BusinessProfileChanged event and the settings version like the rest of the settings."""

from __future__ import annotations

import json
from dataclasses import asdict

from services.customers.logic.brand import Brand
from services.customers.store import CustomerItem, _settings_item, _update_settings
from shared.events import OutboxEvent


def read_branding() -> Brand:
    item = _settings_item()
    if item is None or not item.branding:
        return Brand()
    raw = json.loads(item.branding)
    raw["footer_links"] = tuple(tuple(link) for link in raw.get("footer_links") or ())
    return Brand(**raw)


def write_branding(brand: Brand, version: int, event: OutboxEvent) -> None:
    _update_settings(version, event, CustomerItem.branding.set(json.dumps(asdict(brand))))
