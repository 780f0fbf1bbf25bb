"""A tenant's dead-letter queues (`python -m infra.tenants dlq list|show|redrive`): what is parked, why,
and moving it back to the queue it came from.

Which queues are dead-letter queues comes from template.yaml: an SQS queue another queue's
RedrivePolicy names (its messages redrive to that queue), or a stream event source's on-failure
destination (records of a stream batch that failed its retries; nothing to redrive them to). Where a
queue lives comes from a `QueueUrl` function, logical id → queue URL: the stack's resources in AWS
(`stack_queue_urls`), the local portal's `stack.ref` under `make run` and in the tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from infra.local.template import load
from infra.tenants.parameters import TenantError

QueueUrl = Callable[[str], str]  # a queue's logical id in template.yaml → its URL
PEEK_VISIBILITY_SECONDS = 30  # how long `show` hides what it reads (made visible again right after)
MOVE_VISIBILITY_SECONDS = 120  # a message being moved by hand stays hidden until it is deleted
# What an SQS endpoint answers for an action it does not implement (moto: StartMessageMoveTask).
UNSUPPORTED_CODES = {"InvalidAction", "UnsupportedOperation", "NotImplemented", "InternalFailure", "500"}


@dataclass(frozen=True)
class DeadLetterQueue:
    logical_id: str
    source_queues: tuple[str, ...]  # queues whose RedrivePolicy names it
    max_receive_count: int | None
    functions: tuple[str, ...]  # functions whose stream on-failure destination it is

    @property
    def kind(self) -> str:
        return "queue DLQ" if self.source_queues else "stream on-failure"


@dataclass(frozen=True)
class Parked:
    message_id: str
    receive_count: int
    first_sent: str  # ISO 8601, UTC
    detail_type: str | None
    source: str | None
    event_id: str | None
    reason: str


@dataclass(frozen=True)
class Redrive:
    moved: int
    method: str
    destination: str


def _arn_target(value: Any) -> str | None:
    """The logical id of a `!GetAtt X.Arn` (either form), else None."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        name = target[0] if isinstance(target, list) else str(target).split(".", 1)[0]
        return str(name)
    return None


def dead_letter_queues(template: dict[str, Any]) -> list[DeadLetterQueue]:
    resources = template["Resources"]
    sources: dict[str, list[str]] = {}
    max_receives: dict[str, int] = {}
    functions: dict[str, list[str]] = {}
    for name, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in properties:
            policy = properties["RedrivePolicy"]
            target = _arn_target(policy.get("deadLetterTargetArn"))
            if target:
                sources.setdefault(target, []).append(name)
                max_receives[target] = int(policy.get("maxReceiveCount", 0))
        if resource["Type"] == "AWS::Serverless::Function":
            for event in properties.get("Events", {}).values():
                destination = event.get("Properties", {}).get("DestinationConfig", {}).get("OnFailure", {})
                target = _arn_target(destination.get("Destination"))
                if target and resources.get(target, {}).get("Type") == "AWS::SQS::Queue":
                    functions.setdefault(target, []).append(name)
    return [
        DeadLetterQueue(
            name,
            tuple(sources.get(name, ())),
            max_receives.get(name),
            tuple(sorted(set(functions.get(name, ())))),
        )
        for name in sorted(set(sources) | set(functions))
    ]


def stack_queue_urls(cloudformation: Any, stack: str) -> QueueUrl:
    """The stack's queues (CloudFormation ListStackResources: a queue's physical id is its URL)."""
    urls: dict[str, str] = {}
    try:
        for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack):
            for resource in page["StackResourceSummaries"]:
                if resource["ResourceType"] == "AWS::SQS::Queue" and resource.get("PhysicalResourceId"):
                    urls[resource["LogicalResourceId"]] = resource["PhysicalResourceId"]
    except ClientError as error:
        if "does not exist" in str(error):
            raise TenantError(f"stack {stack} does not exist: deploy the tenant first") from None
        raise

    def url(logical_id: str) -> str:
        if logical_id not in urls:
            raise TenantError(f"stack {stack} has no queue {logical_id}")
        return urls[logical_id]

    return url


def local_queue_urls(sqs: Any, tenant_id: str, stage: str) -> QueueUrl:
    """The queues of a tenant `make run` provisioned (infra/local/provision.py names each
    `portal-<tenant>-<stage>-<LogicalId>`), on the moto server `sqs` talks to."""

    def url(logical_id: str) -> str:
        name = f"portal-{tenant_id}-{stage}-{logical_id}"
        try:
            return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
        except ClientError:
            raise TenantError(
                f"no queue {name} at {sqs.meta.endpoint_url}: is `make run` serving {tenant_id}?"
            ) from None

    return url


def _timestamp(milliseconds: str | None) -> str:
    if not milliseconds:
        return "-"
    return datetime.fromtimestamp(int(milliseconds) / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DeadLetters:
    """One tenant's dead-letter queues through an SQS client."""

    def __init__(self, sqs: Any, queue_url: QueueUrl, template: dict[str, Any] | None = None) -> None:
        self.sqs, self.queue_url = sqs, queue_url
        self.queues = dead_letter_queues(template if template is not None else load())

    def find(self, name: str) -> DeadLetterQueue:
        for queue in self.queues:
            if queue.logical_id.lower() == name.lower():
                return queue
        names = ", ".join(queue.logical_id for queue in self.queues)
        raise TenantError(f"no dead-letter queue {name!r}; the stack's are: {names}")

    def _attribute(self, url: str, name: str) -> str:
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[name])["Attributes"]
        return str(attributes.get(name, "0"))

    def held(self, queue: DeadLetterQueue) -> int:
        return int(self._attribute(self.queue_url(queue.logical_id), "ApproximateNumberOfMessages"))

    def show(self, name: str, limit: int = 10) -> list[Parked]:
        """Reads up to `limit` parked messages without taking them: each is hidden for a moment by the
        receive, then made visible again (receiving does add one to its receive count)."""
        queue = self.find(name)
        url = self.queue_url(queue.logical_id)
        received: list[dict[str, Any]] = []
        try:
            while len(received) < limit:
                batch = self.sqs.receive_message(
                    QueueUrl=url,
                    MaxNumberOfMessages=min(10, limit - len(received)),
                    VisibilityTimeout=PEEK_VISIBILITY_SECONDS,
                    AttributeNames=["All"],
                    WaitTimeSeconds=0,
                ).get("Messages", [])
                if not batch:
                    break
                received += batch
        finally:
            for message in received:
                self.sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
        return [self._parked(queue, message) for message in received]

    def _parked(self, queue: DeadLetterQueue, message: dict[str, Any]) -> Parked:
        attributes = message.get("Attributes", {})
        try:
            body = json.loads(message["Body"])
        except ValueError:
            body = None
        event: dict[str, Any] = body if isinstance(body, dict) and "detail-type" in body else {}
        detail: dict[str, Any] = event["detail"] if isinstance(event.get("detail"), dict) else {}
        metadata: dict[str, Any] = detail["metadata"] if isinstance(detail.get("metadata"), dict) else {}
        return Parked(
            message_id=message["MessageId"],
            receive_count=int(attributes.get("ApproximateReceiveCount", 0)),
            first_sent=_timestamp(attributes.get("SentTimestamp")),
            detail_type=event.get("detail-type"),
            source=event.get("source"),
            event_id=metadata.get("event_id") or event.get("id"),
            reason=_reason(queue, body),
        )

    def redrive(self, name: str) -> Redrive:
        """Moves every parked message back to the queue whose RedrivePolicy names this one: SQS's
        StartMessageMoveTask where the endpoint has it, else receive → send → delete by hand."""
        queue = self.find(name)
        if not queue.source_queues:
            functions = ", ".join(queue.functions)
            raise TenantError(
                f"{queue.logical_id} holds stream on-failure records of {functions}: there is no queue to "
                "redrive them to; replay them from the records `dlq show` prints"
            )
        if len(queue.source_queues) > 1:
            raise TenantError(f"{queue.logical_id} is the DLQ of several queues: {queue.source_queues}")
        url, source_url = self.queue_url(queue.logical_id), self.queue_url(queue.source_queues[0])
        destination = queue.source_queues[0]
        try:
            held = int(self._attribute(url, "ApproximateNumberOfMessages"))
            self.sqs.start_message_move_task(
                SourceArn=self._attribute(url, "QueueArn"),
                DestinationArn=self._attribute(source_url, "QueueArn"),
            )
            return Redrive(held, "StartMessageMoveTask (SQS moves them asynchronously)", destination)
        except ClientError as error:
            if not _unsupported(error):
                raise
        except NotImplementedError:
            pass
        return Redrive(self._move_by_hand(url, source_url), "receive → send → delete", destination)

    def _move_by_hand(self, url: str, source_url: str) -> int:
        """Each message is sent to the source queue before it is deleted here: a crash in between leaves
        it in both (the consumers are idempotent by event id), never in neither."""
        moved = 0
        while True:
            batch = self.sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=10,
                VisibilityTimeout=MOVE_VISIBILITY_SECONDS,
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            ).get("Messages", [])
            if not batch:
                return moved
            for message in batch:
                attributes = message.get("MessageAttributes")
                self.sqs.send_message(
                    QueueUrl=source_url,
                    MessageBody=message["Body"],
                    **({"MessageAttributes": attributes} if attributes else {}),
                )
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                moved += 1


def _unsupported(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    status = str(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
    return code in UNSUPPORTED_CODES or status in {"500", "501"}


def _reason(queue: DeadLetterQueue, body: Any) -> str:
    """Why the message was parked, as far as the queue and the body say."""
    if isinstance(body, dict) and "records" in body and "function" in body:  # the local worker's record
        return f"stream batch of {len(body['records'])} record(s) failed every retry in {body['function']}"
    if isinstance(body, dict) and isinstance(body.get("requestContext"), dict):  # Lambda's on-failure
        context = body["requestContext"]
        function = str(context.get("functionArn", "?")).rsplit(":", 1)[-1]
        error = body.get("responseContext", {}).get("functionError", "")
        return f"{context.get('condition', 'failed')} in {function}" + (f" ({error})" if error else "")
    if queue.source_queues:
        return f"not processed after {queue.max_receive_count} receives from {', '.join(queue.source_queues)}"
    return "unknown"
