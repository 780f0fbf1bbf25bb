"""The plain values the notifications store hands to logic (no pynamodb here, so logic and the API
handler can import them without loading the store)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Activity:
    event_id: str
    activity_type: str
    customer_id: str
    title: str
    link: str | None
    occurred_at: str
    staff_only: bool = False

    @property
    def sort_key(self) -> str:
        return f"{self.occurred_at}#{self.event_id}"


@dataclass(frozen=True)
class StoredActivity:
    activity: Activity
    sort_key: str


@dataclass(frozen=True)
class Contact:
    contact_id: str
    name: str
    email: str
    language: str | None
    is_primary: bool = False


@dataclass(frozen=True)
class CustomerFacts:
    customer_id: str
    name: str
    contacts: tuple[Contact, ...]

    def contact(self, contact_id: str | None) -> Contact | None:
        return next((c for c in self.contacts if c.contact_id == contact_id), None)

    def primary(self) -> Contact | None:
        return next((c for c in self.contacts if c.is_primary), None)


@dataclass(frozen=True)
class StaffMember:
    subject: str
    email: str
    name: str | None


@dataclass(frozen=True)
class ContactFeed:
    entries: list[StoredActivity]
    next_cursor: str | None
    read_until: str | None  # entries with a sort key up to this one are read
    unread: int
