"""Request and response contracts of the notifications API: the activity feed and staff members'
notification preferences."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from shared.contract import Schema

Channel = Literal["email", "in_app", "none"]
# What a staff member can choose how to be told about (keys of their preferences).
StaffNotificationType = Literal[
    "invoice_viewed",
    "payment_received",
    "contact_joined",
    "estimate_answered",
    "comment_added",
    "credit_note_requested",
    "customer_details_changed",
    "contact_added_by_customer",
]
STAFF_NOTIFICATION_LABELS: dict[str, str] = {
    "invoice_viewed": "A contact viewed an invoice",
    "payment_received": "A payment was received",
    "contact_joined": "A contact accepted their invitation",
    "estimate_answered": "A customer accepted or declined an estimate",
    "comment_added": "A contact commented on an invoice or estimate",
    "credit_note_requested": "A contact asked for a credit note",
    "customer_details_changed": "A contact changed their own or their customer's details",
    "contact_added_by_customer": "A customer added or removed one of its contact persons",
}
# Every kind of activity entry (the staff feed's type filter).
ActivityType = Literal[
    "invoice_issued",
    "invoice_viewed",
    "payment_received",
    "payment_failed",
    "payment_refunded",
    "credit_created",
    "invoice_voided",
    "contact_joined",
    "estimate_accepted",
    "estimate_declined",
    "comment_added",
    "document_forwarded",
    "credit_note_issued",
    "credit_note_requested",
    "credit_note_answered",
    "security_changed",  # staff only: a contact's password or two-step verification changed
    "customer_details_changed",  # staff only: a contact changed details themselves (self-service)
    "contact_added_by_customer",  # staff only: the primary contact added or removed a contact person
    "subscription_changed",  # renewed, trial ending, paused, cancelled, reactivated or changed
]
DEFAULT_STAFF_CHANNEL: Channel = "email"


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


Cursor = Annotated[str, Field(max_length=2000)]
Limit = Annotated[int, Field(ge=1, le=100)]


class FeedQuery(Strict):
    limit: Limit = 20
    cursor: Cursor | None = None


class StaffFeedQuery(Strict):
    customer_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None = None
    type: ActivityType | None = None
    limit: Limit = 20
    cursor: Cursor | None = None


class ActivityView(Schema):
    activity_id: str  # the id of the event it records
    type: str
    customer_id: str
    title: str
    link: str | None  # a portal path, e.g. /invoices/<id>
    occurred_at: str
    read: bool


class ActivityPage(Schema):
    items: list[ActivityView]
    next_cursor: str | None
    unread_count: int  # at most UNREAD_CAP (the UI shows "99+")


class UnreadCount(Schema):
    unread_count: int


class StaffPreferencesUpdate(Strict):
    channels: dict[StaffNotificationType, Channel]


class StaffNotificationOption(Schema):
    type: str
    label: str
    channel: Channel


class StaffPreferencesView(Schema):
    channels: dict[str, Channel]
    options: list[StaffNotificationOption]
