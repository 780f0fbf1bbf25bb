"""Subscriptions as a contact lives them: upgrade with a line-by-line preview, then confirm (the
amounts billed are the preview's); cancel at term end, then reactivate; pause, then resume."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.support import PASSWORD, ApiClient, PortalHandle

pytestmark = pytest.mark.browser


def test_upgrade_with_preview_cancel_at_term_end_reactivate_pause_resume(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff)
    basic = staff.post(
        "/staff/catalog/plans", {"name": "Starter", "currency": "USD", "unit_amount": 10_00}
    ).json
    staff.post("/staff/catalog/plans", {"name": "Growth", "currency": "USD", "unit_amount": 30_00})
    created = staff.post(
        "/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": basic["plan_id"]}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    sub_id = created.json["subscription_id"]

    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Subscriptions").click()
    expect(page.get_by_role("heading", name="Subscriptions", level=1)).to_be_visible()
    page.get_by_role("link", name="Starter").click()
    expect(page.get_by_role("heading", name="Starter", level=1)).to_be_visible()
    expect(page.get_by_test_id("next-invoice")).to_have_text("$10.00")

    # upgrade: the preview shows the credit and the charge; confirming bills exactly that
    page.get_by_label("Change plan").select_option(label="Growth ($30.00)")
    page.get_by_role("button", name="Preview change").click()
    quote = page.get_by_role("region", name="Preview")
    expect(quote.get_by_text("Unused time on Starter")).to_be_visible()
    expect(quote.get_by_text("Remaining time on Growth")).to_be_visible()
    due = quote.get_by_test_id("due-now").inner_text()
    quote.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Growth", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Billed now")).to_contain_text(due)
    expect(page.get_by_test_id("next-invoice")).to_have_text("$30.00")
    applied = customer.api.get(f"/subscriptions/{sub_id}").json
    assert applied["plan_name"] == "Growth"

    # cancel at term end, then reactivate
    page.get_by_label("Reason for cancelling").fill("Budget review")
    page.get_by_role("button", name="Cancel at term end").click()
    page.get_by_role("region", name="Preview").get_by_role("button", name="Confirm").click()
    expect(page.locator(".badge")).to_have_text("Ends at term end")
    expect(page.get_by_role("button", name="Pause")).to_have_count(0)  # hidden: not allowed now
    page.get_by_role("button", name="Reactivate").click()
    page.get_by_role("region", name="Preview").get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("next-renewal")).not_to_have_text("—")

    # pause (the unused time is credited), then resume
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("region", name="Preview").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("region", name="Preview").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    assert customer.api.get(f"/subscriptions/{sub_id}").json["status"] == "live"


def test_quantity_addon_and_coupon_with_preview_then_past_invoices_listed(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff)
    seats = staff.post(
        "/staff/catalog/plans",
        {"name": "Seats", "currency": "USD", "unit_amount": 5_00, "pricing": "per_unit", "max_quantity": 50},
    ).json
    staff.post("/staff/catalog/addons", {"name": "Priority support", "currency": "USD", "unit_amount": 7_00})
    code = f"TEN{seats['plan_id'][-6:]}".upper()
    staff.post("/staff/catalog/coupons", {"code": code, "percent_bps": 1000, "duration": "forever"})
    created = staff.post(
        "/staff/subscriptions",
        {"customer_id": customer.customer_id, "plan_id": seats["plan_id"], "quantity": 2},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    sub_id = created.json["subscription_id"]
    portal.drain()  # its first invoice reaches the subscription's page

    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/subscriptions/{sub_id}")
    expect(page.get_by_role("heading", name="Seats", level=1)).to_be_visible()
    past = page.get_by_role("region", name="Past invoices")
    first_number = customer.api.get(f"/subscriptions/{sub_id}").json["invoices"][0]["number"]
    expect(past.get_by_role("link", name=first_number)).to_be_visible()
    expect(past.get_by_role("row")).to_have_count(2)  # header + the first period's invoice
    assert_accessible(page, "subscription page (en)")

    # quantity 2 → 5: the preview prices the remaining time; confirming bills exactly that
    page.get_by_label("New quantity").fill("5")
    page.get_by_role("button", name="Preview quantity change").click()
    quote = page.get_by_role("region", name="Preview")
    expect(quote.get_by_test_id("next-after")).to_have_text("$25.00")
    due = quote.get_by_test_id("due-now").inner_text()
    assert_accessible(page, "quantity preview (en)")
    quote.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("quantity")).to_have_text("5")
    expect(page.get_by_role("status").filter(has_text="Billed now")).to_contain_text(due)
    expect(page.get_by_test_id("next-invoice")).to_have_text("$25.00")

    # an addon, previewed then confirmed: the next invoice grows by its price
    page.get_by_label("Add an addon").select_option(label="Priority support ($7.00 each period)")
    page.get_by_role("button", name="Preview addon").click()
    page.get_by_role("region", name="Preview").get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("next-invoice")).to_have_text("$32.00")
    expect(page.get_by_role("button", name="Remove Priority support")).to_be_visible()

    # a coupon: 10 % off from the next invoice
    page.get_by_label("Coupon code").fill(code)
    page.get_by_role("button", name="Preview coupon").click()
    quote = page.get_by_role("region", name="Preview")
    expect(quote.get_by_test_id("next-after")).to_have_text("$28.80")
    quote.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("coupon")).to_have_text(code)

    # the changes' invoices arrive through the invoices service and are listed, each a link
    portal.drain()
    page.reload()
    listed = customer.api.get(f"/subscriptions/{sub_id}").json["invoices"]
    assert len(listed) == 3  # first period, the quantity's proration, the addon's proration
    for invoice in listed:
        expect(
            page.get_by_role("region", name="Past invoices").get_by_role("link", name=invoice["number"])
        ).to_be_visible()
    page.get_by_role("link", name=listed[0]["number"]).click()
    expect(page).to_have_url(f"{base_url}/invoices/{listed[0]['invoice_id']}")

    page.evaluate("localStorage.setItem('portal.locale','ar')")
    page.goto(f"{base_url}/subscriptions/{sub_id}")
    expect(page.get_by_role("heading", name="الفواتير السابقة")).to_be_visible()
    assert_accessible(page, "subscription page (ar)")
    page.goto(f"{base_url}/subscriptions")
    expect(page.get_by_role("heading", name="الاشتراكات", level=1)).to_be_visible()
    assert_accessible(page, "subscriptions list (ar)")


def test_staff_adds_a_plan_and_subscribes_a_customer(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff)
    staff_email = str(staff.get("/me").json["email"])
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Subscriptions").click()
    expect(page.get_by_role("heading", name="Subscriptions", level=1)).to_be_visible()
    assert_accessible(page, "staff subscriptions (en)")

    name = f"Team {customer.customer_id[-6:]}"
    plan_form = page.get_by_role("group", name="Add a plan")
    plan_form.get_by_label("Name").fill(name)
    plan_form.get_by_label("Price per period").fill("12.50")
    plan_form.get_by_role("button", name="Add a plan").click()
    expect(page.get_by_role("status").filter(has_text="Plan added.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=name)).to_be_visible()

    page.get_by_label("Customer ID").fill(customer.customer_id)
    page.get_by_role("button", name="Show subscriptions").click()
    expect(page.get_by_role("status").filter(has_text="No subscriptions.")).to_be_visible()
    page.get_by_label("Plan", exact=True).select_option(label=f"{name} ($12.50 every 1 month)")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Subscription created.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=name)).to_be_visible()
    [created] = customer.api.get("/subscriptions").json["items"]
    assert created["plan_name"] == name and created["next_invoice_amount"]["amount"] == 12_50

    page.get_by_label("Customers may pause").uncheck()
    page.get_by_role("button", name="Save rules").click()
    expect(page.get_by_role("status").filter(has_text="Rules saved.")).to_be_visible()
    assert staff.get("/staff/subscription-rules").json["pause"] is False
    staff.put("/staff/subscription-rules", {})

    page.evaluate("localStorage.setItem('portal.locale','ar')")
    page.reload()
    expect(page.get_by_role("heading", name="الاشتراكات", level=1)).to_be_visible()
    assert_accessible(page, "staff subscriptions (ar)")


def test_staff_opens_a_customers_subscriptions_from_the_customer_page(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff)
    plan = staff.post(
        "/staff/catalog/plans",
        {"name": f"Desk {customer.customer_id[-6:]}", "currency": customer.currency, "unit_amount": 900},
    )
    assert plan.status_code == 201, plan.json
    created = staff.post(
        "/staff/subscriptions",
        {"customer_id": customer.customer_id, "plan_id": plan.json["plan_id"], "quantity": 1},
    )
    assert created.status_code == 201, created.json
    staff_email = str(staff.get("/me").json["email"])
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Staff console")).to_be_visible()
    page.goto(f"{base_url}/staff/customers/{customer.customer_id}")
    page.get_by_role("link", name="Subscriptions of this customer").click()
    expect(page.get_by_label("Customer ID")).to_have_value(customer.customer_id)
    expect(page.get_by_role("row").filter(has_text=plan.json["name"])).to_be_visible()
