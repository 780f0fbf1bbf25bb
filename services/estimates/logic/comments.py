"""Comments on estimates: the shared comment use cases (shared/comment_threads.py) over this service's
store and its `EstimateCommentAdded` event (source portal.estimates)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.comment_threads import CommentThreads
from shared.event_models import EstimateCommentAdded
from shared.lazy import lazy_module
from shared.preferences import SettingsSource

if TYPE_CHECKING:
    from services.estimates import store
else:
    store = lazy_module("services.estimates.store")


def _settings() -> SettingsSource:
    return store.tenant_settings


threads = CommentThreads(
    module="estimates",
    document="estimate",
    read=lambda estimate_id: store.read_thread(estimate_id),
    add=lambda estimate_id, comment, event, now: store.add_comment(estimate_id, comment, event, now),
    event=EstimateCommentAdded,
    settings=_settings,
)
