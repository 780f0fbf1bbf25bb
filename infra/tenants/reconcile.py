"""`python -m infra.tenants reconcile TENANT`: runs the stack's daily reconciliation now
(PaymentsReconcileFunction, invoked and waited for) and prints what it found, per customer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from infra.tenants.parameters import TenantError, TenantParameters

FUNCTION = "PaymentsReconcileFunction"
# What the function answers: {"customers", "reads", "unbalanced": {customer_id: [difference, …]}}
Reconcile = Callable[[TenantParameters], dict[str, Any]]


def invoke_in_stack(cloudformation: Any, lambda_client: Any) -> Reconcile:
    """In AWS: the function's physical name from the tenant's stack, invoked as its schedule would."""

    def run(tenant: TenantParameters) -> dict[str, Any]:
        try:
            found = cloudformation.describe_stack_resource(
                StackName=tenant.stack_name, LogicalResourceId=FUNCTION
            )["StackResourceDetail"]["PhysicalResourceId"]
        except Exception as error:  # botocore's ClientError: no stack, or a release before this function
            raise TenantError(f"stack {tenant.stack_name} has no {FUNCTION}: {error}") from None
        answer = lambda_client.invoke(FunctionName=found, Payload=json.dumps(scheduled_now()))
        payload = json.loads(answer["Payload"].read() or b"null")
        if answer.get("FunctionError"):
            raise TenantError(f"{FUNCTION} failed: {payload}")
        return dict(payload)

    return run


def scheduled_now() -> dict[str, Any]:
    from datetime import UTC, datetime

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"detail-type": "Scheduled Event", "source": "aws.events", "time": now, "detail": {}}


def report(found: dict[str, Any]) -> tuple[list[str], bool]:
    """The lines to print, and whether every customer's books balance."""
    unbalanced: dict[str, list[str]] = found.get("unbalanced") or {}
    lines = [f"{found.get('customers', 0)} customers reconciled ({found.get('reads', 0)} DynamoDB reads)"]
    for customer_id, differences in unbalanced.items():
        lines += [f"unbalanced  {customer_id}: {difference}" for difference in differences]
    if not unbalanced:
        lines.append("ok       every customer's books balance")
    return lines, not unbalanced
