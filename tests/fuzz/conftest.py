"""The fuzzer signs in wrongly many times and may change the tenant's sign-in policy: put both back
so the rest of the session (same portal, same client address) starts clean."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest


@pytest.fixture(scope="module", autouse=True)
def restore_sign_in_state() -> Iterator[None]:
    # Imported here, not at the top: services read their table names when first imported, and
    # this conftest is imported before the local portal has set them.
    from services.auth.logic import throttle

    client = boto3.client("dynamodb")
    table = os.environ["AUTH_TABLE_NAME"]
    policy_key = {"pk": {"S": "POLICY"}, "sk": {"S": "POLICY"}}
    policy = client.get_item(TableName=table, Key=policy_key, ConsistentRead=True).get("Item")
    yield
    if policy is None:
        client.delete_item(TableName=table, Key=policy_key)
    else:
        client.put_item(TableName=table, Item=policy)
    window = int(throttle.now() // throttle.WINDOW_SECONDS)
    counters = (
        "THROTTLE#client#127.0.0.1",
        "THROTTLE#reset#client#127.0.0.1",
        "THROTTLE#signup#client#127.0.0.1",
    )
    for pk in counters:
        for sk in (window - 1, window, window + 1):  # the windows the fuzzer's requests may have landed in
            client.delete_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": str(sk)}})
