"""Comments on estimates: the shared comment use cases (shared/comment_threads.py) over this service's
store and its `EstimateCommentAdded` event (source portal.estimates)."""

from __future__ import annotations

from shared.comment_threads import threads_over
from shared.event_models import EstimateCommentAdded

threads = threads_over("estimates", "estimate", "services.estimates.store", EstimateCommentAdded)
