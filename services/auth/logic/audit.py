"""The audit trail: every auth event goes through the outbox onto the bus (and the bus's archive)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from shared.event_models import AuthEvent, LoginFailed
from shared.events import OutboxEvent, outbox_event
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")


def event(data: AuthEvent | LoginFailed, correlation_id: str | None = None) -> OutboxEvent:
    return outbox_event(data, correlation_id)


def record(data: AuthEvent | LoginFailed, correlation_id: str | None = None) -> None:
    """For events that are not part of a state change of the auth table (a sign-in, a failure)."""
    store.publish(event(data, correlation_id), int(time.time()))


def login_failed(email: str, reason: str) -> LoginFailed:
    import hashlib

    return LoginFailed.model_validate(
        {"email_sha256": hashlib.sha256(email.lower().encode()).hexdigest(), "reason": reason}
    )
