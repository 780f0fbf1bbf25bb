"""Every chalice route is in template.yaml with the same path and method, mapped to its service's
function — and every template route exists in that function's chalice app."""

import importlib
import re

from infra.local.template import handler_of, load, routes


def chalice_routes(handler: str) -> set[tuple[str, str]]:
    module_name, _, attribute = handler.rpartition(".")
    app = getattr(importlib.import_module(module_name), attribute)
    return {(path, method) for path, methods in app.routes.items() for method in methods}


def test_routes_match_in_both_directions() -> None:
    template = load()
    by_function: dict[str, set[tuple[str, str]]] = {}
    for route in routes(template):
        by_function.setdefault(route.function, set()).add((route.path, route.method))
    assert set(by_function) == {
        "AuthApiFunction",
        "CustomersApiFunction",
        "InvoicesApiFunction",
        "EstimatesApiFunction",
        "CreditNotesApiFunction",
        "NotificationsApiFunction",
        "PaymentsApiFunction",
        "StatementsApiFunction",
        "SubscriptionsApiFunction",
    }
    for function, template_routes in by_function.items():
        assert chalice_routes(handler_of(template, function)) == template_routes, function


def test_every_api_handler_is_in_its_own_service_folder() -> None:
    template = load()
    for route in routes(template):
        service = re.sub(r"(?<!^)(?=[A-Z])", "_", route.function.removesuffix("ApiFunction")).lower()
        assert handler_of(template, route.function) == f"services.{service}.api.app"


def test_only_the_front_door_is_public() -> None:
    """Sign-in steps, invitations, password recovery, sign-up and SSO: nothing that reads data. And
    the payment providers' webhooks, which carry their own signature (checked before anything); and
    the portal's branding, which anyone sees before signing in."""
    public = {(r.path, r.method) for r in routes(load()) if r.public}
    assert public == {
        ("/auth/login", "POST"),
        ("/auth/login/mfa", "POST"),
        ("/auth/login/mfa-setup", "POST"),
        ("/auth/refresh", "POST"),
        ("/auth/invitations/accept", "POST"),
        ("/auth/password/forgot", "POST"),
        ("/auth/password/reset", "POST"),
        ("/auth/signup", "POST"),
        ("/auth/sso", "GET"),
        ("/auth/sso/token", "POST"),
        ("/webhooks/{provider}", "POST"),
        # The portal's look (name, colour, logo, footer links): the sign-in page shows it.
        ("/branding", "GET"),
        ("/branding/logo", "GET"),
    }
    assert {r.function for r in routes(load()) if r.public} == {
        "AuthApiFunction",
        "PaymentsApiFunction",
        "CustomersApiFunction",
    }
