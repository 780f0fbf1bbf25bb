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
    """A condition of the transaction failed (or it conflicted with another one)."""
    return error.cause_response_code == "TransactionCanceledException"
