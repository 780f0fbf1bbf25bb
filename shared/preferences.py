"""The tenant's portal preferences: which modules customers see and which actions they may take.

The customers service owns and writes them and publishes every change (`PortalPreferencesChanged`,
`BusinessProfileChanged`); each other service keeps a copy in its own table from those events. Logic
checks them through `require_module` / `require_action`, given the service's own settings source.
Reads are cached per container for `PREFERENCES_CACHE_SECONDS` (default 30 s) so a request costs no
extra round trip: a change is visible everywhere within queue delay + that TTL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import JsonDict, JsonValue

from shared.errors import ModuleDisabled
from shared.settings import common

Module = Literal["invoices", "payments", "estimates", "credit_notes", "statements", "subscriptions"]

MODULE_LABELS: dict[str, str] = {
    "invoices": "Invoices",
    "payments": "Payments",
    "estimates": "Estimates",
    "credit_notes": "Credit notes",
    "statements": "Statements",
    "subscriptions": "Subscriptions",
}
# Customer actions a tenant may allow or refuse; each service adds its own as it lands.
ACTION_LABELS: dict[str, str] = {
    "pay_invoices": "Pay invoices online",
    "partial_payments": "Pay part of an invoice",
    "save_payment_methods": "Save payment methods",
    "apply_credits": "Apply credit to invoices",
    "comment": "Comment on invoices and estimates",
    "request_credit_notes": "Request credit notes",
    "forward_documents": "Forward invoices and estimates by email",
    "update_details": "Edit their own details and the customer's addresses",
    "manage_contact_persons": "Add and remove their customer's contact persons",
}


_ACTION_NAMES: list[JsonValue] = list(sorted(ACTION_LABELS))
_ACTIONS_SCHEMA: JsonDict = (
    {"propertyNames": {"enum": _ACTION_NAMES}} if ACTION_LABELS else {"maxProperties": 0}
)


def _all_modules_on() -> dict[Module, bool]:
    return dict.fromkeys(
        ("invoices", "payments", "estimates", "credit_notes", "statements", "subscriptions"), True
    )


class PaymentRules(BaseModel):
    """How customers may pay, beyond the on/off actions."""

    model_config = ConfigDict(extra="forbid")

    # The smallest part payment, in minor units of the invoice's currency (a whole payment of a
    # smaller amount due is always allowed).
    partial_minimum: int = Field(default=1000, ge=1, le=10**9)


class DocumentRules(BaseModel):
    """How contacts may forward documents, beyond the on/off action."""

    model_config = ConfigDict(extra="forbid")

    # Off: only to another contact of the same customer. On: to any address.
    forward_to_any_address: bool = False
    # Forwards per customer per rolling hour (a portal must not become a mail relay).
    forwards_per_hour: int = Field(default=10, ge=1, le=1000)


class TaxRules(BaseModel):
    """How documents round tax (always half up, as Zoho): each line's tax on its own (`line`), or each
    tax once on the sum of its lines (`total`; the lines then carry shares of that figure)."""

    model_config = ConfigDict(extra="forbid")

    rounding: Literal["line", "total"] = "line"


class PortalPreferences(BaseModel):
    model_config = ConfigDict(extra="forbid")

    modules: dict[Module, bool] = Field(default_factory=_all_modules_on)
    actions: dict[str, bool] = Field(
        default_factory=lambda: dict.fromkeys(ACTION_LABELS, True),
        # The document names the known actions, so a client (and the fuzzer) knows what is accepted.
        json_schema_extra=_ACTIONS_SCHEMA,
    )
    payments: PaymentRules = Field(default_factory=PaymentRules)
    documents: DocumentRules = Field(default_factory=DocumentRules)
    tax: TaxRules = Field(default_factory=TaxRules)

    @field_validator("actions")
    @classmethod
    def known_actions(cls, actions: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(actions) - set(ACTION_LABELS))
        if unknown:
            raise ValueError(f"unknown portal actions: {', '.join(unknown)}")
        return actions

    def module_enabled(self, module: Module) -> bool:
        return self.modules.get(module, True)

    def action_allowed(self, action: str) -> bool:
        return self.actions.get(action, True)


class TenantSettings(BaseModel):
    preferences: PortalPreferences
    business_json: str | None  # the business profile (shared.business.BusinessProfile as JSON)


# A service's read of its own copy of the settings (the customers service: the record it owns; every
# other service: the projection its consumer keeps from PortalPreferencesChanged/BusinessProfileChanged).
SettingsSource = Callable[[], TenantSettings | None]

# Per source, not per process: locally every function shares one process. The source itself is the key
# (a bound method hashes by its instance, so each service's SettingsCopy.read is its own entry).
_cache: dict[SettingsSource, tuple[float, TenantSettings]] = {}


def load_settings(source: SettingsSource) -> TenantSettings:
    """The tenant settings from `source`, read at most once per PREFERENCES_CACHE_SECONDS per
    container (so a portal read costs no extra round trip)."""
    ttl = common().preferences_cache_seconds
    cached = _cache.get(source)
    if cached and time.monotonic() - cached[0] < ttl:
        return cached[1]
    settings = source() or TenantSettings(preferences=PortalPreferences(), business_json=None)
    _cache[source] = (time.monotonic(), settings)
    return settings


def load_preferences(source: SettingsSource) -> PortalPreferences:
    return load_settings(source).preferences


def forget_cached_preferences() -> None:
    _cache.clear()


def tax_rounding(source: SettingsSource) -> Literal["line", "total"]:
    """How new documents round tax (TaxRules)."""
    return load_preferences(source).tax.rounding


def require_module(module: Module, source: SettingsSource) -> PortalPreferences:
    preferences = load_preferences(source)
    if not preferences.module_enabled(module):
        raise ModuleDisabled(f"{MODULE_LABELS[module]} are not available in this portal.")
    return preferences


def require_action(action: str, source: SettingsSource) -> None:
    if not load_preferences(source).action_allowed(action):
        # The details name the action, so a client can tell which switch refused it.
        raise ModuleDisabled(f"'{ACTION_LABELS[action]}' is turned off for this portal.", {"action": action})
