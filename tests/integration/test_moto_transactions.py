"""The local run's TransactWriteItems (infra/local/moto_speed.py: an undo log instead of moto's table
copies) behaves as DynamoDB's: all or nothing, and a table's stream shows only committed writes."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest

from tests.support import PortalHandle


@pytest.fixture(scope="module")
def table(portal: PortalHandle) -> str:
    name = f"undo-log-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return name


def key(pk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": "A"}}


def state(table: str) -> dict[str, Any]:
    client = boto3.client("dynamodb")
    found = {}
    for pk in ("kept", "changed", "gone", "new"):
        item = client.get_item(TableName=table, Key=key(pk), ConsistentRead=True).get("Item")
        found[pk] = item
    return found


def stream_events(table: str) -> list[tuple[str, str]]:
    streams = boto3.client("dynamodbstreams")
    arn = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records]


def writes(table: str, condition_holds: bool) -> list[dict[str, Any]]:
    return [
        {"Put": {"TableName": table, "Item": {**key("new"), "v": {"N": "1"}}}},
        {
            "Update": {
                "TableName": table,
                "Key": key("changed"),
                "UpdateExpression": "SET v = v + :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
        {"Delete": {"TableName": table, "Key": key("gone")}},
        {
            "ConditionCheck": {
                "TableName": table,
                "Key": key("kept"),
                "ConditionExpression": "attribute_exists(pk)"
                if condition_holds
                else "attribute_not_exists(pk)",
            }
        },
    ]


def test_a_cancelled_transaction_changes_nothing_and_streams_nothing(table: str) -> None:
    client = boto3.client("dynamodb")
    for pk in ("kept", "changed", "gone"):
        client.put_item(TableName=table, Item={**key(pk), "v": {"N": "10"}})
    before, events_before = state(table), stream_events(table)

    with pytest.raises(client.exceptions.TransactionCanceledException) as cancelled:
        client.transact_write_items(TransactItems=writes(table, condition_holds=False))

    reasons = [reason["Code"] for reason in cancelled.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "None", "ConditionalCheckFailed"]
    assert state(table) == before  # the update ran on a copy: the stored item kept v = 10
    assert stream_events(table) == events_before


def test_a_committed_transaction_writes_all_and_streams_each_change_once(table: str) -> None:
    client = boto3.client("dynamodb")
    events_before = stream_events(table)

    client.transact_write_items(TransactItems=writes(table, condition_holds=True))

    after = state(table)
    assert after["new"] == {**key("new"), "v": {"N": "1"}}
    assert after["changed"]["v"] == {"N": "11"}
    assert after["gone"] is None
    assert stream_events(table)[len(events_before) :] == [
        ("INSERT", "new"),
        ("MODIFY", "changed"),
        ("REMOVE", "gone"),
    ]
