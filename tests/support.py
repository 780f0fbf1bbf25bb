"""Test helpers: an API client that signs in through the local gateway like the web app does, and
builders for customers and invoices that go through the staff API."""

from __future__ import annotations

import email
import email.policy
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from werkzeug.test import Client, TestResponse

PASSWORD = "Correct-horse-battery-9"
_counter = itertools.count(1)


class ApiClient:
    def __init__(self, gateway: Any, token: str | None = None) -> None:
        self.client = Client(gateway)
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        # As the web app's fetch() asks by default (a binary answer, e.g. a PDF, needs an Accept).
        merged = {"Accept": "*/*", **(headers or {})}
        if self.token and "Authorization" not in merged:
            merged["Authorization"] = self.token
        return merged

    def get(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.get(f"/api{path}", headers=self._headers(headers), **kwargs)

    def post(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> TestResponse:
        return self.client.post(
            f"/api{path}", json=json if json is not None else {}, headers=self._headers(headers), **kwargs
        )

    def put(self, path: str, json: Any = None, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.put(f"/api{path}", json=json, headers=self._headers(headers))

    def delete(self, path: str, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.delete(f"/api{path}", headers=self._headers(headers))


@dataclass
class Customer:
    customer_id: str
    contact_id: str
    email: str
    api: ApiClient
    currency: str = "USD"


@dataclass
class DemoTenant:
    logins: list[Any] = field(default_factory=list)

    def contact(self, index: int = 0) -> Any:
        return [login for login in self.logins if "staff" not in login.who][index]


class PortalHandle:
    def __init__(self, local: Any) -> None:
        self.local = local
        self.gateway = local.gateway
        self._staff: ApiClient | None = None
        self._demo: DemoTenant | None = None

    def drain(self) -> None:
        self.local.worker.drain()

    def login(self, email: str, password: str = PASSWORD) -> ApiClient:
        api = ApiClient(self.gateway)
        response = api.post("/auth/login", {"email": email, "password": password})
        assert response.status_code == 200, response.get_data(as_text=True)
        api.token = response.json["id_token"]  # type: ignore[index]
        return api

    def staff(self) -> ApiClient:
        if self._staff is None:
            from infra.local.seed import provision_staff

            email = f"staff{next(_counter)}@renotech.solutions"
            provision_staff(email, PASSWORD)
            self._staff = self.login(email)
        return self._staff

    def new_customer(self, staff: ApiClient, currency: str = "USD") -> Customer:
        from services.auth.logic.use_cases import provision_login

        n = next(_counter)
        created = staff.post(
            "/staff/customers",
            {"display_name": f"Customer {n}", "email": f"ap{n}@customer{n}.com", "currency": currency},
        )
        assert created.status_code == 201, created.get_data(as_text=True)
        customer_id = created.json["customer_id"]  # type: ignore[index]
        email = f"contact{n}@customer{n}.com"
        contact = staff.post(
            f"/staff/customers/{customer_id}/contacts",
            {"first_name": "Casey", "last_name": f"Contact{n}", "email": email, "is_primary": True},
        )
        assert contact.status_code == 201, contact.get_data(as_text=True)
        contact_id = contact.json["contact_id"]  # type: ignore[index]
        self.drain()  # the other services learn of the customer from its events (their projections)
        provision_login(email, PASSWORD, customer_id, contact_id)
        return Customer(customer_id, contact_id, email, self.login(email), currency)

    def seed_demo(self) -> DemoTenant:
        if self._demo is None:
            from infra.local.seed import seed_demo

            self._demo = DemoTenant(seed_demo(self.drain))
            self.drain()
        return self._demo


def invoice_body(
    customer_id: str,
    issue_date: str,
    lines: list[dict[str, Any]] | None = None,
    currency: str = "USD",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "currency": currency,
        "issue_date": issue_date,
        "lines": lines
        or [
            {
                "description": "Design sprint",
                "quantity": "2",
                "unit_price": 100_00,
                "tax_name": "VAT",
                "tax_rate_bps": 2000,
            }
        ],
        **extra,
    }


def create_invoice(
    staff: ApiClient, customer_id: str, issue_date: str, issue: bool = True, **kwargs: Any
) -> Any:
    created = staff.post("/staff/invoices", invoice_body(customer_id, issue_date, **kwargs))
    assert created.status_code == 201, created.get_data(as_text=True)
    invoice = created.json
    if issue:
        issued = staff.post(f"/staff/invoices/{invoice['invoice_id']}/issue")  # type: ignore[index]
        assert issued.status_code == 200, issued.get_data(as_text=True)
        invoice = issued.json
    return invoice


def create_estimate(
    staff: ApiClient,
    customer_id: str,
    issue_date: str | None = None,
    send: bool = True,
    **kwargs: Any,
) -> Any:
    """A draft estimate (valid 30 days from `issue_date`, default today), sent unless `send=False`."""
    from shared.ids import utc_today

    body = invoice_body(customer_id, issue_date or utc_today().isoformat(), **kwargs)
    created = staff.post("/staff/estimates", body)
    assert created.status_code == 201, created.get_data(as_text=True)
    estimate = created.json
    if send:
        sent = staff.post(f"/staff/estimates/{estimate['estimate_id']}/send")  # type: ignore[index]
        assert sent.status_code == 200, sent.get_data(as_text=True)
        estimate = sent.json
    return estimate


# ---- what moto saw: AWS calls, sent emails, events on the bus; tokens signed with moto's key ---------


@contextmanager
def aws_calls() -> Iterator[Counter[str]]:
    """Counts every AWS call made in this process while the block runs, as `service:Operation`."""
    import botocore.client

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


def sent_messages() -> list[Any]:
    """Every email moto's SES accepted (the moto server runs in this process)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def mails_to(address: str, since: int = 0) -> list[EmailMessage]:
    found = []
    for raw in sent_messages()[since:]:
        message = email.message_from_string(raw.raw_data, policy=email.policy.default)
        if address.lower() in str(message["To"]).lower():
            found.append(message)
    return found  # type: ignore[return-value]


def bus_spy(portal: PortalHandle, pattern: dict[str, Any]) -> str:
    """An SQS queue that receives every event on the portal's bus matching `pattern`."""
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
    """The events a spy queue received so far (and takes them off the queue)."""
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


def moto_signing_key() -> Any:
    # moto signs every pool's tokens with this one key (kid "dummy"): a token minted with it is
    # accepted by the gateway apart from whatever claim a test changes.
    import gzip
    from pathlib import Path

    import jwt
    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    return jwt.algorithms.RSAAlgorithm.from_jwk(gzip.decompress(path.read_bytes()).decode())


def mint(claims: dict[str, Any], key: Any = None) -> str:
    import jwt

    return jwt.encode(claims, key or moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"})
