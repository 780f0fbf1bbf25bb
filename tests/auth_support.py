"""Helpers for the auth flows: emails from moto's SES, links in them, and TOTP codes."""

from __future__ import annotations

import base64
import email
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from typing import Any

import botocore.client
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from tests.support import PASSWORD, ApiClient, PortalHandle

STRONG_PASSWORD = "Lantern-orchid-741-quartz"


def sent_emails(to: str) -> list[Message]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    found = []
    for sent in backend.sent_messages:
        raw = getattr(sent, "raw_data", None)
        if raw is None:
            continue
        message = email.message_from_string(raw)
        if to.lower() in str(message.get("To", "")).lower():
            found.append(message)
    return found


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no plain-text part")


def link_token(message: Message, path: str) -> str:
    found = re.search(rf"{re.escape(path)}\?token=([A-Za-z0-9_\-]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def totp_code(secret: str) -> str:
    """The current code, never one about to roll over (moto accepts only the current 30 s step)."""
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)
    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(padded, casefold=True), 6, SHA1(), 30, enforce_key_length=False)
    return totp.generate(time.time()).decode()


@contextmanager
def aws_calls() -> Iterator[Counter[str]]:
    calls: Counter[str] = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        calls[f"{self.meta.service_model.service_name}:{operation}"] += 1
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = counting  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original  # type: ignore[method-assign]


def sign_in(portal: PortalHandle, email_address: str, password: str = PASSWORD) -> dict[str, Any]:
    response = ApiClient(portal.gateway).post("/auth/login", {"email": email_address, "password": password})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json  # type: ignore[no-any-return]


def bus_spy(portal: PortalHandle, pattern: dict[str, Any]) -> str:
    """An SQS queue that receives every event on the portal's bus matching `pattern`."""
    import json

    import boto3

    from shared.ids import new_id

    sqs, events = boto3.client("sqs"), boto3.client("events")
    bus = portal.local.stack.ref("EventBus")
    queue_url = sqs.create_queue(QueueName=f"spy-{new_id()}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule = f"spy-{new_id()}"
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "spy", "Arn": arn}])
    return str(queue_url)


def spied(queue_url: str) -> list[dict[str, Any]]:
    import json

    import boto3

    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
