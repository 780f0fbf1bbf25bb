"""Notifications table: with directory_store.py (its copy of the customers service's facts) the only
modules of this service that talk to DynamoDB (the staff directory, the user pool, is
`staff_directory.py`).

  FEED#<cid>                  <occurred_at>#<event_id>  activity a customer's contacts see
  FEED#<cid>                  ~STATE                    the feed's entry count and each contact's read
                                                        position; sorts after every entry, so the newest-
                                                        first Query that reads a page reads it too
  FEED#<cid>#STAFF            <occurred_at>#<event_id>  activity about a customer only staff see
  EVENT#<event_id>            DONE                      the event was fully handled (dedupe; TTL)
  EVENT#<event_id>            EMAIL#<template>#<to>     one email sent for the event (TTL)
  READ#STAFF#<sub>            FEED                      a staff member's read marker (sk <= read_until: read)
  STAFF_PREFERENCES           MEMBER#<sub>              a staff member's channels per notification type

Every activity entry also carries the keys of four sparse indexes for the staff feed, all sorted by
`time_key` (= sk): staff_feed (`staff_key` = ALL), staff_by_customer (`customer_key`), staff_by_type
(`type_key`) and staff_by_customer_type (`customer_type_key` = <cid>#<type>).

Customers and contacts come from this table's projection (directory_store.py, one Query of the
customer's partition); staff members are the user pool's `staff` group.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from services.notifications.directory_store import (  # re-exported: logic reads the projection here
    customer_facts as customer_facts,
)
from services.notifications.directory_store import (
    tenant_settings as tenant_settings,
)
from services.notifications.logic.records import (
    Activity,
    ContactFeed,
    StoredActivity,
)
from services.notifications.settings import Settings
from shared.dynamo import (
    KeyedRecord,
    Paging,
    condition_failed,
    conditional_transaction,
    cursor_after,
    decode_cursor,
    query_page,
    sparse_index,
    table_meta,
)
from shared.errors import Conflict
from shared.settings import load

SETTINGS = load(Settings)
TABLE_NAME = SETTINGS.notifications_table
DELIVERY_TTL_SECONDS = 30 * 24 * 3600  # longer than any queue keeps a message (14 days)
ALL = "ALL"
FEED_STATE_SK = "~STATE"  # "~" sorts after the entries' "<year>-…" sort keys


StaffFeed = sparse_index("staff_feed", "staff_key", "time_key")
StaffByCustomer = sparse_index("staff_by_customer", "customer_key", "time_key")
StaffByType = sparse_index("staff_by_type", "type_key", "time_key")
StaffByCustomerType = sparse_index("staff_by_customer_type", "customer_type_key", "time_key")


class NotificationItem(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    # activity entry
    event_id = UnicodeAttribute(null=True)
    activity_type = UnicodeAttribute(null=True)
    customer_id = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    link = UnicodeAttribute(null=True)
    occurred_at = UnicodeAttribute(null=True)
    staff_key = UnicodeAttribute(null=True)
    customer_key = UnicodeAttribute(null=True)
    type_key = UnicodeAttribute(null=True)
    customer_type_key = UnicodeAttribute(null=True)
    time_key = UnicodeAttribute(null=True)
    # delivery record / done marker
    recipient = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    sent_at = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)
    # read marker (staff)
    read_until = UnicodeAttribute(null=True)
    # a customer feed's state: entries ever added, and how far each contact has read
    total = NumberAttribute(null=True)
    read_by = UnicodeAttribute(null=True)  # JSON {contact_id: {"until": <sk>, "total": <total then>}}
    # staff preferences
    channels = UnicodeAttribute(null=True)  # JSON {type: channel}
    email = UnicodeAttribute(null=True)

    staff_feed = StaffFeed()
    staff_by_customer = StaffByCustomer()
    staff_by_type = StaffByType()
    staff_by_customer_type = StaffByCustomerType()


# ---- event bookkeeping -----------------------------------------------------------------------------


def _event_pk(event_id: str) -> str:
    return f"EVENT#{event_id}"


def handled_so_far(event_id: str) -> tuple[bool, set[str]]:
    """(whether the event is done, the delivery keys already sent) in one Query."""
    done, sent = False, set()
    for item in NotificationItem.query(_event_pk(event_id), consistent_read=True):
        if item.sk == "DONE":
            done = True
        else:
            sent.add(item.sk)
    return done, sent


def delivery_key(template: str, recipient: str) -> str:
    return f"EMAIL#{template}#{recipient.lower()}"


def record_delivery(event_id: str, key: str, recipient: str, message_id: str, sent_at: str, now: int) -> None:
    NotificationItem(
        pk=_event_pk(event_id),
        sk=key,
        recipient=recipient,
        message_id=message_id,
        sent_at=sent_at,
        expires_at=now + DELIVERY_TTL_SECONDS,
    ).save()


def mark_done(event_id: str, now: int) -> None:
    NotificationItem(pk=_event_pk(event_id), sk="DONE", expires_at=now + DELIVERY_TTL_SECONDS).save()


# ---- activity ----------------------------------------------------------------------------------------


def _feed_pk(customer_id: str, staff_only: bool = False) -> str:
    return f"FEED#{customer_id}#STAFF" if staff_only else f"FEED#{customer_id}"


def put_activity(activity: Activity) -> bool:
    """Insert once, counting it in the customer feed's state in the same transaction: a redelivered
    event finds its entry and changes nothing. False if it existed."""
    pk = _feed_pk(activity.customer_id, activity.staff_only)
    item = NotificationItem(
        pk=pk,
        sk=activity.sort_key,
        event_id=activity.event_id,
        activity_type=activity.activity_type,
        customer_id=activity.customer_id,
        title=activity.title,
        link=activity.link,
        occurred_at=activity.occurred_at,
        staff_key=ALL,
        customer_key=activity.customer_id,
        type_key=activity.activity_type,
        customer_type_key=f"{activity.customer_id}#{activity.activity_type}",
        time_key=activity.sort_key,
    )
    with conditional_transaction() as tx:
        tx.save(item, condition=NotificationItem.pk.does_not_exist())
        if not activity.staff_only:
            tx.update(NotificationItem(pk=pk, sk=FEED_STATE_SK), actions=[NotificationItem.total.add(1)])
    return tx.committed  # False: the entry exists, a redelivery (a conflict or an outage raises)


def _activity(item: NotificationItem) -> StoredActivity:
    return StoredActivity(
        activity=Activity(
            event_id=item.event_id or "",
            activity_type=item.activity_type or "",
            customer_id=item.customer_id or "",
            title=item.title or "",
            link=item.link,
            occurred_at=item.occurred_at or "",
            staff_only=item.pk.endswith("#STAFF"),
        ),
        sort_key=item.sk,
    )


def _staff_paging(hash_attr: str, hash_value: str) -> Paging:
    return Paging(keys=("pk", "sk", hash_attr, "time_key"), bound={hash_attr: hash_value})


def _read_state(state: NotificationItem | None, contact_id: str) -> tuple[int, str | None, int]:
    """(entries ever added, the contact's read position, how many are unread)."""
    if state is None:
        return 0, None, 0
    total = int(state.total or 0)
    mine = json.loads(state.read_by or "{}").get(contact_id) or {}
    return total, mine.get("until"), max(0, total - int(mine.get("total", 0)))


def contact_feed(customer_id: str, contact_id: str, limit: int, cursor: str | None) -> ContactFeed:
    """A page of the customer's feed, newest first, with the contact's read position and unread
    count: one Query (the state item comes first). Later pages carry the read position in the cursor
    (it only changes what the caller is shown)."""
    pk = _feed_pk(customer_id)
    paging = Paging(keys=("pk", "sk"), bound={"pk": pk}, extra=("u", "n"), digits=("n",))
    if cursor:
        start, extra = decode_cursor(cursor, paging)
        read_until, unread = extra["u"] or None, int(extra["n"])
    else:
        read_until, unread, start = None, 0, None
    results: Iterator[NotificationItem] = NotificationItem.query(
        pk,
        scan_index_forward=False,
        limit=limit + 2,
        page_size=limit + 2,
        last_evaluated_key=start,
    )
    items = list(results)
    if not cursor:
        state = items[0] if items and items[0].sk == FEED_STATE_SK else None
        _, read_until, unread = _read_state(state, contact_id)
    entries = [item for item in items if item.sk != FEED_STATE_SK]
    page, more = entries[:limit], len(entries) > limit
    # Later pages carry the read position (it only changes what the caller is shown).
    next_cursor = cursor_after(page[-1], paging, {"u": read_until or "", "n": str(unread)}) if more else None
    return ContactFeed([_activity(item) for item in page], next_cursor, read_until, unread)


def contact_unread(customer_id: str, contact_id: str) -> int:
    try:
        state: NotificationItem | None = NotificationItem.get(_feed_pk(customer_id), FEED_STATE_SK)
    except NotificationItem.DoesNotExist:
        state = None
    return _read_state(state, contact_id)[2]


def mark_contact_read(customer_id: str, contact_id: str) -> int:
    """Move the contact's read position to the newest entry; the unread count left (0 unless
    entries arrived meanwhile). Optimistic: retried if the state changed between read and write."""
    pk = _feed_pk(customer_id)
    for _ in range(5):
        items = list(NotificationItem.query(pk, scan_index_forward=False, limit=2, consistent_read=True))
        state = items[0] if items and items[0].sk == FEED_STATE_SK else None
        newest = next((item.sk for item in items if item.sk != FEED_STATE_SK), None)
        if state is None or newest is None:
            return 0
        total = int(state.total or 0)
        read_by = json.loads(state.read_by or "{}")
        read_by[contact_id] = {"until": newest, "total": total}
        unchanged = NotificationItem.total == total
        unchanged &= (
            NotificationItem.read_by == state.read_by
            if state.read_by is not None
            else NotificationItem.read_by.does_not_exist()
        )
        try:
            NotificationItem(pk=pk, sk=FEED_STATE_SK).update(
                actions=[NotificationItem.read_by.set(json.dumps(read_by, sort_keys=True))],
                condition=unchanged,
            )
        except UpdateError as error:
            if condition_failed(error):
                continue
            raise
        return 0
    raise Conflict("The activity feed kept changing; try again.")


def staff_activity(
    customer_id: str | None, activity_type: str | None, limit: int, cursor: str | None
) -> tuple[list[StoredActivity], str | None]:
    """The index designed for the filter: all, one customer, one type, or both."""
    if customer_id and activity_type:
        index, attr, value = (
            NotificationItem.staff_by_customer_type,
            "customer_type_key",
            f"{customer_id}#{activity_type}",
        )
    elif customer_id:
        index, attr, value = NotificationItem.staff_by_customer, "customer_key", customer_id
    elif activity_type:
        index, attr, value = NotificationItem.staff_by_type, "type_key", activity_type
    else:
        index, attr, value = NotificationItem.staff_feed, "staff_key", ALL
    # Newest first; the cursor is bound to the filter's partition of the index.
    items, next_cursor = query_page(
        index.query, value, _staff_paging(attr, value), limit, cursor, scan_index_forward=False
    )
    return [_activity(item) for item in items], next_cursor


def staff_types_newer(after: str | None, cap: int) -> list[str]:
    """The types of (at most `cap`) staff-feed entries newer than `after`, newest first."""
    condition = NotificationItem.time_key > after if after else None
    items = NotificationItem.staff_feed.query(
        ALL,
        range_key_condition=condition,
        scan_index_forward=False,
        limit=cap,
        page_size=cap,
        attributes_to_get=["pk", "sk", "activity_type"],
    )
    return [item.activity_type or "" for item in items]


def newest_staff_sort_key() -> str | None:
    items: Iterator[NotificationItem] = NotificationItem.staff_feed.query(
        ALL, scan_index_forward=False, limit=1
    )
    for item in items:
        return item.time_key
    return None


def read_marker(reader: str) -> str | None:
    try:
        return NotificationItem.get(f"READ#{reader}", "FEED").read_until
    except NotificationItem.DoesNotExist:
        return None


def move_read_marker(reader: str, read_until: str) -> None:
    """Forward only: a stale tab can never mark read entries unread again."""
    item = NotificationItem(pk=f"READ#{reader}", sk="FEED", read_until=read_until)
    try:
        item.save(condition=NotificationItem.pk.does_not_exist() | (NotificationItem.read_until < read_until))
    except PutError as error:
        if not condition_failed(error):
            raise


# ---- staff preferences -------------------------------------------------------------------------------

PREFERENCES_PK = "STAFF_PREFERENCES"


def staff_channels(subject: str) -> dict[str, str]:
    try:
        item = NotificationItem.get(PREFERENCES_PK, f"MEMBER#{subject}")
    except NotificationItem.DoesNotExist:
        return {}
    return dict(json.loads(item.channels or "{}"))


def save_staff_channels(subject: str, email: str | None, channels: dict[str, str]) -> None:
    NotificationItem(
        pk=PREFERENCES_PK, sk=f"MEMBER#{subject}", channels=json.dumps(channels, sort_keys=True), email=email
    ).save()


def all_staff_channels() -> dict[str, dict[str, str]]:
    """Every staff member's saved channels, by subject: one Query."""
    return {
        item.sk.removeprefix("MEMBER#"): dict(json.loads(item.channels or "{}"))
        for item in NotificationItem.query(PREFERENCES_PK)
    }
