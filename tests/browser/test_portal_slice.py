"""The foundation slice as a contact lives it: sign in → dashboard → invoices (filter, sort, pages)
→ one invoice → sign out."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.support import DemoTenant, PortalHandle

pytestmark = pytest.mark.browser


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_contact_signs_in_reads_invoices_and_signs_out(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    maya = demo.contact(0)
    api = portal.login(maya.email, maya.password)
    dashboard = api.get("/dashboard").json
    all_invoices = api.get("/invoices?limit=100").json["items"]
    assert len(all_invoices) > 10  # enough for two pages of ten

    sign_in(page, base_url, maya.email, maya.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_text(dashboard["customer"]["display_name"]).first).to_be_visible()
    expect(main.get_by_role("heading", name="Outstanding")).to_be_visible()
    expect(main.get_by_text(f"{dashboard['receivables']['overdue_count']} overdue")).to_be_visible()
    expect(main.get_by_role("heading", name="Contact persons")).to_be_visible()
    expect(main.get_by_text("Maya Chen")).to_be_visible()
    expect(main.get_by_role("heading", name="Contact us")).to_be_visible()
    expect(main.get_by_text("RenoTech Solutions").first).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(10)
    newest = all_invoices[0]["number"]
    expect(rows.first).to_contain_text(newest)

    page.get_by_role("button", name="Next page").click()
    expect(rows).to_have_count(len(all_invoices) - 10)
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_role("button", name="Previous page").click()
    expect(rows.first).to_contain_text(newest)

    page.get_by_label("Status").select_option("paid")
    paid = [i for i in all_invoices if i["status"] == "paid"]
    expect(rows).to_have_count(min(len(paid), 10))
    for n in range(min(len(paid), 10)):
        expect(rows.nth(n)).to_contain_text("Paid")

    page.get_by_label("Status").select_option("")
    page.get_by_label("Sort by").select_option(label="Amount: high to low")
    biggest = max(all_invoices, key=lambda i: i["total"]["amount"])
    expect(rows.first).to_contain_text(biggest["number"])

    rows.first.get_by_role("link", name=biggest["number"]).click()
    expect(page.get_by_role("heading", name=f"Invoice {biggest['number']}")).to_be_visible()
    detail = api.get(f"/invoices/{biggest['invoice_id']}").json
    for line in detail["lines"]:
        expect(page.get_by_text(line["description"])).to_be_visible()
    expect(page.get_by_text("Amount due").first).to_be_visible()
    page.get_by_role("link", name="Back to invoices").click()
    expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name=re.compile("Sign in"))).to_be_visible()
    page.goto(f"{base_url}/invoices")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_wrong_password_shows_an_error(page: Page, base_url: str, demo: DemoTenant) -> None:
    sign_in(page, base_url, demo.contact(0).email, "definitely-not-it")
    expect(page.get_by_role("alert")).to_contain_text("not right")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_dashboard_works_on_a_phone(page: Page, base_url: str, demo: DemoTenant) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, base_url, demo.contact(1).email, demo.contact(1).password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"


def test_staff_member_lands_in_the_console_and_can_sign_out(
    page: Page, base_url: str, demo: DemoTenant
) -> None:
    staff = next(login for login in demo.logins if "staff" in login.who)
    sign_in(page, base_url, staff.email, staff.password)
    expect(page.get_by_role("navigation", name="Staff console")).to_be_visible()
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name=re.compile("Sign in"))).to_be_visible()
