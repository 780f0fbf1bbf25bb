"""A contact follows what happens on their account: the Activity page (unread count in the nav, newest
first, older pages, mark all read), a new invoice appearing there, and the same invoice's email in the
local mailbox whose link opens the invoice in the portal."""

import re

import pytest
from playwright.sync_api import Page, expect

from shared.ids import utc_today
from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle, create_invoice

pytestmark = pytest.mark.browser


def test_contact_reads_activity_marks_it_read_and_follows_a_new_entry(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    leo_or_maya = demo.contact(0)
    api = portal.login(leo_or_maya.email, leo_or_maya.password)
    feed = api.get("/activity?limit=20").json
    assert feed["unread_count"] > 10 and feed["next_cursor"]  # the seed's year of invoices

    sign_in(page, base_url, leo_or_maya.email, leo_or_maya.password)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Activity"))).to_contain_text(
        str(min(feed["unread_count"], 99))
    )
    nav.get_by_role("link", name=re.compile(r"^Activity")).click()
    expect(page.get_by_role("heading", name="Activity", level=1)).to_be_visible()
    entries = page.get_by_role("region", name="Activity").get_by_role("listitem")
    expect(entries).to_have_count(10)
    expect(entries.first).to_contain_text(feed["items"][0]["title"])
    # the unread badge (a title may say "New" too: "New reply on …")
    expect(entries.first.locator(".badge", has_text="New")).to_have_count(1)
    page.get_by_role("button", name="Show older activity").click()
    expect(entries).to_have_count(20)
    expect(entries.nth(19)).to_contain_text(feed["items"][19]["title"])

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_have_text("All caught up")
    expect(entries.first.locator(".badge", has_text="New")).to_have_count(0)
    expect(nav.get_by_role("link", name=re.compile(r"^Activity"))).to_have_text("Activity")

    customer_id = api.get("/dashboard").json["customer"]["customer_id"]
    invoice = create_invoice(portal.staff(), customer_id, utc_today().isoformat())
    portal.drain()
    page.reload()
    expect(page.get_by_role("status")).to_have_text("1 unread")
    newest = entries.first
    expect(newest).to_contain_text(f"Invoice {invoice['number']} issued")
    newest.get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}")).to_be_visible()


def test_an_invoice_email_in_the_local_mailbox_opens_the_invoice_in_the_portal(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    contact = demo.contact(1)
    api = portal.login(contact.email, contact.password)
    customer_id = api.get("/dashboard").json["customer"]["customer_id"]
    invoice = create_invoice(portal.staff(), customer_id, utc_today().isoformat())
    portal.drain()
    sign_in(page, base_url, contact.email, contact.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    page.goto(f"{base_url}/_local/mail")
    page.get_by_label("Recipient").fill(contact.email)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=re.compile(f"^Invoice {invoice['number']} from RenoTech Solutions")).click()
    expect(page.get_by_role("heading", name=re.compile(f"^Invoice {invoice['number']}"))).to_be_visible()
    email = page.frame_locator("iframe[title='Email content']")
    expect(email.get_by_text(f"Hi {contact.who.split(',')[0]}")).to_be_visible()
    email.get_by_role("link", name=f"View invoice {invoice['number']}").click()
    expect(page).to_have_url(f"{base_url}/invoices/{invoice['invoice_id']}")
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}")).to_be_visible()
