"""A fixed-window rate limit in a service's own table (used by stores only): one item per limited key,

  RATE#<key>  RATE   window_start (epoch seconds), used, expires_at

counted by conditional UpdateItems *before* the limited action runs, so parallel requests cannot slip
past the limit, and a refused or failed action still counts (trying in a loop stays limited)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from shared.dynamo import KeyedRecord, condition_failed, table_meta


class RateFields(KeyedRecord):
    window_start = NumberAttribute(null=True)
    used = NumberAttribute(null=True)
    expires_at = NumberAttribute(null=True)  # for a table with TTL; harmless in one without


def rate_model(table_name: str) -> type[RateFields]:
    class RateRecord(RateFields):
        Meta = table_meta(table_name)

    return RateRecord


def take(model: type[RateFields], key: str, limit: int, window_seconds: int) -> int:
    """Counts one use of `key` in the current window: 0 when admitted, else the seconds until the
    window ends (the caller answers 429 with that Retry-After)."""
    now = int(time.time())
    start = now - now % window_seconds
    item = model(pk=f"RATE#{key}", sk="RATE")
    for _ in range(2):  # a second round only when a parallel request opened the window between ours
        if _updated(item, [model.used.add(1)], (model.window_start == start) & (model.used < limit)):
            return 0
        opened = [
            model.window_start.set(start),
            model.used.set(1),
            model.expires_at.set(start + 2 * window_seconds),
        ]
        if _updated(item, opened, model.window_start.does_not_exist() | (model.window_start < start)):
            return 0
    return max(1, start + window_seconds - now)


def _updated(item: RateFields, actions: Sequence[Action], condition: Condition) -> bool:
    try:
        item.update(actions=list(actions), condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
