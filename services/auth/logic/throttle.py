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
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

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


def check(email: str, client: str) -> None:
    """Refuses with 429 (and Retry-After) when the account or the client must wait."""
    at = now()
    account_key, client_key = _keys(email, client, at)
    counters = store.throttles([account_key, client_key])
    until_window_end = max(1, _window_end(at) - int(at))
    client_item = counters.get(client_key[0])
    if client_item and (client_item.failures or 0) >= CLIENT_LOCK_AFTER:
        raise TooManyAttempts(MESSAGE, until_window_end)
    account_item = counters.get(account_key[0])
    failures = int(account_item.failures or 0) if account_item else 0
    if failures >= LOCK_AFTER:
        raise TooManyAttempts(MESSAGE, until_window_end)
    if account_item and failures >= SLOW_AFTER:
        delay = min(2 ** (failures - SLOW_AFTER), MAX_DELAY_SECONDS)
        wait = int(account_item.last_failure or 0) + delay - at
        if wait > 0:
            raise TooManyAttempts(MESSAGE, max(1, int(wait + 0.999)))


def failed(email: str, client: str) -> None:
    at = now()
    expires = _window_end(at) + 60
    for pk, sk in _keys(email, client, at):
        store.count_failure(pk, sk, int(at), expires)


def succeeded(email: str, client: str) -> None:
    pk, sk = _keys(email, client, now())[0]
    store.clear_failures(pk, sk)


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
