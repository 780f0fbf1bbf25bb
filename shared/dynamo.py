"""pynamodb plumbing every store shares."""

from __future__ import annotations

import os
from functools import cache

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite


@cache
def _connection() -> Connection:
    # One per container: a new Connection builds a new botocore client (~150 ms).
    return Connection(region=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))


def transaction() -> TransactWrite:
    return TransactWrite(connection=_connection())


def cancelled(error: TransactWriteError) -> bool:
    """A condition of the transaction failed. A conflict with a concurrent transaction is not that:
    it answers False, so the caller re-raises and the request or event is retried, never dropped."""
    if error.cause_response_code != "TransactionCanceledException":
        return False
    codes = {reason.code for reason in error.cancellation_reasons if reason is not None}
    return "TransactionConflict" not in codes
