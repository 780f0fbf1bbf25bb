"""My details, as a customer's primary contact lives it: phone and language (the portal turns to
Arabic, right to left), the billing address, a contact person added (and invited by email), and the
sign-in email changed with the code from the mailbox, then used to sign in."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.auth_support import text_of
from tests.browser.a11y import assert_accessible
from tests.browser.test_portal_slice import sign_in
from tests.support import PASSWORD, PortalHandle, mails_to

pytestmark = pytest.mark.browser


def test_the_primary_contact_keeps_their_details_and_their_customers(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    customer = portal.new_customer(portal.staff())
    sign_in(page, base_url, customer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("link", name="My details").click()
    expect(page.get_by_role("heading", name="My details", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Contact persons")).to_be_visible()
    assert_accessible(page, "my details (en)")

    # Phone and language: saving Arabic turns the portal to Arabic, right to left.
    page.get_by_label("Phone").first.fill("+971 4 555 0100")
    page.get_by_role("combobox", name="Language").select_option("ar")
    page.get_by_role("button", name="Save my details").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="بياناتي", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("تم حفظ بياناتك")
    assert customer.api.get("/profile").json["contact"]["phone"] == "+971 4 555 0100"
    page.reload()
    expect(page.get_by_role("heading", name="بياناتي", level=1)).to_be_visible()
    assert_accessible(page, "my details (ar)")
    page.set_viewport_size({"width": 375, "height": 740})  # a phone, right to left: nothing sticks out
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"my details scroll sideways on a phone in Arabic ({width}px)"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.evaluate("localStorage.setItem('portal.locale','en')")
    page.reload()
    expect(page.get_by_role("heading", name="My details", level=1)).to_be_visible()

    # The billing address.
    page.locator("#billing-line1").fill("12 Sheikh Zayed Rd")
    page.locator("#billing-city").fill("Dubai")
    page.locator("#billing-country").fill("ae")
    page.get_by_role("button", name="Save addresses").click()
    expect(page.get_by_role("status")).to_contain_text("addresses have been saved")
    billing = customer.api.get("/profile").json["customer"]["billing_address"]
    assert (billing["line1"], billing["city"], billing["country"]) == ("12 Sheikh Zayed Rd", "Dubai", "AE")

    # A contact person, who gets an invitation.
    person = f"lina.{customer.contact_id.lower()}@example.com"
    page.locator("#person-first-name").fill("Lina")
    page.locator("#person-last-name").fill("Haddad")
    page.locator("#person-email").fill(person)
    page.get_by_role("button", name="Add and invite").click()
    expect(page.get_by_text(re.compile("sending an invitation"))).to_contain_text(person)
    expect(page.locator(".contact-persons")).to_contain_text("Lina Haddad")
    portal.drain()
    [invitation] = mails_to(person)
    assert "/accept-invitation?token=" in text_of(invitation)

    # The sign-in email: password → code mailed to the new address → sign in with it.
    new_email = f"casey.{int(time.time() * 1000)}@new-home.example.com"
    page.get_by_label("New email address").fill(new_email)
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Send a code to the new address").click()
    expect(page.get_by_text(re.compile("We have sent a code"))).to_contain_text(new_email)
    portal.drain()
    code = re.search(r"^\s*(\d{6})\s*$", text_of(mails_to(new_email)[-1]), re.MULTILINE)
    assert code
    page.get_by_label("Code from the email").fill(code.group(1))
    page.get_by_role("button", name="Confirm the new address").click()
    expect(page).to_have_url(re.compile(r"/login"))
    portal.drain()
    sign_in(page, base_url, new_email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert any("sign-in email" in str(m["Subject"]) for m in mails_to(customer.email))
