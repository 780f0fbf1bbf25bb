"""Notification use cases: deliver one event (activity entry, emails to contacts, staff alerts) exactly
once per recipient, read the activity feeds, and keep staff members' preferences. No boto3 here:
state goes through `store`, email through `shared.mail`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from services.notifications import staff_directory
from services.notifications.logic import directory
from services.notifications.logic.catalog import PLANNERS, ActivityNote, PdfAttachment, Plan
from services.notifications.logic.records import Activity, CustomerFacts, StoredActivity
from services.notifications.schemas import (
    DEFAULT_STAFF_CHANNEL,
    STAFF_NOTIFICATION_LABELS,
    ActivityPage,
    ActivityView,
    Channel,
    FeedQuery,
    StaffFeedQuery,
    StaffNotificationOption,
    StaffPreferencesUpdate,
    StaffPreferencesView,
    UnreadCount,
)
from shared import document_files
from shared.errors import Forbidden
from shared.events import EventData
from shared.ids import utc_now, utc_now_iso
from shared.lazy import lazy_module
from shared.mail import Attachment, branding, send_email
from shared.preferences import load_settings, require_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.notifications import store
else:  # the store (pynamodb, most of botocore) loads on first use, not at the handler's cold start
    store = lazy_module("services.notifications.store")

UNREAD_CAP = 100
Mailer = Callable[..., str]


class NoPlanner(ValueError):
    """An event reached the notifications queue that no planner knows (a rule/catalog mismatch)."""


@dataclass(frozen=True)
class ReceivedEvent:
    event_id: str
    occurred_at: str
    data: EventData


@dataclass(frozen=True)
class Delivery:
    duplicate: bool  # the event had been handled completely before
    emails_sent: int
    emails_skipped: int  # already sent by an earlier, interrupted delivery


# ---- delivering an event ----------------------------------------------------------------------------


def deliver(event: ReceivedEvent, mailer: Mailer = send_email) -> Delivery:
    """Record the event's activity and send its emails. Idempotent by event id: a redelivered event
    sends nothing twice — each email is recorded after SES accepted it, and a retry after a failure
    sends only the ones still missing. Any failure raises (the queue retries, then dead-letters)."""
    done, sent = store.handled_so_far(event.event_id)
    if done:
        return Delivery(duplicate=True, emails_sent=0, emails_skipped=0)
    data = event.data
    planner = PLANNERS.get((data.source, data.detail_type))
    if planner is None:
        raise NoPlanner(f"no notification planner for {data.source} / {data.detail_type}")
    customer_id: str | None = getattr(data, "customer_id", None)
    customer = directory.known_customer(customer_id) if customer_id else None
    plan = planner(data, customer)

    if plan.activity and customer_id:
        store.put_activity(_activity(event, customer_id, plan.activity))
    emails = _emails(plan, customer)
    missing = [email for email in emails if email.key not in sent]
    brand = (
        branding(load_settings(store.tenant_settings)) if missing else None
    )  # read once for all of the event's emails
    files: dict[str, bytes] = {}  # each attached PDF read once for all of the event's emails
    for email in missing:
        attachments = _attachments(email.attachment, files)
        message_id = mailer(
            email.to,
            email.template,
            email.context,
            language=email.language,
            brand=brand,
            attachments=attachments,
        )
        store.record_delivery(event.event_id, email.key, email.to, message_id, utc_now_iso(), _now())
    store.mark_done(event.event_id, _now())
    return Delivery(duplicate=False, emails_sent=len(missing), emails_skipped=len(emails) - len(missing))


@dataclass(frozen=True)
class _Email:
    to: str
    template: str
    context: dict[str, Any]
    language: str | None
    attachment: PdfAttachment | None = None

    @property
    def key(self) -> str:
        return store.delivery_key(self.template, self.to)


def _activity(event: ReceivedEvent, customer_id: str, note: ActivityNote) -> Activity:
    return Activity(
        event_id=event.event_id,
        activity_type=note.type,
        customer_id=customer_id,
        title=note.title,
        link=note.link,
        occurred_at=event.occurred_at,
        staff_only=note.staff_only,
    )


def _emails(plan: Plan, customer: CustomerFacts | None) -> list[_Email]:
    """Every email the plan asks for: to the customer's contacts, and to each staff member whose
    preference for the alert's type is email."""
    emails: list[_Email] = []
    customer_name = customer.name if customer else "your customer"
    for wanted in plan.contact_emails:
        if customer is None:
            break  # no such customer (any more): nobody to write to
        contacts = customer.contacts if wanted.contact_id is None else (customer.contact(wanted.contact_id),)
        for contact in filter(None, contacts):
            context = {**wanted.context, "contact_name": contact.name, "customer_name": customer_name}
            emails.append(
                _Email(contact.email, wanted.template, context, contact.language, wanted.attachment)
            )
    for direct in plan.direct_emails:
        context = {**direct.context, "customer_name": customer_name}
        emails.append(_Email(direct.to, direct.template, context, None, direct.attachment))
    alert = plan.staff_alert
    if alert:
        choices = store.all_staff_channels()
        for member in staff_directory.staff_members():
            if channel_for(choices.get(member.subject, {}), alert.type) == "email":
                context = {
                    **alert.context,
                    "staff_name": member.name or "there",
                    "customer_name": customer_name,
                }
                emails.append(_Email(member.email, alert.template, context, None))
    return emails


def _attachments(attachment: PdfAttachment | None, files: dict[str, bytes]) -> tuple[Attachment, ...]:
    """The email's PDF from the documents bucket. A missing file fails the delivery (the queue
    retries): the producer wrote it before its event, so absence is an outage, not a state."""
    if attachment is None:
        return ()
    if attachment.key not in files:
        content = document_files.read(attachment.key)
        if content is None:
            raise LookupError(f"the attachment {attachment.key} is not in the documents bucket")
        files[attachment.key] = content
    return (Attachment(attachment.filename, files[attachment.key], "application/pdf"),)


def _now() -> int:
    return int(utc_now().timestamp())


# ---- activity feeds -----------------------------------------------------------------------------------


def _view(entry: StoredActivity, read_until: str | None) -> ActivityView:
    activity = entry.activity
    return ActivityView(
        activity_id=activity.event_id,
        type=activity.activity_type,
        customer_id=activity.customer_id,
        title=activity.title,
        link=activity.link,
        occurred_at=activity.occurred_at,
        read=read_until is not None and entry.sort_key <= read_until,
    )


def _contact(caller: Principal) -> tuple[str, str]:
    customer_id = caller.require_customer()
    if not caller.contact_id:
        raise Forbidden("This page is for customer contacts.")
    # The feed tells of invoices (issued, viewed, paid): with the invoices module off it would show
    # what the portal hides everywhere else.
    require_module("invoices", store.tenant_settings)
    return customer_id, caller.contact_id


def customer_feed(caller: Principal, query: FeedQuery) -> ActivityPage:
    """The caller's own customer's activity, newest first (the customer comes from the token only)."""
    customer_id, contact_id = _contact(caller)
    feed = store.contact_feed(customer_id, contact_id, query.limit, query.cursor)
    return ActivityPage(
        items=[_view(entry, feed.read_until) for entry in feed.entries],
        next_cursor=feed.next_cursor,
        unread_count=feed.unread,
    )


def customer_unread(caller: Principal) -> UnreadCount:
    return UnreadCount(unread_count=store.contact_unread(*_contact(caller)))


def customer_mark_read(caller: Principal) -> UnreadCount:
    return UnreadCount(unread_count=store.mark_contact_read(*_contact(caller)))


def _staff_reader(caller: Principal) -> str:
    caller.require_staff()
    return f"STAFF#{caller.subject}"


def _staff_unread(caller: Principal, read_until: str | None) -> int:
    """Entries newer than the member's read marker of the types they chose to be told about."""
    channels = store.staff_channels(caller.subject)
    wanted = {t for t in STAFF_NOTIFICATION_LABELS if channel_for(channels, t) != "none"}
    return sum(1 for t in store.staff_types_newer(read_until, UNREAD_CAP) if t in wanted)


def staff_feed(caller: Principal, query: StaffFeedQuery) -> ActivityPage:
    """All activity, newest first, optionally of one customer and/or one type."""
    reader = _staff_reader(caller)
    entries, cursor = store.staff_activity(query.customer_id, query.type, query.limit, query.cursor)
    read_until = store.read_marker(reader)
    return ActivityPage(
        items=[_view(entry, read_until) for entry in entries],
        next_cursor=cursor,
        unread_count=_staff_unread(caller, read_until),
    )


def staff_mark_read(caller: Principal) -> UnreadCount:
    reader = _staff_reader(caller)
    newest = store.newest_staff_sort_key()
    if newest:
        store.move_read_marker(reader, newest)
    return UnreadCount(unread_count=_staff_unread(caller, store.read_marker(reader)))


# ---- staff preferences ----------------------------------------------------------------------------------


def channel_for(channels: Mapping[str, str], notification_type: str) -> Channel:
    value = channels.get(notification_type, DEFAULT_STAFF_CHANNEL)
    return value if value in ("email", "in_app", "none") else DEFAULT_STAFF_CHANNEL  # type: ignore[return-value]


def _preferences_view(channels: Mapping[str, str]) -> StaffPreferencesView:
    resolved = {t: channel_for(channels, t) for t in STAFF_NOTIFICATION_LABELS}
    return StaffPreferencesView(
        channels=resolved,
        options=[
            StaffNotificationOption(type=t, label=label, channel=resolved[t])
            for t, label in STAFF_NOTIFICATION_LABELS.items()
        ],
    )


def staff_preferences(caller: Principal) -> StaffPreferencesView:
    caller.require_staff()
    return _preferences_view(store.staff_channels(caller.subject))


def set_staff_preferences(caller: Principal, update: StaffPreferencesUpdate) -> StaffPreferencesView:
    """Change some of the caller's own channels (the others keep theirs)."""
    caller.require_staff()
    channels = store.staff_channels(caller.subject)
    channels.update({str(kind): str(channel) for kind, channel in update.channels.items()})
    store.save_staff_channels(caller.subject, caller.email, channels)
    return _preferences_view(channels)
