"""Cold start, honestly counted: for every function of template.yaml, a fresh interpreter imports its
handler and serves one real first request (an event the function received in a scripted portal
session, replayed against the same moto server), as a ratio to `import boto3` alone. Deferring a
module to the first request (shared.lazy) moves its cost, so the first request is counted too.

The time the request waits on AWS (moto here: every HTTP response it reads) is reported apart and
left out of the ratio: that is the service's latency, the same warm or cold, not start-up work.
Each function's runs alternate with boto3 runs (one fresh process each), so a machine that slows
down mid-run slows both sides; the figures are medians.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOAL = 1.5
RUNS = 7
ROOT = Path(__file__).resolve().parents[1]
# The request a user waits for first, where a function serves several: the portal's reads and sign-in.
PREFERRED = ("/dashboard", "/invoices", "/activity", "/auth/login")

# Runs in the fresh interpreter. http.client is imported before the clock starts by both sides (the
# baseline too): it is only there to time the waits on AWS.
CHILD = r"""
import http.client, importlib, json, sys, time
waiting = [0.0]
_getresponse = http.client.HTTPConnection.getresponse
def getresponse(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return _getresponse(self, *args, **kwargs)
    finally:
        waiting[0] += time.perf_counter() - started
http.client.HTTPConnection.getresponse = getresponse
target, event_file = sys.argv[1], sys.argv[2]
event = json.loads(open(event_file).read()) if event_file else None
class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = log_group_name = log_stream_name = "bench"
    def get_remaining_time_in_millis(self):
        return 10_000
started, cpu = time.perf_counter(), time.process_time()
if target == "boto3":
    import boto3
    imported = time.perf_counter() - started
elif target in ("floor", "stack"):
    import os, boto3
    if target == "stack":  # what every function of this design loads besides boto3
        import chalice, pydantic
        from aws_lambda_powertools import Logger
        Logger(service="floor")
        type("Floor", (pydantic.BaseModel,), {"__annotations__": {"a": int}})(a=1)
    imported = time.perf_counter() - started
    key = {"pk": {"S": "cold-start"}, "sk": {"S": "floor"}}
    boto3.client("dynamodb").get_item(TableName=os.environ["CUSTOMERS_TABLE_NAME"], Key=key)
else:
    module, _, name = target.rpartition(".")
    handler = getattr(importlib.import_module(module), name)
    imported = time.perf_counter() - started
    if event is not None:
        handler(event, Context())
total = time.perf_counter() - started
print(json.dumps({"import": imported, "total": total, "aws": waiting[0], "cpu": time.process_time() - cpu}))
"""


@dataclass(frozen=True)
class Sample:
    imported: float
    total: float
    aws: float
    cpu: float

    @property
    def cold(self) -> float:
        """Import plus the first request's own work (its waits on AWS left out)."""
        return self.total - self.aws


@dataclass(frozen=True)
class ColdStart:
    function: str
    handler: str
    first_request: str  # what the replayed event was ("import only" when there was none)
    imported: float
    first: float  # the first request's own work
    aws: float  # of the first request, waiting on AWS
    baseline: float  # `import boto3`, alternating with this function's runs
    ratio: float
    cpu_ratio: float  # the same ratio in CPU time: steadier than wall time on a shared machine


# Variables the local portal sets in place of the template's AWS values (infra/local/portal.py).
LOCAL_OVERRIDES = ("JWKS_URL",)


def _run(target: str, event_file: str, environment: dict[str, str]) -> Sample:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, target, event_file],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{target}: {out.stderr.strip().splitlines()[-1:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return Sample(figures["import"], figures["total"], figures["aws"], figures["cpu"])


def describe(event: dict[str, Any] | None) -> str:
    if event is None:
        return "import only (no event seen)"
    if "httpMethod" in event:
        return f"{event['httpMethod']} {event.get('resource')}"
    records = event.get("Records") or []
    if records:
        source = records[0].get("eventSource", "")
        if source == "aws:sqs":
            return f"SQS: {json.loads(records[0]['body']).get('detail-type', 'message')}"
        return f"{source.removeprefix('aws:')} stream: {records[0].get('eventName', '')}"
    return str(event.get("triggerSource") or event.get("type") or "event")


def capture_first_events(portal: Any) -> dict[str, dict[str, Any]]:
    """Drive a short portal session (staff and a customer, an invoice issued and read, an
    invitation) and keep, per function, the event of its first request (see PREFERRED)."""
    from tests.support import PortalHandle, create_invoice

    seen: dict[str, list[dict[str, Any]]] = {}
    invoke: Callable[..., Any] = portal.invoker.invoke

    def recording(function: str, event: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        seen.setdefault(function, []).append(json.loads(json.dumps(event, default=str)))
        return invoke(function, event, *args, **kwargs)

    portal.invoker.invoke = recording
    try:
        handle = PortalHandle(portal)
        staff = handle.staff()
        customer = handle.new_customer(staff)
        create_invoice(staff, customer.customer_id, "2026-10-01")
        handle.drain()
        for path in ("/dashboard", "/invoices", "/activity"):
            customer.api.get(path)
        contact = staff.post(
            f"/staff/customers/{customer.customer_id}/contacts",
            {"first_name": "Cold", "last_name": "Start", "email": f"cold-{customer.customer_id}@example.com"},
        ).get_json()
        if contact and "contact_id" in contact:
            staff.post(f"/staff/customers/{customer.customer_id}/contacts/{contact['contact_id']}/invitation")
        handle.drain()
    finally:
        portal.invoker.invoke = invoke
    chosen = {}
    for function, events in seen.items():
        preferred = [e for e in events if e.get("resource") in PREFERRED and e.get("httpMethod") != "OPTIONS"]
        chosen[function] = (preferred or events)[0]
    return chosen


def fresh(event: dict[str, Any]) -> str:
    """The event as JSON, its bus events under new ids: a consumer dedupes by event id, and a
    replay it recognised would skip the work a real first event does (emails, templates)."""
    from shared.ids import new_id

    text = json.dumps(event)
    for record in event.get("Records") or []:
        if record.get("eventSource") == "aws:sqs":
            event_id = json.loads(record["body"]).get("detail", {}).get("metadata", {}).get("event_id")
            if event_id:
                text = text.replace(event_id, new_id())
    return text


FLOORS = {
    "floor": "floor: `import boto3` + a DynamoDB client + one GetItem",
    "stack": "floor of this stack: the above + pydantic (one model), chalice, Powertools Logger",
}


def _figures(name: str, handler: str, event: str, samples: list[Sample], baseline: list[Sample]) -> ColdStart:
    boto3_seconds = statistics.median(s.total for s in baseline)
    return ColdStart(
        function=name,
        handler=handler,
        first_request=event,
        imported=statistics.median(s.imported for s in samples),
        first=statistics.median(s.cold - s.imported for s in samples),
        aws=statistics.median(s.aws for s in samples),
        baseline=boto3_seconds,
        ratio=statistics.median(s.cold for s in samples) / boto3_seconds,
        cpu_ratio=statistics.median(s.cpu for s in samples) / statistics.median(s.cpu for s in baseline),
    )


def measure(portal: Any, runs: int = RUNS) -> list[ColdStart]:
    """Every function of the template, and first two floors: what any function that reads DynamoDB
    on its first request pays at least, whatever its own code, and what one built on this design's
    libraries pays at least."""
    events = capture_first_events(portal)
    base_environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for target, label in FLOORS.items():
            baseline, floor = [], []
            for _ in range(runs):  # alternating: boto3, the floor, boto3, …
                baseline.append(_run("boto3", "", base_environment))
                floor.append(_run(target, "", base_environment))
            results.append(_figures(label, "boto3", "GetItem", floor, baseline))
        for name, spec in sorted(portal.stack.functions.items()):
            event = events.get(name)
            environment = {**base_environment, **spec.environment, "_HANDLER": spec.handler}
            # What the local portal points elsewhere than AWS (moto serves the pool's keys) stays so.
            environment.update({k: base_environment[k] for k in LOCAL_OVERRIDES if k in base_environment})
            samples, baseline = [], []
            for run in range(runs):  # alternating: boto3, the function, boto3, …
                event_file = ""
                if event is not None:
                    event_file = str(Path(folder) / f"{name}-{run}.json")
                    Path(event_file).write_text(fresh(event))
                baseline.append(_run("boto3", "", environment))
                samples.append(_run(spec.handler, event_file, environment))
            results.append(_figures(name, spec.handler, describe(event), samples, baseline))
    return results
