"""The comment use cases every document service offers (invoices, estimates), given its store and
event: a contact reads and adds to the thread of one of their customer's sent documents; staff read
the whole thread and reply, choosing whether the customer sees the reply. No boto3 here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, cast

from shared.business import BusinessFacts
from shared.comment_store import Thread
from shared.comments import (
    Comment,
    CommentRequest,
    CommentThread,
    CommentView,
    StaffCommentRequest,
    check_room,
    customer_thread,
    staff_thread,
)
from shared.errors import Conflict, NotFound
from shared.event_models import CommentAdded
from shared.events import OutboxEvent, outbox_event
from shared.ids import new_id, utc_now
from shared.lazy import lazy_module
from shared.preferences import Module, SettingsSource, load_settings, require_action, require_module
from shared.principal import Principal


@dataclass(frozen=True)
class CommentThreads:
    module: Module
    document: Literal["invoice", "estimate"]
    read: Callable[[str], Thread | None]  # the document's facts and thread, one Query
    add: Callable[[str, Comment, OutboxEvent, int], None]  # the comment and its event, one transaction
    event: type[CommentAdded]
    settings: Callable[[], SettingsSource]  # the service's settings copy (read lazily)

    # ---- customer contacts ---------------------------------------------------------------------------

    def for_customer(self, caller: Principal, document_id: str) -> CommentThread:
        thread = self._customer_thread(caller, document_id)
        return customer_thread(thread.comments, self._business_name())

    def add_by_customer(
        self, caller: Principal, document_id: str, request: CommentRequest, correlation_id: str | None
    ) -> CommentView:
        thread = self._customer_thread(caller, document_id)
        require_action("comment", self.settings())
        comment = self._save(
            thread, document_id, "contact", caller, request.body.strip(), True, correlation_id
        )
        return customer_thread([comment], self._business_name()).items[0]

    # ---- staff ---------------------------------------------------------------------------------------

    def for_staff(self, document_id: str) -> CommentThread:
        return staff_thread(self._existing(document_id).comments)

    def add_by_staff(
        self, caller: Principal, document_id: str, request: StaffCommentRequest, correlation_id: str | None
    ) -> CommentView:
        thread = self._existing(document_id)
        if thread.status == "draft":
            raise Conflict(f"This {self.document} is a draft; the customer cannot see it yet.")
        body = request.body.strip()
        comment = self._save(
            thread, document_id, "staff", caller, body, request.visible_to_customer, correlation_id
        )
        return staff_thread([comment]).items[0]

    # ---- helpers -------------------------------------------------------------------------------------

    def _customer_thread(self, caller: Principal, document_id: str) -> Thread:
        customer_id = caller.require_customer()
        require_module(self.module, self.settings())
        thread = self.read(document_id)
        # Another customer's document and a draft are indistinguishable from a missing one.
        if thread is None or thread.customer_id != customer_id or thread.status == "draft":
            raise NotFound(f"No {self.document} with this id.")
        return thread

    def _existing(self, document_id: str) -> Thread:
        thread = self.read(document_id)
        if thread is None:
            raise NotFound(f"No {self.document} with this id.")
        return thread

    def _business_name(self) -> str:
        raw = load_settings(self.settings()).business_json
        return BusinessFacts.model_validate_json(raw).name if raw else "Staff"

    def _save(
        self,
        thread: Thread,
        document_id: str,
        author: Literal["contact", "staff"],
        caller: Principal,
        body: str,
        visible: bool,
        correlation_id: str | None,
    ) -> Comment:
        check_room(len(thread.comments))
        comment = Comment(
            comment_id=new_id(),
            author=author,
            author_email=caller.email,
            contact_id=caller.contact_id if author == "contact" else None,
            body=body,
            visible_to_customer=visible,
            # microseconds: comments added in one burst (a seed, a script) still sort as written
            created_at=utc_now().isoformat(timespec="microseconds").replace("+00:00", "Z"),
        )
        event = self.event(
            document=self.document,
            document_id=document_id,
            document_number=thread.number,
            customer_id=thread.customer_id,
            comment_id=comment.comment_id,
            author=author,
            contact_id=comment.contact_id,
            author_email=comment.author_email,
            visible_to_customer=visible,
            body=body,
        )
        self.add(document_id, comment, outbox_event(event, correlation_id), int(utc_now().timestamp()))
        return comment


class ThreadStore(Protocol):
    """What a document service's store module offers the comment use cases (services/invoices/store.py)."""

    tenant_settings: SettingsSource

    def read_thread(self, document_id: str) -> Thread | None: ...
    def add_comment(self, document_id: str, comment: Comment, event: OutboxEvent, now_epoch: int) -> None: ...


def threads_over(
    module: Module, document: Literal["invoice", "estimate"], store_module: str, event: type[CommentAdded]
) -> CommentThreads:
    """The comment use cases over a service's store module, loaded on the first request (not at cold
    start: the store pulls in pynamodb)."""
    store = cast(ThreadStore, lazy_module(store_module))
    return CommentThreads(
        module=module,
        document=document,
        read=lambda document_id: store.read_thread(document_id),
        add=lambda document_id, comment, event, now: store.add_comment(document_id, comment, event, now),
        event=event,
        settings=lambda: store.tenant_settings,
    )
