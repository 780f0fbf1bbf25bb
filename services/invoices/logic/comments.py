"""Comments on invoices: the shared comment use cases (shared/comment_threads.py) over this service's
store and its `InvoiceCommentAdded` event (source portal.invoices)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.comment_threads import CommentThreads
from shared.event_models import InvoiceCommentAdded
from shared.lazy import lazy_module
from shared.preferences import SettingsSource

if TYPE_CHECKING:
    from services.invoices import store
else:
    store = lazy_module("services.invoices.store")


def _settings() -> SettingsSource:
    return store.tenant_settings


threads = CommentThreads(
    module="invoices",
    document="invoice",
    read=lambda invoice_id: store.read_thread(invoice_id),
    add=lambda invoice_id, comment, event, now: store.add_comment(invoice_id, comment, event, now),
    event=InvoiceCommentAdded,
    settings=_settings,
)
