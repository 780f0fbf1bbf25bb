"""The local event-source mappings of template.yaml's functions: DynamoDB streams (with their filter
criteria) and SQS queues (partial batch failures; moto's redrive moves a message to the DLQ after
maxReceiveCount). `drain()` runs them until nothing is left, so tests and the seed see a settled state.
Schedules (`Type: Schedule`, `rate(...)`): moto fires none, so the background loop invokes each
function at its rate with EventBridge's "Scheduled Event"; tests call `run_schedule` at an instant."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3

from infra.local.pending import MotoMemory
from infra.local.provision import Stack
from infra.local.runtime import Invoker
from shared.ids import utc_now
from shared.observability import logger

RETRY_VISIBILITY_SECONDS = 2  # a failed SQS message comes back quickly locally


def matches(pattern: Any, value: Any) -> bool:
    """The subset of EventBridge/Lambda filter patterns the template uses: nested objects, lists of
    exact values, and {"prefix": …}."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            k in value and matches(p, value[k]) for k, p in pattern.items()
        )
    if isinstance(pattern, list):
        return any(
            (
                isinstance(option, dict)
                and "prefix" in option
                and isinstance(value, str)
                and value.startswith(option["prefix"])
            )
            or option == value
            for option in pattern
        )
    return bool(pattern == value)


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return dict(convert(record))


@dataclass
class StreamSource:
    function: str
    stream_arn: str
    batch_size: int
    filters: list[Any]
    max_retries: int
    on_failure_queue_arn: str | None
    position: dict[str, int] = field(default_factory=dict)  # last sequence number read, per shard
    delivered: dict[str, int] = field(default_factory=dict)  # last sequence number delivered, per shard
    failures: int = 0


@dataclass
class QueueSource:
    function: str
    queue_url: str
    queue_arn: str
    batch_size: int


READ_AHEAD = 100


def _sequence(record: dict[str, Any]) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


@dataclass
class ScheduleSource:
    function: str
    every_seconds: int
    last_run: float = 0.0


_RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def rate_seconds(expression: str) -> int:
    """`rate(5 minutes)` → 300 (the only schedule form the template uses)."""
    value, unit = expression.removeprefix("rate(").removesuffix(")").split()
    return int(value) * _RATE_UNITS[unit]


def scheduled_event(at: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": f"local-{at.timestamp()}",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [],
        "detail": {},
    }


class Worker:
    def __init__(self, stack: Stack, invoker: Invoker) -> None:
        self.invoker = invoker
        self.region = stack.resolver.region
        self.streams: list[StreamSource] = []
        self.queues: list[QueueSource] = []
        self.schedules: list[ScheduleSource] = []
        self.retry_visibility_seconds = RETRY_VISIBILITY_SECONDS
        self.clock_offset = timedelta(0)  # schedules run at real time + this (pages/time_travel.py)
        self.memory: MotoMemory | None = None  # set when moto runs in this process (read_moto_memory)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        queue_urls = {
            stack.att(n, "Arn"): stack.ref(n)
            for n, r in stack.template["Resources"].items()
            if r["Type"] == "AWS::SQS::Queue"
        }
        self.queue_urls = queue_urls
        for spec in stack.functions.values():
            for event in spec.events.values():
                props = event["Properties"]
                if event["Type"] == "DynamoDB":
                    self.streams.append(
                        StreamSource(
                            function=spec.name,
                            stream_arn=props["Stream"],
                            batch_size=int(props.get("BatchSize", 100)),
                            filters=[
                                json.loads(f["Pattern"])
                                for f in props.get("FilterCriteria", {}).get("Filters", [])
                            ],
                            max_retries=int(props.get("MaximumRetryAttempts", 3)),
                            on_failure_queue_arn=props.get("DestinationConfig", {})
                            .get("OnFailure", {})
                            .get("Destination"),
                        )
                    )
                elif event["Type"] == "Schedule":
                    self.schedules.append(ScheduleSource(spec.name, rate_seconds(props["Schedule"])))
                elif event["Type"] == "SQS":
                    self.queues.append(
                        QueueSource(
                            function=spec.name,
                            queue_arn=props["Queue"],
                            queue_url=queue_urls[props["Queue"]],
                            batch_size=int(props.get("BatchSize", 10)),
                        )
                    )
        self.streams_client = boto3.client("dynamodbstreams", region_name=self.region)
        self.sqs = boto3.client("sqs", region_name=self.region)

    # ---- one pass ------------------------------------------------------------------------------------

    def read_moto_memory(self) -> None:
        """The moto server runs in this process: poll only the sources that hold work (pending.py)."""
        self.memory = MotoMemory()

    def poll_once(self) -> int:
        """Deliver what is waiting to every source once; returns how many records were handled."""
        streams = sum(self._poll_stream(s) for s in self.streams if self._stream_has_work(s))
        return streams + sum(self._poll_queue(q) for q in self.queues if self._queue_has_work(q))

    def _stream_has_work(self, source: StreamSource) -> bool:
        last = self.memory.last_sequence(source.stream_arn) if self.memory else None
        if last is None:
            return True
        # One shard per table in moto: work is a record past what this source has read.
        return last >= 0 and all(last > position for position in source.position.values())

    def _queue_has_work(self, source: QueueSource) -> bool:
        held = self.memory.holds_messages(source.queue_url, self.region) if self.memory else None
        return held is None or held

    def drain(self, max_rounds: int = 50) -> None:
        for _ in range(max_rounds):
            if self.poll_once() == 0:
                return
        raise RuntimeError("events kept flowing after 50 rounds: a loop between consumers?")

    def _iterator(self, source: StreamSource, shard_id: str) -> str:
        # A fresh iterator every poll: moto restores a table from a deep copy when a transaction is
        # cancelled, which strands iterators on the old shard object (they then read nothing more).
        position = source.position.get(shard_id)
        kind = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": str(position)}
            if position
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        return str(
            self.streams_client.get_shard_iterator(StreamArn=source.stream_arn, ShardId=shard_id, **kind)[
                "ShardIterator"
            ]
        )

    def _poll_stream(self, source: StreamSource) -> int:
        shards = self.streams_client.describe_stream(StreamArn=source.stream_arn)["StreamDescription"][
            "Shards"
        ]
        handled = 0
        for shard in shards:
            shard_id = shard["ShardId"]
            # As Lambda does: read ahead, filter, then deliver the wanted records in batches of
            # BatchSize. A failed batch leaves the position where it was; delivered ones are skipped.
            response = self.streams_client.get_records(
                ShardIterator=self._iterator(source, shard_id), Limit=READ_AHEAD
            )
            records = [
                _jsonable({**r, "eventSourceARN": source.stream_arn, "awsRegion": self.region})
                for r in response.get("Records", [])
            ]
            done = source.delivered.get(shard_id, -1)
            wanted = [
                r
                for r in records
                if _sequence(r) > done and (not source.filters or any(matches(f, r) for f in source.filters))
            ]
            complete = True
            for start in range(0, len(wanted), source.batch_size):
                batch = wanted[start : start + source.batch_size]
                if not self._deliver_stream(source, batch):
                    complete = False
                    break
                source.delivered[shard_id] = _sequence(batch[-1])
            if complete and records:
                source.position[shard_id] = _sequence(records[-1])
            # Progress counts every record read, filtered out or not: drain() goes on until the
            # stream is read to its end, not until a batch happens to hold nothing wanted.
            handled += len(records) if complete else 0
        return handled

    def _deliver_stream(self, source: StreamSource, records: list[dict[str, Any]]) -> bool:
        try:
            self.invoker.invoke(source.function, {"Records": records})
        except Exception:
            source.failures += 1
            logger.exception(
                "stream batch failed", extra={"function": source.function, "tries": source.failures}
            )
            if source.failures <= source.max_retries:
                return False
            if source.on_failure_queue_arn:
                self.sqs.send_message(
                    QueueUrl=self.queue_urls[source.on_failure_queue_arn],
                    MessageBody=json.dumps({"function": source.function, "records": records}),
                )
        source.failures = 0
        return True

    def _poll_queue(self, source: QueueSource) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=source.queue_url,
            MaxNumberOfMessages=source.batch_size,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not messages:
            return 0
        event = {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": m.get("MessageAttributes", {}),
                    "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": source.queue_arn,
                    "awsRegion": self.region,
                }
                for m in messages
            ]
        }
        try:
            result = self.invoker.invoke(source.function, event) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:
            logger.exception("queue batch failed", extra={"function": source.function})
            failed = {m["MessageId"] for m in messages}
        for message in messages:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=source.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self.retry_visibility_seconds,
                )
            else:
                self.sqs.delete_message(QueueUrl=source.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def run_schedule(self, function: str, at: datetime) -> Any:
        """Invoke a scheduled function once, as its rule would at instant `at`."""
        return self.invoker.invoke(function, scheduled_event(at))

    def _run_due_schedules(self) -> None:
        now = time.monotonic()
        for source in self.schedules:
            if now - source.last_run >= source.every_seconds:
                source.last_run = now
                self.run_schedule(source.function, utc_now() + self.clock_offset)

    # ---- background ----------------------------------------------------------------------------------

    def start(self, interval: float = 0.3) -> None:
        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self._run_due_schedules()
                    self.poll_once()
                except Exception:
                    logger.exception("worker pass failed")

        self._thread = threading.Thread(target=loop, name="local-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
