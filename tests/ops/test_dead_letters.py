"""`python -m infra.tenants dlq list|show|redrive` as an operator meets it: a consumer fails on a real
event until its cause is fixed, the event is parked in the consumer's dead-letter queue by SQS's own
redrive policy, the operator sees it and why, fixes the cause, redrives, and the effect happens once.

The CLI reads the test session's local portal: its queues are found through the portal's stack
(`stack.ref`) instead of CloudFormation's ListStackResources, the one seam `Cli(dead_letters=…)`."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from infra.local.template import ROOT
from infra.tenants.__main__ import Cli, main
from infra.tenants.dead_letters import DeadLetters
from infra.tenants.parameters import TenantError, TenantParameters
from services.customers.logic.receivables import apply_invoice_event as real_apply
from shared.ids import utc_today
from tests.support import PortalHandle, create_invoice

DLQ, SOURCE = "ReceivablesDeadLetterQueue", "ReceivablesQueue"


class Operator:
    """Runs the CLI against the local portal's stack and keeps what it printed."""

    def __init__(self, portal: PortalHandle) -> None:
        self.stack = portal.local.stack
        self.sqs = boto3.client("sqs", region_name=self.stack.resolver.region)

    def dead_letters(self, tenant: TenantParameters) -> DeadLetters:
        if tenant.tenant_id != self.stack.resolver.parameters["TenantId"]:
            raise TenantError(f"the local portal runs no stack for {tenant.tenant_id}")
        return DeadLetters(self.sqs, self.stack.ref)

    def __call__(self, *argv: str) -> tuple[int, str]:
        out = io.StringIO()

        def no_cloudformation() -> Any:
            raise AssertionError("dlq must not need CloudFormation when its queues are given")

        cli = Cli(no_cloudformation, out=out, dead_letters=self.dead_letters)
        return main(["dlq", *argv], cli), out.getvalue()

    def held(self, queue: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.stack.ref(queue),
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )


def _listed(text: str) -> dict[str, int]:
    """`dlq list`'s table: queue → messages."""
    rows = [line.split() for line in text.splitlines()[1:]]
    return {row[0]: int(row[3]) for row in rows}


def test_a_parked_event_is_listed_shown_and_redriven_once_its_cause_is_fixed(
    portal: PortalHandle, staff: Any, customer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.customers.consumers as consumers

    operator = Operator(portal)
    portal.drain()
    # What earlier tests of the session parked is not this test's (redriven, it would fail again).
    boto3.client("sqs").purge_queue(QueueUrl=portal.local.stack.ref(DLQ))
    parked_before = operator.held(DLQ)
    applied: list[str] = []

    def projection_table_missing(data: Any) -> None:
        raise RuntimeError("the receivables projection cannot be written (the cause the operator fixes)")

    def counted_apply(data: Any) -> None:
        applied.append(data.invoice_id)
        real_apply(data)

    monkeypatch.setattr(consumers, "apply_invoice_event", projection_table_missing)
    # Each failed receive comes straight back (not after 2 s): maxReceiveCount tries, then the DLQ.
    monkeypatch.setattr(portal.local.worker, "retry_visibility_seconds", 0)
    sent_after = datetime.now(UTC).replace(microsecond=0)
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    assert invoice["invoice_id"] not in {
        i["invoice_id"] for i in customer.api.get("/dashboard").json["open_invoices"]
    }
    assert operator.held(SOURCE) == 0 and operator.held(DLQ) == parked_before + 1

    status, listed = operator("list", "demo")
    assert status == 0, listed
    queues = _listed(listed)
    assert queues[DLQ] == parked_before + 1
    assert {"AuthDeadLetterQueue", "OutboxDeadLetterQueue", "NotificationsDeadLetterQueue"} <= set(queues)

    status, shown = operator("show", "demo", DLQ, "--limit", "50")
    assert status == 0, shown
    assert "InvoiceIssued from portal.invoices" in shown
    assert "not processed after 5 receives from ReceivablesQueue" in shown
    sent = [datetime.fromisoformat(at) for at in re.findall(r"first sent (\S+),", shown)]
    assert any(sent_after <= at <= datetime.now(UTC) for at in sent), shown
    assert operator.held(DLQ) == parked_before + 1  # showing took nothing away
    assert _listed(operator("list", "demo")[1])[DLQ] == parked_before + 1  # and left it visible

    monkeypatch.setattr(consumers, "apply_invoice_event", counted_apply)  # the cause fixed
    status, redriven = operator("redrive", "demo", DLQ)
    assert status == 0, redriven
    assert f"moved {parked_before + 1} message(s) to ReceivablesQueue by receive → send → delete" in redriven
    portal.drain()

    assert applied.count(invoice["invoice_id"]) == 1
    open_invoices = [
        i
        for i in customer.api.get("/dashboard").json["open_invoices"]
        if i["invoice_id"] == invoice["invoice_id"]
    ]
    assert len(open_invoices) == 1
    assert operator.held(DLQ) == 0 and operator.held(SOURCE) == 0
    assert _listed(operator("list", "demo")[1])[DLQ] == 0


def test_unknown_tenants_and_queues_and_stream_records_are_refused_with_a_reason(
    portal: PortalHandle,
) -> None:
    operator = Operator(portal)
    status, text = operator("list", "nobody")
    assert status == 2 and "error:" in text and "nobody" in text
    status, text = operator("show", "demo", "NoSuchQueue")
    assert status == 2 and "no dead-letter queue 'NoSuchQueue'" in text and DLQ in text
    # A stream's on-failure records name their function; there is no queue to put them back on.
    status, text = operator("redrive", "demo", "AuthDeadLetterQueue")
    assert status == 2 and "stream on-failure records" in text and "AuthOutboxFunction" in text
    assert operator("redrive", "demo", "ReceivablesQueue")[0] == 2  # a source queue is no DLQ


def test_the_command_line_reads_a_local_portals_queues_at_its_moto_endpoint(portal: PortalHandle) -> None:
    """What an operator types under `make run` (which prints moto's address)."""

    def command(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "infra.tenants", "dlq", *argv, "--endpoint-url", portal.local.endpoint],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    listed = command("list", "demo")
    assert listed.returncode == 0, listed.stderr
    assert "ReceivablesDeadLetterQueue" in listed.stdout and "stream on-failure" in listed.stdout
    shown = command("show", "demo", "NotificationsDeadLetterQueue")
    assert shown.returncode == 0 and "NotificationsDeadLetterQueue: 0 message(s) shown" in shown.stdout
    unknown = command("list", "nobody")
    assert unknown.returncode == 2 and "error:" in unknown.stdout and "nobody" in unknown.stdout
    # acme has a parameter file, but this portal serves only demo
    served_elsewhere = command("list", "acme")
    assert served_elsewhere.returncode == 2 and "is `make run` serving acme?" in served_elsewhere.stdout
