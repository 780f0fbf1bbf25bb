"""The tenant's portal preferences: which modules customers see and which actions they may take.

The customers service owns and writes the record (`TENANT` / `SETTINGS` in its table); every service
checks it through `require_module` / `require_action` in its logic. Other services may read only
that one item (their IAM policy limits them to the `TENANT` partition key). Reads are cached per
container for `PREFERENCES_CACHE_SECONDS` (default 30 s) so a request costs no extra round trip.
"""

from __future__ import annotations

import os
import time
from typing import Literal

from pydantic import BaseModel, Field

from shared.errors import ModuleDisabled

Module = Literal["invoices"]
Action = Literal["view_invoice_history"]

MODULE_LABELS: dict[str, str] = {"invoices": "Invoices"}
ACTION_LABELS: dict[str, str] = {"view_invoice_history": "See paid and void invoices"}


class PortalPreferences(BaseModel):
    modules: dict[Module, bool] = Field(default_factory=lambda: dict.fromkeys(MODULE_LABELS, True))
    actions: dict[Action, bool] = Field(default_factory=lambda: dict.fromkeys(ACTION_LABELS, True))

    def module_enabled(self, module: Module) -> bool:
        return self.modules.get(module, True)

    def action_allowed(self, action: Action) -> bool:
        return self.actions.get(action, True)


_cache: dict[str, tuple[float, PortalPreferences]] = {}


def load_preferences() -> PortalPreferences:
    ttl = float(os.environ.get("PREFERENCES_CACHE_SECONDS", "30"))
    cached = _cache.get("current")
    if cached and time.monotonic() - cached[0] < ttl:
        return cached[1]
    from shared.settings_record import read_preferences

    preferences = read_preferences()
    _cache["current"] = (time.monotonic(), preferences)
    return preferences


def forget_cached_preferences() -> None:
    _cache.clear()


def require_module(module: Module) -> PortalPreferences:
    preferences = load_preferences()
    if not preferences.module_enabled(module):
        raise ModuleDisabled(f"{MODULE_LABELS[module]} are not available in this portal.")
    return preferences


def require_action(action: Action) -> None:
    if not load_preferences().action_allowed(action):
        raise ModuleDisabled(f"'{ACTION_LABELS[action]}' is turned off for this portal.")
