"""The renewal job (a scheduled function): every subscription whose lifecycle instant has come —
found by the sparse `due_by_time` index, never a Scan — moves on exactly once: a trial's reminder is
sent (TrialEnding, 3 days before its end), a live one renews (its new period billed), a trial ends (its
first period and setup fee billed), a term-end cancellation takes effect, a dated pause ends (a new
period billed), a failed auto-charge is asked for again (logic/dunning.py). Each step is a
version-conditional write with its event, and a renewal's charge id is derived from its period, so two
overlapping runs bill once: the slower run's write fails its condition and it moves on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from services.subscriptions.logic.dunning import charge_request
from services.subscriptions.logic.subscription import Subscription
from services.subscriptions.logic.use_cases import event_of
from shared.errors import Conflict
from shared.event_models import (
    SubscriptionCancelled,
    SubscriptionReactivated,
    SubscriptionRenewed,
    TrialEnding,
)
from shared.events import outbox_event
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.subscriptions import store
else:
    store = lazy_module("services.subscriptions.store")

MAX_STEPS_PER_SUBSCRIPTION = 24  # periods caught up in one run (the next run goes on)


@dataclass
class RunReport:
    renewed: int = 0
    ended: int = 0
    skipped: int = 0  # another run got there first
    reminded: int = 0  # TrialEnding sent
    retried: int = 0  # an auto-charge asked for again (dunning)


def run(now: datetime, batch: int = 100) -> RunReport:
    report = RunReport()
    while True:
        due = store.due(now, batch)
        for sub in due:
            _catch_up(sub, now, report)
        if len(due) < batch:
            return report


def _catch_up(sub: Subscription, now: datetime, report: RunReport) -> None:
    for _ in range(MAX_STEPS_PER_SUBSCRIPTION):
        at = sub.due_at()
        if at is None or at > now:
            return
        try:
            sub = _step(sub, at, report)
        except Conflict:
            report.skipped += 1  # changed meanwhile (another run, or the contact): it is not ours now
            return


def _step(sub: Subscription, at: datetime, report: RunReport) -> Subscription:
    now_epoch = int(at.timestamp())
    if sub.dunning is not None and sub.retry_due(at):
        dunning = sub.dunning
        after = sub.model_copy(update={"dunning": dunning.model_copy(update={"next_retry_at": None})})
        request = charge_request(
            after,
            dunning.invoice_id,
            dunning.invoice_number,
            Money(amount=dunning.amount, currency=sub.currency),
            dunning.failures + 1,
        )
        saved = store.save_with_event(after, outbox_event(request), now_epoch)
        report.retried += 1
        return saved
    if sub.status == "trial" and not sub.trial_reminded:
        assert sub.trial_ends_at is not None
        after = sub.model_copy(update={"trial_reminded": True})
        event = event_of(TrialEnding, after, "trial_ending", [], trial_ends_at=sub.trial_ends_at.isoformat())
        saved = store.save_with_event(after, outbox_event(event), now_epoch)
        report.reminded += 1
        return saved
    if sub.status == "non_renewing":
        after = sub.model_copy(update={"status": "cancelled", "scheduled_plan": None})
        event = event_of(
            SubscriptionCancelled, after, "term_end", [], at_term_end=True, reason=sub.cancel_reason
        )
        saved = store.save_with_event(after, outbox_event(event), now_epoch)
        report.ended += 1
        return saved
    if sub.status == "paused":
        after = sub.model_copy(
            update={"status": "live", "anchor": at, "period_index": 0, "paused_until": None}
        )
        after, lines = after.billed_whole()
        event = event_of(SubscriptionReactivated, after, "pause_ended", lines, charge_id=_charge_id(after))
        saved = store.save_with_event(after, outbox_event(event), now_epoch)
        report.renewed += 1
        return saved
    lines = sub.next_invoice()  # what this renewal bills: the next period, as the page showed it
    after = sub.renewed()
    action = "trial_ended" if sub.status == "trial" else "renewal"
    event = event_of(SubscriptionRenewed, after, action, lines, charge_id=_charge_id(after))
    saved = store.save_with_event(after, outbox_event(event), now_epoch)
    report.renewed += 1
    return saved


def _charge_id(sub: Subscription) -> str:
    """One charge per period start: the same renewal computed twice bills under one id."""
    period = sub.period()
    assert period is not None
    return f"renewal-{sub.subscription_id}-{int(period.start.timestamp())}"
