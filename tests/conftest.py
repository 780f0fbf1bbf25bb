"""One local portal (moto server + template.yaml's resources + gateway + worker) per test session,
exactly what `make run` starts; tests create their own customers so they never share data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import ApiClient, DemoTenant, PortalHandle

_local: Any = None


def pytest_configure(config: pytest.Config) -> None:
    # Started before test modules are collected: the services read their table names (from the
    # template's environment) when they are first imported, exactly as a Lambda container does.
    global _local
    import os

    from infra.local.portal import LocalPortal

    # Tokens live as the app client says (15 minutes) under `make run`; the session's fixtures hold a
    # staff token for the whole run, so tests get longer ones unless a test shortens them itself.
    os.environ.setdefault("LOCAL_TOKEN_SECONDS", str(4 * 3600))

    _local = LocalPortal.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _local is not None:
        _local.stop()


@pytest.fixture(scope="session")
def portal() -> Iterator[PortalHandle]:
    yield PortalHandle(_local)


@pytest.fixture(scope="session")
def staff(portal: PortalHandle) -> ApiClient:
    return portal.staff()


@pytest.fixture(scope="session")
def demo(portal: PortalHandle) -> DemoTenant:
    """The `make run` demo tenant, seeded once per session (the browser test uses it)."""
    return portal.seed_demo()


@pytest.fixture
def customer(portal: PortalHandle, staff: ApiClient) -> Any:
    return portal.new_customer(staff)


@pytest.fixture(autouse=True)
def tenant_settings_put_back() -> Iterator[None]:
    """A test may change the tenant's portal preferences or business profile (modules, actions, tax
    rounding, letterhead): whatever it changed is put back after it, through the customers service so
    every service's copy follows, and tests can run in any order. Costs one GetItem when nothing
    changed."""
    if _local is None:
        yield
        return
    from services.customers import store
    from services.customers.logic import use_cases, views
    from shared.preferences import PortalPreferences

    before = store.tenant_settings()
    yield
    after = store.tenant_settings()
    if after == before:
        return
    preferences = before.preferences if before is not None else PortalPreferences()
    if after is None or after.preferences != preferences:
        use_cases.set_preferences(preferences)
    business = views.business_profile(before) if before is not None else None
    if business is not None and (after is None or after.business_json != before.business_json):
        use_cases.set_business(business)
    PortalHandle(_local).drain()
