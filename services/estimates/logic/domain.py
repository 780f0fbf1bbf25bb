"""Estimate (quote) rules, pure: the status life cycle and expiry. Lines and totals are priced by
shared.pricing, the invoices' own rules, so a converted estimate's invoice totals the same.

draft → sent → viewed → accepted → invoiced
                     ↘ declined
A sent or viewed estimate past its expiry date is *expired*: it can no longer be accepted."""

from __future__ import annotations

from datetime import date
from typing import Literal

from shared.errors import Conflict, ValidationFailed
from shared.money import Money
from shared.pricing import Line as Line  # re-exported: the estimate's parts
from shared.pricing import PricedDocument
from shared.pricing import price_line as price_line
from shared.pricing import totals as totals

StoredStatus = Literal["draft", "sent", "viewed", "accepted", "declined", "invoiced"]
EffectiveStatus = Literal["draft", "sent", "viewed", "accepted", "declined", "expired", "invoiced"]
OPEN: tuple[str, ...] = ("sent", "viewed")  # waiting for the customer's answer


def is_expired(status: str, expiry_date: date, today: date) -> bool:
    """Expired once its expiry date has passed (valid through that day)."""
    return status in OPEN and expiry_date < today


def effective_status(status: StoredStatus, expiry_date: date, today: date) -> EffectiveStatus:
    return "expired" if is_expired(status, expiry_date, today) else status


def check_dates(issue_date: date, expiry_date: date) -> None:
    if expiry_date < issue_date:
        raise ValidationFailed("The expiry date cannot be before the issue date.")


def check_send(status: str, total: Money, expiry_date: date, today: date) -> None:
    if status != "draft":
        raise Conflict(f"Only a draft can be sent; this estimate is {status}.")
    if total.amount <= 0:
        raise ValidationFailed("An estimate must total more than zero to be sent.")
    if expiry_date < today:
        raise ValidationFailed("The expiry date has passed; set a later one before sending.")


def check_answer(status: str, expiry_date: date, today: date, answer: str) -> None:
    """Whether the customer may still accept or decline."""
    if status in ("accepted", "declined", "invoiced"):
        raise Conflict(f"This estimate was already {status}.")
    if status not in OPEN:
        raise Conflict(f"This estimate cannot be {answer} now.")
    if is_expired(status, expiry_date, today):
        raise Conflict(
            f"This estimate expired on {expiry_date.isoformat()} and can no longer be {answer}; "
            "ask us for a new one."
        )


def check_convert(status: str) -> None:
    if status != "accepted":
        raise Conflict(f"Only an accepted estimate can be converted to an invoice; this one is {status}.")


class Estimate(PricedDocument):
    estimate_id: str
    status: StoredStatus
    expiry_date: date
    decline_reason: str | None = None
    answered_by_contact_id: str | None = None
    answered_at: str | None = None
