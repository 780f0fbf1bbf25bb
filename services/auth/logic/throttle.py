"""Sign-in throttling (ASVS 6.3.1 / 2.2.1): failures are counted per account and per client in
15-minute windows. After a few failures an account must wait between attempts (1 s, 2 s, 4 s … up to
a minute); after many, it is refused until the window ends. A client that fails on many accounts is
refused too. An attacker can therefore hold a real user off for at most one window, never for good,
and a successful sign-in clears the account's count."""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING

from shared.errors import TooManyAttempts
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import counters_store as store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.counters_store")

WINDOW_SECONDS = 15 * 60
SLOW_AFTER = 3  # failures before an account must wait between attempts
LOCK_AFTER = 10  # failures before an account is refused for the rest of the window
CLIENT_LOCK_AFTER = 50  # failures from one client, on any accounts
MAX_DELAY_SECONDS = 60
MESSAGE = "Too many sign-in attempts. Wait a moment and try again."


def now() -> float:
    return time.time()


def _keys(email: str, client: str, at: float) -> tuple[tuple[str, str], tuple[str, str]]:
    window = str(int(at // WINDOW_SECONDS))
    return (f"THROTTLE#account#{_address(email)}", window), (f"THROTTLE#client#{client}", window)


def _address(email: str) -> str:
    """Counters are keyed by a hash: the table holds no list of the emails people tried."""
    return hashlib.sha256(email.lower().encode()).hexdigest()


def _window_end(at: float) -> int:
    return int((at // WINDOW_SECONDS + 1) * WINDOW_SECONDS)


# How long after the last counted try the next one may be made, by the count so far.
WAITS = {n: min(2 ** (n - SLOW_AFTER), MAX_DELAY_SECONDS) for n in range(SLOW_AFTER, LOCK_AFTER)}


def reserve(email: str, client: str) -> None:
    """Counts a sign-in try as a failure before it is made, or refuses it with 429 (and Retry-After)
    when the account or the client must wait. Counting first means concurrent tries cannot all pass a
    check made before any of them failed (check-then-count let 30 parallel passwords through)."""
    at = now()
    account_key, client_key = _keys(email, client, at)
    expires = _window_end(at) + 60
    until_window_end = max(1, _window_end(at) - int(at))
    if not store.reserve_try(*client_key, at, expires, free=CLIENT_LOCK_AFTER, waits={}):
        raise TooManyAttempts(MESSAGE, until_window_end)
    if store.reserve_try(*account_key, at, expires, free=SLOW_AFTER, waits=WAITS):
        return
    store.release_try(*client_key)  # a refused try is no failure of the client's
    account_item = store.throttles([account_key]).get(account_key[0])
    failures = int(account_item.failures or 0) if account_item else 0
    if failures >= LOCK_AFTER:
        raise TooManyAttempts(MESSAGE, until_window_end)
    last = float(account_item.last_failure or 0) if account_item else at
    wait = last + WAITS.get(failures, 1) - at
    raise TooManyAttempts(MESSAGE, max(1, int(wait + 0.999)))


def not_failed(email: str, client: str) -> None:
    """The reserved try turned out not to be a failure (the password was right and a code is asked
    for next, or the sign-in session had expired): both counts are taken back. The account's count is
    not cleared, so a known password does not buy new code guesses."""
    account_key, client_key = _keys(email, client, now())
    store.release_try(*account_key)
    store.release_try(*client_key)


def succeeded(email: str, client: str) -> None:
    account_key, client_key = _keys(email, client, now())
    store.clear_failures(*account_key)
    store.release_try(*client_key)  # the client's count holds failures only


EMAILS_PER_ADDRESS = 3  # reset or sign-up emails one address may be sent per window
EMAIL_REQUESTS_PER_CLIENT = 20  # such requests one client may make per window
EMAIL_MESSAGE = "Too many requests for emails. Wait a few minutes and try again."


def limit_email_requests(kind: str, email: str, client: str) -> None:
    """Requests that send an email (reset, sign-up) cannot be used to flood one inbox or to send mail
    from one client in bulk. The same two counters move whether or not the email is known, so a 429
    says nothing about the account."""
    at = now()
    window = str(int(at // WINDOW_SECONDS))
    expires = _window_end(at) + 60
    per_address = store.count_request(f"THROTTLE#{kind}#email#{_address(email)}", window, expires)
    per_client = store.count_request(f"THROTTLE#{kind}#client#{client}", window, expires)
    if per_address > EMAILS_PER_ADDRESS or per_client > EMAIL_REQUESTS_PER_CLIENT:
        raise TooManyAttempts(EMAIL_MESSAGE, max(1, _window_end(at) - int(at)))
