"""Saved payment methods: a SetupIntent the browser confirms; the method is saved once the setup
succeeded (its webhook, or the list the confirming browser asks for naming that setup); remove,
default, auto-charge. A customer has at most OPEN_SETUPS_MAX setups open at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from services.payments.logic.domain import SavedMethod
from services.payments.logic.use_cases import PROVIDER, _customer_prefs, _provider_customer
from services.payments.logic.views import method_view
from services.payments.schemas import MethodsView, SetupStarted
from shared.errors import NotFound, TooManyAttempts
from shared.ids import new_id, utc_now, utc_now_iso
from shared.lazy import lazy_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.payments import providers, store
else:
    store = lazy_module("services.payments.store")
    providers = lazy_module("services.payments.providers")

NO_METHOD = "No saved payment method with this id."
# Each open setup is a provider object: a few at once is plenty (one per browser tab).
OPEN_SETUPS_MAX = 5
# An unfinished setup older than this no longer holds a place (checked with the provider, then dropped).
SETUP_ABANDONED_AFTER = timedelta(hours=1)


def listing(caller: Principal, setup_id: str | None = None) -> MethodsView:
    """Setups complete from their webhooks; only the one the caller's browser just confirmed (and only
    if it is the caller's) is re-read, so a list costs at most one provider call."""
    customer_id, _ = _customer_prefs(caller)
    account, saved, setups = store.methods(customer_id)
    if setup_id is not None and setup_id in setups and complete_setup(customer_id, setup_id):
        account, saved, _ = store.methods(customer_id)
    return _view(account.default_method_id, account.auto_charge, saved)


def _view(default_id: str | None, auto_charge: bool, saved: list[SavedMethod]) -> MethodsView:
    ordered = sorted(saved, key=lambda m: m.created_at)
    return MethodsView(
        methods=[method_view(m, default_id) for m in ordered],
        default_method_id=default_id,
        auto_charge=auto_charge,
    )


def start_setup(caller: Principal) -> SetupStarted:
    customer_id, _ = _customer_prefs(caller, "save_payment_methods")
    _make_room_for_a_setup(customer_id)
    account = store.account(customer_id)
    provider = providers.provider(PROVIDER)
    provider_customer = account.provider_customer_id or _provider_customer(caller, account)
    setup = provider.create_setup(provider_customer)
    store.open_setup(customer_id, setup.id)
    return SetupStarted(
        setup_id=setup.id,
        client_secret=setup.client_secret,
        publishable_key=provider.publishable_key,
        js_url=provider.js_url,
    )


def _make_room_for_a_setup(customer_id: str) -> None:
    """At the cap, abandoned setups give their place back (each checked once with the provider: a
    late success is still saved); otherwise 429 until the oldest is abandoned."""
    _, _, setups = store.methods(customer_id)
    if len(setups) < OPEN_SETUPS_MAX:
        return
    opened = store.setups_opened_at(customer_id)
    cutoff = (utc_now() - SETUP_ABANDONED_AFTER).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    for setup_id in setups:
        if opened.get(setup_id, "") < cutoff and not complete_setup(customer_id, setup_id):
            store.close_setup(customer_id, setup_id, None, make_default=False)
    _, _, setups = store.methods(customer_id)
    if len(setups) >= OPEN_SETUPS_MAX:
        oldest = min((opened.get(s, "") for s in setups), default="")
        wait = _seconds_until_abandoned(oldest)
        raise TooManyAttempts(
            f"{OPEN_SETUPS_MAX} payment methods are already being added: finish one, or try again later.",
            wait,
        )


def _seconds_until_abandoned(opened_at: str) -> int:
    if not opened_at:
        return 60
    left = datetime.fromisoformat(opened_at) + SETUP_ABANDONED_AFTER - utc_now()
    return max(1, int(left.total_seconds()))


def complete_setup(customer_id: str, setup_id: str) -> bool:
    """Save the method of a succeeded setup (once); a cancelled setup is closed. False: still open."""
    setup = providers.provider(PROVIDER).get_setup(setup_id)
    facts = setup.method
    if setup.status == "succeeded" and facts is not None and facts.id:
        method = SavedMethod(
            method_id=new_id(),
            provider_method_id=facts.id,
            kind=facts.kind,
            brand=facts.brand,
            last4=facts.last4,
            exp_month=facts.exp_month,
            exp_year=facts.exp_year,
            created_at=utc_now_iso(),
        )
        account = store.account(customer_id)
        store.close_setup(customer_id, setup_id, method, make_default=account.default_method_id is None)
        return True
    if setup.status == "canceled":
        store.close_setup(customer_id, setup_id, None, make_default=False)
        return True
    return False


def _own(customer_id: str, method_id: str) -> tuple[SavedMethod, str | None, bool]:
    account, saved, _ = store.methods(customer_id)
    for method in saved:
        if method.method_id == method_id:
            return method, account.default_method_id, account.auto_charge
    raise NotFound(NO_METHOD)


def remove(caller: Principal, method_id: str) -> MethodsView:
    customer_id, _ = _customer_prefs(caller)
    method, default_id, _ = _own(customer_id, method_id)
    providers.provider(PROVIDER).detach_method(method.provider_method_id)
    store.remove_method(customer_id, method_id, was_default=default_id == method_id)
    account, saved, _ = store.methods(customer_id)
    return _view(account.default_method_id, account.auto_charge, saved)


def make_default(caller: Principal, method_id: str) -> MethodsView:
    customer_id, _ = _customer_prefs(caller)
    if not store.set_default_method(customer_id, method_id):
        raise NotFound(NO_METHOD)
    account, saved, _ = store.methods(customer_id)
    return _view(account.default_method_id, account.auto_charge, saved)


def auto_charge(caller: Principal, enabled: bool) -> MethodsView:
    customer_id, _ = _customer_prefs(caller)
    store.set_auto_charge(customer_id, enabled)
    account, saved, _ = store.methods(customer_id)
    return _view(account.default_method_id, account.auto_charge, saved)
