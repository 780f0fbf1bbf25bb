"""Ending sessions so that they really end: Cognito revokes the refresh tokens, and a per-login
"valid after" marker makes the API's authorizer refuse every ID token issued before it, within
seconds instead of at the token's 15-minute expiry.

ID tokens carry `iat` in whole seconds, so the marker is the first whole second after the event and
we wait for it before answering: a token issued before the event is refused, one issued after the
answer (signing in again, the new password's sign-in) is accepted."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import cognito
    from services.auth import counters_store as store
else:  # the authorizer imports this module for owner_key only: keep its cold start light
    cognito = lazy_module("services.auth.cognito")
    store = lazy_module("services.auth.counters_store")


def owner_key(email: str) -> str:
    """The marker's key: one per email, so native and SSO sign-ins of one person end together."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def end_all(logins: Iterable[tuple[str, str]]) -> None:
    """Ends every session of each (email, Cognito sign-in name)."""
    now = time.time()
    valid_after = math.floor(now) + 1
    for email, name in logins:
        store.end_sessions(owner_key(email), valid_after)
        cognito.sign_out_everywhere(name)
    time.sleep(max(0.0, valid_after - time.time()))


def end(email: str, name: str | None = None) -> None:
    end_all([(email, name or email)])
