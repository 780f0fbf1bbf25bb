"""The tables moto holds were created from template.yaml, and their keys and indexes are what the
pynamodb models expect."""

from typing import Any

import boto3

from tests.support import PortalHandle


def key_schema(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted(((i["AttributeName"], i["KeyType"]) for i in items), key=lambda key: key[1])


def described(table_name: str) -> dict[str, Any]:
    table = boto3.client("dynamodb").describe_table(TableName=table_name)["Table"]
    return {
        "keys": key_schema(table["KeySchema"]),
        "indexes": {
            i["IndexName"]: key_schema(i["KeySchema"]) for i in table.get("GlobalSecondaryIndexes", [])
        },
    }


def modelled(*models: Any) -> dict[str, Any]:
    keys, indexes = set(), {}
    for model in models:
        schema = model._get_schema()
        keys.add(tuple((k["AttributeName"], k["KeyType"]) for k in schema["key_schema"]))
        for index in schema.get("global_secondary_indexes", []):
            indexes[index["index_name"]] = key_schema(
                [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in index["key_schema"]]
            )
    assert len(keys) == 1, f"models of one table disagree on its key: {keys}"
    return {"keys": list(keys.pop()), "indexes": indexes}


def test_invoices_table(portal: PortalHandle) -> None:
    from services.invoices import store

    table = portal.local.stack.ref("InvoicesTable")
    assert store.InvoiceRecord.Meta.table_name == table
    assert described(table) == modelled(store.InvoiceRecord, store.OutboxRecord, store.CounterRecord)
    stream = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["StreamSpecification"]
    assert stream == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_estimates_table(portal: PortalHandle) -> None:
    from services.estimates import store

    table = portal.local.stack.ref("EstimatesTable")
    assert store.EstimateRecord.Meta.table_name == table
    assert described(table) == modelled(store.EstimateRecord, store.OutboxRecord, store.CounterRecord)
    stream = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["StreamSpecification"]
    assert stream == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_credit_notes_table(portal: PortalHandle) -> None:
    from services.credit_notes import store

    table = portal.local.stack.ref("CreditNotesTable")
    assert store.CreditNoteRecord.Meta.table_name == table
    assert described(table) == modelled(
        store.CreditNoteRecord,
        store.RequestRecord,
        store.InvoiceRecord,
        store.ChargeCreditRecord,
        store.OutboxRecord,
        store.CounterRecord,
    )
    stream = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["StreamSpecification"]
    assert stream == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_subscriptions_table(portal: PortalHandle) -> None:
    from services.subscriptions import store

    table = portal.local.stack.ref("SubscriptionsTable")
    assert store.SubscriptionRecord.Meta.table_name == table
    assert described(table) == modelled(
        store.SubscriptionRecord,
        store.CatalogRecord,
        store.InvoiceCopyRecord,
        store.InvoicePointerRecord,
        store.OutboxRecord,
    )
    stream = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["StreamSpecification"]
    assert stream == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_customers_table(portal: PortalHandle) -> None:
    from services.customers import store

    table = portal.local.stack.ref("CustomersTable")
    assert store.CustomerItem.Meta.table_name == table
    assert described(table) == modelled(store.CustomerItem)
    stream = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["StreamSpecification"]
    assert stream == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
