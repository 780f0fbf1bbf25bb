"""A portal tab lives as long as the refresh cookie, not the ID token: an expired ID token is renewed
without the contact noticing, a new tab opens signed in, and a session ended elsewhere lands on the
sign-in page saying so. The ID token's lifetime is made short for the test (LOCAL_TOKEN_SECONDS,
infra/local/moto_gaps.py; in AWS it is the app client's IdTokenValidity, 15 minutes)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_portal_slice import sign_in
from tests.integration.test_sessions import session_bound
from tests.support import PASSWORD, PortalHandle

pytestmark = pytest.mark.browser
TOKEN_SECONDS = 3


def test_an_expired_id_token_is_renewed_silently_and_a_new_tab_is_signed_in(
    page: Page, base_url: str, portal: PortalHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = portal.new_customer(portal.staff())
    monkeypatch.setenv("LOCAL_TOKEN_SECONDS", str(TOKEN_SECONDS))
    refreshes: list[str] = []
    page.context.on("request", lambda r: refreshes.append(r.url) if r.url.endswith("/auth/refresh") else None)
    sign_in(page, base_url, customer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    refreshes.clear()  # the sign-in page's own try (a tab without a token asks the cookie once)

    time.sleep(TOKEN_SECONDS + session_bound(portal) + 0.5)  # expired, and out of the authorizer's cache
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert len(refreshes) == 1, refreshes  # renewed once, through the cookie
    assert "/login" not in page.url

    second = page.context.new_page()  # its own sessionStorage: no token until the cookie gives one
    second.goto(f"{base_url}/invoices")
    expect(second.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
    assert "/login" not in second.url


def test_a_session_ended_elsewhere_lands_on_sign_in_with_a_message(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    customer = portal.new_customer(portal.staff())
    sign_in(page, base_url, customer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    elsewhere = portal.login(customer.email, PASSWORD)  # another device signs out everywhere
    assert elsewhere.post("/auth/logout").status_code == 204
    time.sleep(session_bound(portal) + 0.5)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your session has ended")
