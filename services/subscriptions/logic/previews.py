"""The instant a change is priced at is always the server's (issue 21: a client-chosen, back-dated
instant let "add 99 seats now, remove them 15 minutes ago" mint credit every round).

A change is priced now, or at the instant of a preview the server issued: each preview is stored
(`PREVIEW#<id>`), expires after PREVIEW_VALID_FOR, and is bound to the subscription, the state it
was previewed in (its version: a quote kept while seats change would credit the time between) and
the exact change. The change that uses it deletes it in its own transaction, so it is used once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from services.subscriptions.logic.domain import Change
from services.subscriptions.logic.subscription import Preview, Subscription
from shared.errors import DomainError
from shared.ids import new_id, utc_now
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.subscriptions import store
else:
    store = lazy_module("services.subscriptions.store")

PREVIEW_VALID_FOR = timedelta(minutes=10)
Reason = Literal["expired_or_used", "another_subscription", "subscription_changed", "another_change"]


class PreviewNotUsable(DomainError):
    status = 409
    code = "preview_not_usable"

    def __init__(self, reason: Reason) -> None:
        super().__init__(
            "This preview can no longer be used (it expired, was used, or was for another change or an "
            "earlier state of the subscription); preview the change again.",
            {"reason": reason},
        )


def change_key(change: Change) -> str:
    """The change as the preview saw it (without the preview's own id)."""
    return json.dumps(change.model_dump(mode="json", exclude={"preview_id"}), sort_keys=True)


def issue(sub: Subscription, change: Change, at: datetime) -> Preview:
    """Store the preview of `change` priced at `at` (the server's instant)."""
    preview = Preview(
        preview_id=new_id(),
        subscription_id=sub.subscription_id,
        customer_id=sub.customer_id,
        subscription_version=sub.version,
        change=change_key(change),
        at=at,
        expires_at=at + PREVIEW_VALID_FOR,
    )
    store.save_preview(preview)
    return preview


def instant_for(sub: Subscription, change: Change) -> tuple[datetime, str | None]:
    """The instant to price `change` at, and the preview to use up with it (None: priced now)."""
    if change.preview_id is None:
        return utc_now(), None
    preview = store.get_preview(change.preview_id)
    if preview is None or preview.expires_at <= utc_now():
        raise PreviewNotUsable("expired_or_used")
    if preview.subscription_id != sub.subscription_id or preview.customer_id != sub.customer_id:
        raise PreviewNotUsable("another_subscription")
    if preview.subscription_version != sub.version:
        raise PreviewNotUsable("subscription_changed")
    if preview.change != change_key(change):
        raise PreviewNotUsable("another_change")
    return preview.at, preview.preview_id
