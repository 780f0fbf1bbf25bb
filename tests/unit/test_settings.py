"""Each function's environment is read once into typed settings; a missing variable fails when the
handler module is imported (the cold start), naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from pydantic import Field

from shared.settings import Common, MissingSettings

GLOBALS = {"TENANT_NAME": "Acme", "PORTAL_URL": "https://p", "MAIL_FROM": "a@b.c", "EVENT_BUS_NAME": "bus"}


class Example(Common):
    table: str = Field(alias="EXAMPLE_TABLE_NAME")
    tries: int = Field(5, alias="EXAMPLE_TRIES")


def test_settings_are_typed_with_defaults() -> None:
    settings = Example.from_environ({**GLOBALS, "EXAMPLE_TABLE_NAME": "t", "EXAMPLE_TRIES": "7"})
    assert settings.table == "t" and settings.tries == 7 and settings.region == "us-east-1"
    assert Example.from_environ({**GLOBALS, "EXAMPLE_TABLE_NAME": "t"}).tries == 5


def test_a_missing_or_invalid_variable_is_named() -> None:
    with pytest.raises(MissingSettings, match="EXAMPLE_TABLE_NAME") as raised:
        Example.from_environ({k: v for k, v in GLOBALS.items() if k != "MAIL_FROM"})
    assert "MAIL_FROM" in str(raised.value)
    with pytest.raises(MissingSettings, match=r"EXAMPLE_TRIES \("):
        Example.from_environ({**GLOBALS, "EXAMPLE_TABLE_NAME": "t", "EXAMPLE_TRIES": "many"})


@pytest.mark.parametrize(
    ("handler", "missing"),
    [
        ("services.invoices.api", "INVOICES_TABLE_NAME"),
        ("services.auth.api", "USER_POOL_CLIENT_ID"),
        ("services.notifications.consumers", "USER_POOL_ID"),
        ("services.customers.consumers", "CUSTOMERS_TABLE_NAME"),
    ],
)
def test_a_handler_without_a_variable_fails_at_import_naming_it(handler: str, missing: str) -> None:
    environment = {
        **GLOBALS,
        "PATH": os.environ.get("PATH", ""),
        "CUSTOMERS_TABLE_NAME": "c",
        "INVOICES_TABLE_NAME": "i",
        "AUTH_TABLE_NAME": "a",
        "NOTIFICATIONS_TABLE_NAME": "n",
        "USER_POOL_ID": "p",
        "USER_POOL_CLIENT_ID": "k",
        "AUTH_KMS_KEY_ID": "kms",
    }
    environment.pop(missing)
    result = subprocess.run(
        [sys.executable, "-c", f"import {handler}"], env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "MissingSettings" in result.stderr and missing in result.stderr
    environment[missing] = "x"
    ok = subprocess.run([sys.executable, "-c", f"import {handler}"], env=environment, capture_output=True)
    assert ok.returncode == 0, ok.stderr


def _environment_of(template: dict[str, Any], function: str) -> dict[str, str]:
    """What Lambda gives the function: Globals' variables, then its own (values only need to exist)."""
    globals_ = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    own = template["Resources"][function]["Properties"].get("Environment", {}).get("Variables", {})
    return {name: value if isinstance(value, str) else "x" for name, value in {**globals_, **own}.items()}


def _functions() -> list[str]:
    from infra.local.template import load, resources_of_type

    return sorted(resources_of_type(load(), "AWS::Serverless::Function"))


@pytest.mark.parametrize("function", _functions())
def test_every_function_starts_with_exactly_its_template_environment(function: str) -> None:
    """Its handler module, and the settings it checks at cold start, need nothing template.yaml does
    not give that function (locally every function shares one environment, so this is where a
    missing variable shows)."""
    from infra.local.template import handler_of, load

    template = load()
    module, _, _ = handler_of(template, function).rpartition(".")
    environment = {
        **_environment_of(template, function),
        "PATH": os.environ.get("PATH", ""),
        "_HANDLER": handler_of(template, function),
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
