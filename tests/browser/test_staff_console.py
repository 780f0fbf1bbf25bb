"""A staff member runs a customer from the console: finds it, adds and invites a contact, turns a
contact's access off and on, drafts an invoice with a taxed line, issues it and records a payment
received outside the portal — in English, and the pages pass axe in English and Arabic."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle

pytestmark = pytest.mark.browser

CUSTOMER = "Lumen Health Clinics"  # no other browser test signs in as its contact
# What in the page's main content reaches past the viewport's edges (a table scrolls in its own box).
OVERFLOWING = """() => !document.querySelector('main h1') ? ['no main heading']
  : [...document.querySelectorAll('main *')]
  .filter((el) => !el.closest('.table-wrap table'))
  .filter((el) => { const r = el.getBoundingClientRect();
                    return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
  .map((el) => el.tagName + '.' + el.className)"""


def staff_login(demo: DemoTenant) -> tuple[str, str]:
    staff = next(login for login in demo.logins if "staff" in login.who)
    return staff.email, staff.password


def in_arabic(page: Page) -> None:
    page.evaluate("localStorage.setItem('portal.locale','ar')")
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def in_english(page: Page) -> None:
    page.evaluate("localStorage.setItem('portal.locale','en')")
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_staff_member_runs_a_customer_from_the_console(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    email, password = staff_login(demo)
    sign_in(page, base_url, email, password)
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()

    page.get_by_label("Search by name or email").fill("lumen")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("region", name="Search results")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and the one customer
    assert_accessible(page, "customers list (en)")
    results.get_by_role("link", name=CUSTOMER).click()
    expect(page.get_by_role("heading", name=CUSTOMER, level=1)).to_be_visible()
    contacts = page.get_by_role("region", name="Contact persons")
    expect(contacts.get_by_role("row", name=re.compile("Priya Natarajan"))).to_be_visible()

    # A new contact person, then their invitation.
    newcomer = f"ops.{uuid.uuid4().hex[:8]}@lumenhealth.com"
    add = page.get_by_role("region", name="Add a contact person")
    add.get_by_label("First name").fill("Omar")
    add.get_by_label("Last name").fill("Haddad")
    add.get_by_label("Email").fill(newcomer)
    add.get_by_role("button", name="Add the contact").click()
    expect(add.get_by_role("status")).to_have_text(f"{newcomer} was added. Invite them when you are ready.")
    omar = contacts.get_by_role("row", name=re.compile("Omar Haddad"))
    expect(omar).to_contain_text("Not invited")
    omar.get_by_role("button", name="Invite Omar Haddad").click()
    expect(omar.get_by_role("status")).to_have_text(f"Invitation sent to {newcomer}.")
    expect(omar).to_contain_text("Invited")
    portal.drain()  # auth's InvitationSent reaches the customers service's projection
    page.reload()
    omar = page.get_by_role("region", name="Contact persons").get_by_role(
        "row", name=re.compile("Omar Haddad")
    )
    expect(omar).to_contain_text("Invited")
    expect(omar.get_by_role("button", name="Resend the invitation to Omar Haddad")).to_be_visible()

    # Priya has a login: her access goes off, then on again.
    priya = page.get_by_role("region", name="Contact persons").get_by_role(
        "row", name=re.compile("Priya Natarajan")
    )
    priya.get_by_role("button", name="Turn off access for Priya Natarajan").click()
    expect(priya.get_by_role("status")).to_have_text(
        "Access turned off for Priya Natarajan; their sessions have ended."
    )
    expect(priya).to_contain_text("Off")
    priya.get_by_role("button", name="Turn on access for Priya Natarajan").click()
    expect(priya.get_by_role("status")).to_have_text("Access turned on for Priya Natarajan.")
    expect(priya).to_contain_text("Active")

    # A draft with a taxed line, issued, then paid offline.
    draft = page.get_by_role("region", name="New invoice")
    draft.get_by_label("Description").fill("Console onboarding workshop")
    draft.get_by_label("Quantity").fill("2")
    draft.get_by_label(re.compile(r"Unit price")).fill("150.25")
    draft.get_by_label("Tax name (optional)").fill("Sales tax")
    draft.get_by_label("Tax rate (%)").fill("10")
    draft.get_by_role("button", name="Create the draft").click()
    created = draft.get_by_role("status")
    expect(created).to_contain_text("Draft")
    expect(created).to_contain_text("330.55")  # 2 × 150.25 = 300.50, + 10 % = 330.55
    number = re.search(r"Draft (\S+) created", created.inner_text())
    assert number, created.inner_text()
    invoices = page.get_by_role("region", name="Invoices", exact=True)
    row = invoices.get_by_role("row", name=re.compile(re.escape(number.group(1))))
    expect(row).to_contain_text("Draft")
    row.get_by_role("button", name=f"Issue {number.group(1)}").click()
    expect(invoices.get_by_role("status").first).to_have_text(
        f"{number.group(1)} was issued and sent to the customer."
    )
    expect(row).to_contain_text("Sent")
    row.get_by_role("button", name=f"Record a payment for {number.group(1)}").click()
    payment = page.get_by_role("region", name=f"Record a payment for {number.group(1)}")
    expect(payment.get_by_label(re.compile(r"Amount"))).to_have_value("330.55")
    payment.get_by_label(re.compile(r"Amount")).fill("330.55")
    payment.get_by_label("Method").select_option(label="Cash")
    payment.get_by_role("button", name="Record the payment").click()
    expect(invoices.get_by_role("status").first).to_have_text(
        f"The payment for {number.group(1)} was recorded."
    )
    expect(row).to_contain_text("Paid")
    assert_accessible(page, "customer page (en)")

    api = portal.login(email, password)
    customer_id = page.url.rsplit("/", 1)[1]
    listed = api.get(f"/staff/customers/{customer_id}/invoices").json["items"]
    paid = next(i for i in listed if i["number"] == number.group(1))
    assert paid["status"] == "paid" and paid["total"] == {
        "amount": 330_55,
        "currency": paid["total"]["currency"],
    }

    in_arabic(page)
    expect(page.get_by_role("heading", name="جهات الاتصال")).to_be_visible()
    assert_accessible(page, "customer page (ar)")
    page.get_by_role("link", name="كل العملاء").click()
    expect(page.get_by_role("heading", name="العملاء", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="نتائج البحث").get_by_role("row").first).to_be_visible()
    assert_accessible(page, "customers list (ar)")

    # On a phone's width, in Arabic, the pages scroll their tables, never the page sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(OVERFLOWING) == []
    # Other tests' customers may fill the first page: find this one by name.
    page.locator("#customer-search").fill("lumen")
    page.locator("#customer-search").press("Enter")
    page.get_by_role("region", name="نتائج البحث").get_by_role("link", name=CUSTOMER).click()
    expect(page.get_by_role("heading", name=CUSTOMER, level=1)).to_be_visible()
    assert page.evaluate(OVERFLOWING) == []
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="كل العملاء").click()
    in_english(page)

    # Invite many: every contact of the chosen customers without a login (Omar, not Priya).
    page.get_by_label("Search by name or email").fill("lumen")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("checkbox", name=f"Select {CUSTOMER}").check()
    page.get_by_role("button", name="Invite 1 selected customer").click()
    expect(page.get_by_role("status").filter(has_text="invitation")).to_have_text("1 invitation sent.")
