"""Every page in English and Arabic: right-to-left in Arabic, no serious/critical axe violation, no
sideways scrolling on a phone (375 px), a screenshot of each (tests/browser/screenshots/<locale>/);
the header's language switcher, and a contact's saved language adopted on sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from shared.ids import new_id, utc_today
from tests.browser.a11y import assert_accessible
from tests.support import PASSWORD, ApiClient, DemoTenant, PortalHandle, create_invoice

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).with_name("screenshots")
PHONE = {"width": 375, "height": 800}
DIRECTION = {"en": "ltr", "ar": "rtl"}


def _choose_language(page: Page, base_url: str, locale: str) -> None:
    page.goto(f"{base_url}/login")
    page.evaluate(f"localStorage.setItem('portal.locale', '{locale}')")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def _sign_in(page: Page, email: str, password: str) -> None:
    # By field ids: the labels are in the language under test.
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page.locator("nav.nav, nav[aria-label]").first).to_be_visible()


def _settled(page: Page) -> None:
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    expect(page.locator(".loading")).to_have_count(0)


def _check(page: Page, locale: str, name: str) -> None:
    """The page as it is now: direction, axe, phone width, screenshot."""
    _settled(page)
    html = page.locator("html")
    expect(html).to_have_attribute("dir", DIRECTION[locale])
    expect(html).to_have_attribute("lang", locale)
    assert_accessible(page, f"{name} ({locale})")
    page.set_viewport_size(PHONE)
    _settled(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} ({locale}) scrolls sideways on a phone: {width}px wide"
    assert_accessible(page, f"{name} ({locale}, phone)")
    folder = SCREENSHOTS / locale
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _first(api: ApiClient, path: str, key: str) -> str:
    items = api.get(path).json["items"]
    assert items, f"the demo seed has no {path}"
    return str(items[0][key])


def _customer_pages(api: ApiClient) -> list[tuple[str, str]]:
    return [
        ("dashboard", "/"),
        ("invoices", "/invoices"),
        ("invoice", f"/invoices/{_first(api, '/invoices?limit=1', 'invoice_id')}"),
        ("estimates", "/estimates"),
        ("estimate", f"/estimates/{_first(api, '/estimates?limit=1', 'estimate_id')}"),
        ("payments", "/payments"),
        ("credits", "/credits"),
        ("payment-methods", "/payment-methods"),
        ("credit-notes", "/credit-notes"),
        ("credit-note", f"/credit-notes/{_first(api, '/credit-notes?limit=1', 'credit_note_id')}"),
        ("statement", "/statement"),
        ("subscriptions", "/subscriptions"),
        ("subscription", f"/subscriptions/{_first(api, '/subscriptions', 'subscription_id')}"),
        ("activity", "/activity"),
        ("security", "/security"),
        ("profile", "/profile"),
    ]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_customer_page_in_both_languages(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle, locale: str
) -> None:
    maya = demo.contact(0)
    api = portal.login(maya.email, maya.password)
    pages = _customer_pages(api)

    _choose_language(page, base_url, locale)
    _check(page, locale, "sign-in")
    page.goto(f"{base_url}/forgot-password")
    _check(page, locale, "forgot-password")

    page.goto(f"{base_url}/login")
    _sign_in(page, maya.email, maya.password)
    for name, path in pages:
        page.goto(f"{base_url}{path}")
        _check(page, locale, name)
    print(f"\nscreenshots: {SCREENSHOTS / locale}")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_payment_in_both_languages(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, locale: str
) -> None:
    # The demo contact has made no payment (and one would change what other tests read): a new
    # customer pays an invoice by card through the local provider, as its browser would.
    customer = portal.new_customer(staff)
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    started = customer.api.post(
        "/payments",
        {"invoices": [{"invoice_id": invoice["invoice_id"]}]},
        headers={"Idempotency-Key": new_id()},
    )
    assert started.status_code == 201, started.get_data(as_text=True)
    stripe = portal.local.stripe
    assert (
        stripe.browser().pay_with_card(started.json["client_secret"], "4242424242424242")["status"]
        == "succeeded"
    )
    assert stripe.wait_for_webhooks(20)
    portal.drain()

    _choose_language(page, base_url, locale)
    _sign_in(page, customer.email, PASSWORD)
    page.goto(f"{base_url}/payments/{started.json['payment']['payment_id']}")
    _check(page, locale, "payment")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_staff_activity_pages_in_both_languages(
    page: Page, base_url: str, demo: DemoTenant, locale: str
) -> None:
    staff: Any = next(login for login in demo.logins if "staff" in login.who)
    _choose_language(page, base_url, locale)
    _sign_in(page, staff.email, staff.password)
    for name, path in [
        ("staff-activity", "/staff/activity"),
        ("staff-notifications", "/staff/notifications"),
    ]:
        page.goto(f"{base_url}{path}")
        _check(page, locale, name)


def test_the_header_switches_language_at_once_and_remembers_it(
    page: Page, base_url: str, demo: DemoTenant
) -> None:
    maya = demo.contact(0)
    _choose_language(page, base_url, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your billing portal")

    page.get_by_role("button", name="العربية").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("سجّل الدخول إلى بوابة الفواتير")
    expect(page.get_by_role("button", name="العربية")).to_have_attribute("aria-pressed", "true")

    _sign_in(page, maya.email, maya.password)
    expect(page.get_by_role("heading", name="لوحة المعلومات", level=1)).to_be_visible()
    # Amounts follow the language, not only the words: Arabic puts the currency after the number.
    amount = page.locator(".highlight .amount").first.inner_text()
    assert amount.strip("\u200f\u2066\u2069 ").endswith("US$"), amount
    page.reload()
    expect(html).to_have_attribute("dir", "rtl")  # remembered on this device

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def test_a_contact_s_saved_language_is_adopted_when_the_device_has_no_choice(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff)
    updated = staff.put(
        f"/staff/customers/{customer.customer_id}/contacts/{customer.contact_id}",
        {"first_name": "Casey", "last_name": "Arabic", "is_primary": True, "language": "ar"},
    )
    assert updated.status_code == 200, updated.get_data(as_text=True)

    page.goto(f"{base_url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the browser's language: English
    _sign_in(page, customer.email, PASSWORD)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="لوحة المعلومات", level=1)).to_be_visible()


def test_amounts_typed_in_arabic_digits_are_understood(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff)
    lines = [{"description": "Work", "quantity": "1", "unit_price": 100_00}]
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat(), lines=lines)
    portal.drain()  # payments learn the invoice from its event

    _choose_language(page, base_url, "ar")
    _sign_in(page, customer.email, PASSWORD)
    page.goto(f"{base_url}/pay?invoices={invoice['invoice_id']}")
    amount = page.locator(".amount-input")
    expect(amount).to_be_visible()
    amount.fill("٤٠٫٥٠")  # 40.50 in Arabic-Indic digits with the Arabic decimal separator
    expect(page.get_by_test_id("pay-total")).to_contain_text("40.50")
    expect(page.get_by_role("alert")).to_have_count(0)
