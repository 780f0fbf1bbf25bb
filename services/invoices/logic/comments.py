"""Comments on invoices: the shared comment use cases (shared/comment_threads.py) over this service's
store and its `InvoiceCommentAdded` event (source portal.invoices)."""

from __future__ import annotations

from shared.comment_threads import threads_over
from shared.event_models import InvoiceCommentAdded

threads = threads_over("invoices", "invoice", "services.invoices.store", InvoiceCommentAdded)
