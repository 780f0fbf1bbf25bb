"""Subscription events customers care about become an activity entry and an email to the contacts
(English, or Arabic for a contact who reads Arabic), with the words that fit what happened."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifications.logic.catalog import PLANNERS, SUBSCRIPTION_KINDS, subscription_update
from shared.event_models import (
    ChargeLine,
    SubscriptionCancelled,
    SubscriptionChanged,
    SubscriptionCreated,
    SubscriptionPaused,
    SubscriptionReactivated,
    SubscriptionRenewed,
    TrialEnding,
)
from shared.mail import Branding, render
from shared.money import Money

BRAND = Branding(
    name="RenoTech Solutions",
    sender="RenoTech Solutions <billing@renotech.solutions>",
    portal_url="https://portal.renotech.solutions",
)
BASE: dict[str, Any] = {
    "subscription_id": "sub1",
    "customer_id": "cust1",
    "status": "live",
    "plan_id": "p1",
    "plan_name": "Growth",
    "quantity": 3,
    "currency": "USD",
    "action": "renewal",
    "next_renewal_at": "2027-01-31T00:00:00+00:00",
    "subscription_version": 4,
}
LINE = ChargeLine(
    kind="charge",
    description="Growth × 3",
    amount=Money(amount=90_00, currency="USD"),
    start="2026-12-31T00:00:00+00:00",
    end="2027-01-31T00:00:00+00:00",
)
EVENTS = {
    "renewed": SubscriptionRenewed(**BASE, charge_id="c1", lines=[LINE]),
    "trial_ending": TrialEnding(**{**BASE, "status": "trial"}, trial_ends_at="2026-12-24T09:00:00+00:00"),
    "paused": SubscriptionPaused(**{**BASE, "status": "paused"}, paused_until="2027-02-01"),
    "cancelled": SubscriptionCancelled(
        **{**BASE, "status": "non_renewing", "next_renewal_at": None}, at_term_end=True, reason="Budget"
    ),
    "reactivated": SubscriptionReactivated(**BASE),
    "changed": SubscriptionChanged(**BASE),
}
SUBJECTS = {
    "renewed": ("Your Growth subscription renewed", "تم تجديد اشتراكك في Growth"),
    "trial_ending": ("Your Growth trial ends on Dec 24, 2026", "تنتهي الفترة التجريبية لـ Growth في"),
    "paused": ("Your Growth subscription is paused", "تم إيقاف اشتراكك في Growth مؤقتًا"),
    "cancelled": (
        "Your Growth subscription will end at the end of its term",
        "سينتهي اشتراكك في Growth في نهاية مدته",
    ),
    "reactivated": ("Your Growth subscription is active again", "أصبح اشتراكك في Growth نشطًا من جديد"),
    "changed": ("Your Growth subscription changed", "تم تغيير اشتراكك في Growth"),
}


def test_every_event_customers_care_about_has_the_planner_and_creation_has_none() -> None:
    assert {type(event) for event in EVENTS.values()} == set(SUBSCRIPTION_KINDS)
    for model in SUBSCRIPTION_KINDS:
        assert PLANNERS[(model.source, model.detail_type)] is subscription_update
    assert (SubscriptionCreated.source, SubscriptionCreated.detail_type) not in PLANNERS


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_each_event_is_a_feed_entry_and_an_email_in_english_and_arabic(kind: str) -> None:
    plan = subscription_update(EVENTS[kind], None)
    assert plan.activity is not None and plan.activity.type == "subscription_changed"
    assert plan.activity.link == "/subscriptions/sub1" and "Growth" in plan.activity.title
    [email] = plan.contact_emails
    assert email.template == "subscription_update" and email.contact_id is None
    context = {**email.context, "contact_name": "Maya Chen", "customer_name": "Northwind Studio"}
    english = render("subscription_update", context, brand=BRAND)
    assert english.language == "en" and english.subject == SUBJECTS[kind][0]
    url = email.context["subscription_url"]
    assert url.endswith("/subscriptions/sub1") and url in english.text and f'href="{url}' in english.html
    arabic = render("subscription_update", context, language="ar", brand=BRAND)
    assert arabic.language == "ar" and arabic.subject.startswith(SUBJECTS[kind][1])
    assert 'dir="rtl"' in arabic.html and "مرحبًا Maya Chen" in arabic.text
    assert "You receive this email" not in arabic.text  # the footer is Arabic too


def test_the_email_says_what_was_billed_and_why_it_was_cancelled() -> None:
    renewed = subscription_update(EVENTS["renewed"], None).contact_emails[0].context
    assert renewed["billed"] == {"amount": 90_00, "currency": "USD"}
    text = render(
        "subscription_update", {**renewed, "contact_name": "M", "customer_name": "N"}, brand=BRAND
    ).text
    assert "Billed now:   $90.00" in text
    cancelled = subscription_update(EVENTS["cancelled"], None).contact_emails[0].context
    assert cancelled["billed"] is None and cancelled["at_term_end"] is True
    text = render(
        "subscription_update", {**cancelled, "contact_name": "M", "customer_name": "N"}, brand=BRAND
    ).text
    assert "Reason given: Budget" in text and "will not renew" in text
