"""Where moto 5.2.5 is slower than a long local session can afford, the same behaviour, done cheaper.

- TransactWriteItems: moto deep-copies every table a transaction names (all its items and all its
  stream records) so it can put the copy back if the transaction is cancelled. Every write of a
  change with its outbox event is a transaction, so each cost grew with everything written before:
  measured with py-spy, 58 % of the test suite's time late in the session. Here the transaction keeps
  an undo log of the items it touches instead (an updated item is copied before it changes), and its
  stream records wait for the commit: a cancelled transaction leaves none, as in AWS (moto's copy put
  the shard back too, reusing sequence numbers a reader may already have seen). Checked by
  tests/integration/test_moto_transactions.py."""

from __future__ import annotations

import copy
from typing import Any


def apply() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend, "_local_undo_log", False):
        return
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    DynamoDBBackend._local_undo_log = True  # type: ignore[attr-defined]


class _UndoLog:
    def __init__(self) -> None:
        self._items: list[tuple[Any, Any, Any, Any]] = []  # (table, hash, range, the item before or None)
        self._streams: dict[int, tuple[Any, _HeldStream]] = {}  # id(table) -> (table, its held stream)

    def remember(self, table: Any, key: dict[str, Any], copy_on_write: bool) -> None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        before = table.get_item(hash_value, range_value)
        if before is not None and copy_on_write:
            # moto updates an item in place: let it change a copy, so `before` stays as it was.
            _store(table, hash_value, range_value, copy.deepcopy(before))
        self._items.append((table, hash_value, range_value, before))
        if table.stream_shard is not None and id(table) not in self._streams:
            held = _HeldStream(table.stream_shard)
            table.stream_shard = held
            self._streams[id(table)] = (table, held)

    def commit(self) -> None:
        for table, held in self._streams.values():
            table.stream_shard = held.shard
            for old, new in held.records:
                held.shard.add(old, new)

    def undo(self) -> None:
        for table, hash_value, range_value, before in reversed(self._items):
            if before is not None:
                _store(table, hash_value, range_value, before)
            elif range_value is not None:
                table.items.get(hash_value, {}).pop(range_value, None)
            else:
                table.items.pop(hash_value, None)
        for table, held in self._streams.values():
            table.stream_shard = held.shard


class _HeldStream:
    """A table's stream shard while a transaction runs: new records wait for the commit; readers see
    the shard as it was."""

    def __init__(self, shard: Any) -> None:
        self.shard = shard
        self.records: list[tuple[Any, Any]] = []

    def add(self, old: Any, new: Any) -> None:
        self.records.append((old, new))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.shard, name)


def _store(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    if range_value is not None:
        table.items[hash_value][range_value] = item
    else:
        table.items[hash_value] = item


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's own TransactWriteItems (models/__init__.py), with the undo log instead of table copies."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo = _UndoLog()
    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    try:
        for item in transact_items:
            original_item: dict[str, Any] | None = None
            if len(list(item.keys())) > 1:
                raise TransactWriteSingleOpException
            try:
                op_type, op = next(iter(item.items()))
                if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                    raise ValueError("Unsupported transaction operation")
                table_name = op["TableName"]
                condition_expression = op.get("ConditionExpression")
                names = op.get("ExpressionAttributeNames")
                values = op.get("ExpressionAttributeValues")
                if op_type == "Put":
                    attrs = op["Item"]
                    table = self.get_table(table_name)
                    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                    if table.range_key_attr is not None:
                        key[table.range_key_attr] = attrs[table.range_key_attr]
                else:
                    key = op["Key"]
                check_unicity(table_name, key)
                current = self.get_item(table_name, key)
                if condition_expression is not None:
                    condition_op = get_filter_expression(condition_expression, names, values)
                    if not condition_op.expr(current):
                        if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                            original_item = current.to_json()["Attributes"]
                        raise ConditionalCheckFailed(item=original_item)
                if op_type != "ConditionCheck":
                    undo.remember(self.get_table(table_name), key, copy_on_write=op_type == "Update")
                conditions = {
                    "condition_expression": condition_expression,
                    "expression_attribute_names": names,
                    "expression_attribute_values": values,
                }
                if op_type == "Put":
                    self.put_item(table_name, op["Item"], **conditions)
                elif op_type == "Delete":
                    self.delete_item(table_name, key, **conditions)
                elif op_type == "Update":
                    self.update_item(table_name, key, update_expression=op["UpdateExpression"], **conditions)
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                raise
            except ConditionalCheckFailed as e:
                errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
            except Exception as e:  # moto reports any other failure per item, as AWS does
                errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]
    except BaseException:
        # moto cancels the whole transaction on these (and so would anything unexpected).
        undo.undo()
        raise
    if any(code is not None for code, _, _ in errors):
        undo.undo()
        raise TransactionCanceledException(errors)
    undo.commit()
