"""Request and response contracts of the subscriptions API (catalog, tenant rules, subscriptions,
change previews). Amounts are integer minor units."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool

from shared.contract import Schema
from shared.ids import ID_PATTERN
from shared.line_schemas import CustomerId, Strict
from shared.money import Money, SupportedCurrency

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
Amount = Annotated[int, Field(ge=0, le=10**10)]
CatalogId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
CouponCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Quantity = Annotated[int, Field(ge=1, le=100_000)]
Pricing = Literal["flat", "per_unit"]

# ---- catalog (staff) -------------------------------------------------------------------------------


class PlanRequest(Strict):
    name: Name
    currency: SupportedCurrency
    # 1 = monthly, 12 = yearly, N = every N months
    interval_months: Annotated[int, Field(ge=1, le=36)] = 1
    pricing: Pricing = "flat"
    unit_amount: Amount  # per interval (per unit when per_unit)
    min_quantity: Quantity = 1
    max_quantity: Quantity | None = None
    setup_fee: Amount = 0
    trial_days: Annotated[int, Field(ge=0, le=365)] = 0
    # rules across fields (a flat plan's quantity is 1; max ≥ min): logic/use_cases.add_plan


class PlanView(PlanRequest):
    plan_id: str


class AddonRequest(Strict):
    name: Name
    currency: SupportedCurrency
    recurring: StrictBool = True  # false: billed once when added
    pricing: Pricing = "flat"
    unit_amount: Amount
    plan_ids: list[CatalogId] = Field(default_factory=list, max_length=100)  # empty: every plan


class AddonView(AddonRequest):
    addon_id: str


class CouponRequest(Strict):
    code: CouponCode
    percent_bps: Annotated[int, Field(ge=1, le=10_000)] | None = None  # 2500 = 25 %
    amount_off: Money | None = None
    duration: Literal["once", "cycles", "forever"] = "once"
    cycles: Annotated[int, Field(ge=1, le=120)] | None = None
    expires_on: date | None = None  # last day it can be redeemed
    max_redemptions: Annotated[int, Field(ge=1, le=10**6)] | None = None
    plan_ids: list[CatalogId] = Field(default_factory=list, max_length=100)  # empty: every plan
    # rules across fields (one discount; cycles with "cycles" only): logic/use_cases.add_coupon


class CouponView(CouponRequest):
    redemptions: int


class Catalog(Schema):
    plans: list[PlanView]
    addons: list[AddonView]
    coupons: list[CouponView]


class Rules(Strict):
    """The tenant's rules for what customers may do to their subscriptions (staff set them)."""

    downgrade: Literal["now", "term_end"] = "term_end"
    cancel_now: StrictBool = True  # cancel at once, unused time credited
    cancel_at_term_end: StrictBool = True
    pause: StrictBool = True
    trial_extension_days: Annotated[int, Field(ge=0, le=365)] = 14  # in total, per subscription


# ---- subscriptions -----------------------------------------------------------------------------------


class AddonChoice(Strict):
    addon_id: CatalogId
    quantity: Quantity = 1


class CreateSubscriptionRequest(Strict):
    customer_id: CustomerId
    plan_id: CatalogId
    quantity: Quantity = 1
    addons: list[AddonChoice] = Field(default_factory=list, max_length=20)
    coupon_code: CouponCode | None = None
    starts_at: datetime | None = None  # default: now


class StaffSubscriptionsQuery(Strict):
    customer_id: CustomerId


class ItemView(Schema):
    key: str
    description: str
    unit_amount: Money
    quantity: int
    amount: Money


class LineView(Schema):
    kind: Literal["charge", "credit", "discount"]
    description: str
    amount: Money
    start: datetime
    end: datetime


class CouponApplied(Schema):
    code: str
    percent_bps: int | None
    amount_off: Money | None
    cycles_left: int | None  # None: forever


class SubscriptionSummary(Schema):
    subscription_id: str
    plan_id: str
    plan_name: str
    status: str
    next_renewal_at: datetime | None
    next_invoice_amount: Money | None


class SubscriptionPage(Schema):
    items: list[SubscriptionSummary]


class SubscriptionInvoice(Schema):
    """An invoice that billed the subscription (the invoices service's, as its events told it)."""

    invoice_id: str
    number: str
    status: Literal["sent", "viewed", "partially_paid", "paid", "void"]
    issue_date: date
    due_date: date
    total: Money
    amount_due: Money


class DunningView(Schema):
    invoice_id: str
    invoice_number: str
    failures: int  # auto-charges of this invoice that failed
    next_retry_at: datetime | None  # None: waiting for the outcome, or no retry is left (unpaid)


class SubscriptionDetail(Schema):
    subscription_id: str
    customer_id: str
    currency: str
    status: Literal["trial", "live", "non_renewing", "paused", "cancelled", "unpaid"]
    plan_id: str
    plan_name: str
    interval_months: int
    quantity: int
    items: list[ItemView]
    coupon: CouponApplied | None
    started_at: datetime
    current_period_start: datetime | None
    current_period_end: datetime | None
    trial_ends_at: datetime | None
    paused_until: date | None
    scheduled_plan_id: str | None  # a downgrade waiting for the term's end
    cancel_reason: str | None
    next_renewal_at: datetime | None
    next_invoice_amount: Money | None
    next_invoice_lines: list[LineView]
    allowed: list[str]  # the change actions the tenant's rules allow now
    invoices: list[SubscriptionInvoice]  # the latest invoices that billed it, newest first
    dunning: DunningView | None  # an auto-charge that failed, and when it is tried again


# ---- changes (preview, then apply with the same body) --------------------------------------------


class _Change(Strict):
    # The client never chooses the instant: a change is priced now, or at the instant of the preview
    # named here (issued by the server, single-use, expiring, bound to this subscription as it was
    # and to this exact change), so the applied amounts equal the preview's.
    preview_id: Annotated[str, Field(pattern=ID_PATTERN)] | None = None


class ChangePlan(_Change):
    action: Literal["change_plan"]
    plan_id: CatalogId


class ChangeQuantity(_Change):
    action: Literal["quantity"]
    quantity: Quantity


class AddAddon(_Change):
    action: Literal["add_addon"]
    addon_id: CatalogId
    quantity: Quantity = 1


class RemoveAddon(_Change):
    action: Literal["remove_addon"]
    addon_id: CatalogId


class ApplyCoupon(_Change):
    action: Literal["apply_coupon"]
    code: CouponCode


class Cancel(_Change):
    action: Literal["cancel"]
    when: Literal["now", "term_end"]
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=r"\S")]


class Reactivate(_Change):
    action: Literal["reactivate"]


class Pause(_Change):
    action: Literal["pause"]
    until: date | None = None  # open-ended without


class Resume(_Change):
    action: Literal["resume"]


class ConvertTrial(_Change):
    action: Literal["convert_trial"]


class ExtendTrial(_Change):
    action: Literal["extend_trial"]
    days: Annotated[int, Field(ge=1, le=365)]


class CancelTrial(_Change):
    action: Literal["cancel_trial"]


ChangeRequest = Annotated[
    ChangePlan
    | ChangeQuantity
    | AddAddon
    | RemoveAddon
    | ApplyCoupon
    | Cancel
    | Reactivate
    | Pause
    | Resume
    | ConvertTrial
    | ExtendTrial
    | CancelTrial,
    Field(discriminator="action"),
]


class ChangeBody(Strict):
    change: ChangeRequest


class ChangeQuote(Schema):
    action: str
    at: datetime  # the instant it is priced at (the server's)
    lines: list[LineView]  # billed now, line by line (credits negative)
    due_now: Money
    status_after: str
    next_renewal_at: datetime | None
    next_invoice_amount: Money | None
    next_invoice_lines: list[LineView]


class ChangePreview(ChangeQuote):
    preview_id: str  # send it back with the same change to be billed these amounts (once)
    expires_at: datetime  # after it, preview again


class ChangeApplied(ChangeQuote):
    charge_id: str | None  # the invoice the lines go to (None when nothing is billed)
    subscription: SubscriptionDetail


class PlanOption(Schema):
    plan_id: str
    name: str
    pricing: Pricing
    unit_amount: Money
    interval_months: int
    current: bool


class AddonOption(Schema):
    addon_id: str
    name: str
    pricing: Pricing
    recurring: bool
    unit_amount: Money
    added: bool  # on the subscription already (adding it again sets its quantity)


class PlanOptions(Schema):
    plans: list[PlanOption]
    addons: list[AddonOption]  # the addons that fit the current plan and currency
    min_quantity: int  # the current plan's quantity limits (per-unit plans)
    max_quantity: int | None
