"""Which event sources have work, read from the moto server's memory when it runs in this process.

`drain()` used to ask every source over HTTP each round (27 sources: ~45 calls, 0.19 s per idle round,
most of a payment test's time). When moto runs here, a stream has work iff its shard holds a record
past the source's position, and a queue iff it holds any message (visible or not): two reads of memory
per source, no request. A server in another process (`make run` with several tenants) cannot be read:
every source is polled, as before."""

from __future__ import annotations

from typing import Any


class MotoMemory:
    """Counts of what moto holds, by stream ARN and queue URL (None: cannot tell, so poll)."""

    def __init__(self) -> None:
        from moto.dynamodb.models import dynamodb_backends
        from moto.sqs.models import sqs_backends

        self._dynamodb, self._sqs = dynamodb_backends, sqs_backends

    def last_sequence(self, stream_arn: str) -> int | None:
        """The stream's last sequence number (-1: empty), or None when the table is not found here."""
        _arn, _aws, _service, region, account, resource = stream_arn.split(":", 5)
        table = self._find(self._dynamodb, account, region, "tables", resource.split("/")[1])
        shard = getattr(table, "stream_shard", None)
        if shard is None:
            return None
        return int(shard.starting_sequence_number) + len(shard.items) - 1 if shard.items else -1

    def holds_messages(self, queue_url: str, region: str) -> bool | None:
        """Whether the queue holds any message (in flight or delayed too), or None when not found here."""
        *_, account, name = queue_url.rstrip("/").split("/")
        queue = self._find(self._sqs, account, region, "queues", name)
        return None if queue is None else bool(queue._messages)

    @staticmethod
    def _find(backends: Any, account: str, region: str, attribute: str, name: str) -> Any:
        try:
            return getattr(backends[account][region], attribute).get(name)
        except KeyError:
            return None
