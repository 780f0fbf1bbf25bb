"""The auth table's counters and markers, written on every sign-in try (throttles) and read on
every authorized request (session markers): their own module, so the authorizer and the throttle load
only what they use of the auth store.

  THROTTLE#account|client#<key>            <window>  sign-in tries of one account or client address
  THROTTLE#reset|signup#email|client#<key> <window>  emailed-link requests of one address or client
  SESSIONS#<sha256 of the email>           SESSIONS  a login's "valid after" marker
"""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from services.auth.logic.records import Counter
from services.auth.store import AuthItem, _int
from shared.dynamo import condition_failed

# ---- session markers: written when sessions end, read by the API's authorizer ------------------------


def end_sessions(owner: str, valid_after: int) -> None:
    AuthItem(pk=f"SESSIONS#{owner}", sk="SESSIONS", kind="sessions", valid_after=valid_after).save()


def sessions_valid_after(owner: str) -> int:
    """One eventually consistent GetItem (half a read unit): the authorizer's cache already allows
    a few seconds of staleness, and most logins have no marker at all."""
    try:
        item = AuthItem.get(f"SESSIONS#{owner}", "SESSIONS", attributes_to_get=["valid_after"])
    except AuthItem.DoesNotExist:
        return 0
    return int(item.valid_after or 0)


# ---- sign-in throttles -------------------------------------------------------------------------------


def throttles(keys: list[tuple[str, str]]) -> dict[str, Counter]:
    """The counters of several keys in one BatchGetItem, by pk."""
    found = AuthItem.batch_get(keys, consistent_read=True)
    return {
        item.pk: Counter(item.pk, failures=_int(item.failures), last_failure=item.last_failure)
        for item in found
    }


def reserve_try(pk: str, sk: str, at: float, expires_at: int, free: int, waits: dict[int, int]) -> bool:
    """Counts a try before it is made, in one conditional UpdateItem (concurrent tries are serialised
    by DynamoDB, so none slips past a limit): allowed while fewer than `free` are counted, or when the
    count is a key of `waits` and that many seconds passed since the last counted try."""
    allowed = AuthItem.failures.does_not_exist() | (AuthItem.failures < free)
    for count, seconds in waits.items():
        allowed |= (AuthItem.failures == count) & (AuthItem.last_failure <= at - seconds)
    try:
        AuthItem(pk=pk, sk=sk).update(
            actions=[
                AuthItem.failures.add(1),
                AuthItem.last_failure.set(at),
                AuthItem.expires_at.set(expires_at),
            ],
            condition=allowed,
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def release_try(pk: str, sk: str) -> None:
    """Takes back a counted try that turned out not to be a failure."""
    try:
        AuthItem(pk=pk, sk=sk).update(actions=[AuthItem.failures.add(-1)], condition=AuthItem.failures > 0)
    except UpdateError as error:
        if not condition_failed(error):  # else: cleared meanwhile
            raise


def count_request(pk: str, sk: str, expires_at: int) -> int:
    """Adds one to a request counter and answers the new count (one UpdateItem)."""
    item = AuthItem(pk=pk, sk=sk)
    item.update(actions=[AuthItem.failures.add(1), AuthItem.expires_at.set(expires_at)])
    return int(item.failures or 0)


def clear_failures(pk: str, sk: str) -> None:
    AuthItem(pk=pk, sk=sk).delete()
