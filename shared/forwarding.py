"""Forwarding a document (an invoice, an estimate) by email, the use cases every document service
offers over its own store and event: a contact sends one of their customer's documents to another
contact of the same customer (or to any address when the tenant allows it), at most
`documents.forwards_per_hour` per customer in a rolling hour. The PDF goes to the documents bucket
and the event carries its key; notifications emails it. No boto3 here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field

from shared.contract import Schema
from shared.document_files import DocumentFile
from shared.errors import TooManyAttempts, ValidationFailed
from shared.event_models import DocumentForwarded
from shared.events import OutboxEvent, outbox_event
from shared.forward_store import WINDOW_SECONDS, RateWindow
from shared.ids import new_id, utc_now
from shared.preferences import SettingsSource, load_preferences, require_action
from shared.principal import Principal

RETRIES = 5  # another forward of the same customer slipped in between the read and the write


class ForwardRequest(Schema):
    model_config = ConfigDict(extra="forbid")

    to: EmailStr
    message: Annotated[str, Field(max_length=1000)] | None = None


class ForwardRecipient(Schema):
    name: str
    email: str


class ForwardReceipt(Schema):
    forward_id: str
    to: str
    remaining: int


@dataclass(frozen=True)
class Forwardable:
    """An authorised document of the caller's customer (the service found it and checked it)."""

    document_id: str
    customer_id: str
    number: str
    file: DocumentFile


def admit(sent_at: Sequence[int], now: int, per_hour: int) -> tuple[list[int] | None, int]:
    """(the window with this forward added, 0) or (None, seconds until a slot frees up). Pure."""
    recent = sorted(t for t in sent_at if t > now - WINDOW_SECONDS)
    if len(recent) >= per_hour:
        oldest_that_must_go = recent[len(recent) - per_hour]
        return None, max(1, oldest_that_must_go + WINDOW_SECONDS - now)
    return [*recent, now], 0


@dataclass(frozen=True)
class Forwarding:
    document: Literal["invoice", "estimate"]
    find: Callable[[Principal, str], Forwardable]  # the caller's document (404 / module off: 403)
    settings: Callable[[], SettingsSource]
    contacts: Callable[[str], list[ForwardRecipient]]  # the customer's contacts
    read_window: Callable[[str], RateWindow]
    record: Callable[[str, RateWindow, list[int], OutboxEvent, int], bool]
    event: type[DocumentForwarded]

    def forward(
        self, caller: Principal, document_id: str, request: ForwardRequest, correlation_id: str | None
    ) -> ForwardReceipt:
        found = self.find(caller, document_id)
        require_action("forward_documents", self.settings())
        rules = load_preferences(self.settings()).documents
        to = str(request.to)
        if not rules.forward_to_any_address:
            allowed = {r.email.lower() for r in self._others(caller, found.customer_id)}
            if to.lower() not in allowed:
                raise ValidationFailed(
                    "Documents can be forwarded only to another contact of your company.",
                    [{"field": "to", "message": "not a contact of this customer"}],
                )
        window = self._admitted(found.customer_id, rules.forwards_per_hour)  # before rendering anything
        pdf_key = found.file.ensure()
        message = (request.message or "").strip() or None
        forward_id = new_id()
        event = self.event(
            forward_id=forward_id,
            document=self.document,
            document_id=found.document_id,
            document_number=found.number,
            customer_id=found.customer_id,
            contact_id=caller.contact_id,
            from_email=caller.email,
            to=to,
            message=message,
            pdf_key=pdf_key,
        )
        outbox = outbox_event(event, correlation_id)
        for _ in range(RETRIES):
            now = int(utc_now().timestamp())
            sent_at, _wait = admit(window.sent_at, now, rules.forwards_per_hour)
            if sent_at is None:
                window = self._admitted(found.customer_id, rules.forwards_per_hour)
                continue
            if self.record(found.customer_id, window, sent_at, outbox, now):
                return ForwardReceipt(
                    forward_id=forward_id, to=to, remaining=rules.forwards_per_hour - len(sent_at)
                )
            window = self._admitted(found.customer_id, rules.forwards_per_hour)
        raise TooManyAttempts("Too many forwards at once; try again in a moment.", 1)

    def _admitted(self, customer_id: str, per_hour: int) -> RateWindow:
        """The customer's current window, or a 429 when it is full."""
        window = self.read_window(customer_id)
        sent_at, wait = admit(window.sent_at, int(utc_now().timestamp()), per_hour)
        if sent_at is None:
            raise TooManyAttempts(
                f"Your company has forwarded {per_hour} documents in the last hour; "
                f"try again in {max(1, wait // 60)} minute(s).",
                wait,
            )
        return window

    def _others(self, caller: Principal, customer_id: str) -> list[ForwardRecipient]:
        own = (caller.email or "").lower()
        return [r for r in self.contacts(customer_id) if r.email.lower() != own]


def customer_contacts(customer_id: str) -> list[ForwardRecipient]:
    """The customer's contacts, asked of the customers service at the moment of the forward (a
    rare, rate-limited action whose answer must be current: a removed contact must not receive)."""
    from shared.customer_lookup import ask

    answer = ask(customer_id, all_contacts=True)
    return [
        ForwardRecipient(name=f"{c.first_name} {c.last_name}".strip() or c.email, email=c.email)
        for c in answer.contacts
    ]
