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
