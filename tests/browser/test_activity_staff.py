"""A staff member follows the tenant's activity (filtered by type and customer) and chooses how they
are notified."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle

pytestmark = pytest.mark.browser


def test_staff_member_filters_the_activity_and_changes_notification_settings(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    staff = next(login for login in demo.logins if "staff" in login.who)
    api = portal.login(staff.email, staff.password)
    payments = api.get("/staff/activity?type=payment_received&limit=5").json["items"]
    assert payments, "the demo seed records payments"

    sign_in(page, base_url, staff.email, staff.password)
    page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Activity").click()
    expect(page.get_by_role("heading", name="Staff activity", level=1)).to_be_visible()
    entries = page.get_by_role("region", name="Staff activity").get_by_role("listitem")
    expect(entries).to_have_count(20)

    page.get_by_label("Type").select_option(label="Payment received")
    expect(entries.first).to_contain_text(payments[0]["title"])
    for n in range(min(entries.count(), 5)):
        expect(entries.nth(n)).to_contain_text("Payment received")  # the type, whatever paid it

    entries.first.get_by_role("button", name="Only this customer").click()
    expect(page.get_by_label("Customer ID")).to_have_value(payments[0]["customer_id"])
    own = api.get(f"/staff/activity?type=payment_received&customer_id={payments[0]['customer_id']}").json[
        "items"
    ]
    expect(entries).to_have_count(min(len(own), 20))

    expect(page.get_by_role("region", name="Staff activity")).to_have_attribute("aria-busy", "false")
    if page.get_by_role("button", name="Mark all as read").is_visible():
        page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_have_text("No new notifications")

    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Notification settings").click()
    expect(page.get_by_role("heading", name="Notification settings", level=1)).to_be_visible()
    viewed = page.get_by_label("A contact viewed an invoice")
    expect(viewed).to_have_value("email")
    viewed.select_option(label="In-app only")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved")
    try:
        assert api.get("/staff/notifications/preferences").json["channels"]["invoice_viewed"] == "in_app"
        page.reload()
        expect(page.get_by_label("A contact viewed an invoice")).to_have_value("in_app")
    finally:
        api.put("/staff/notifications/preferences", {"channels": {"invoice_viewed": "email"}})
    expect(page).to_have_url(re.compile(r"/staff/notifications$"))
