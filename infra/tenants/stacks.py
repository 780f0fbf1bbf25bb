"""One tenant's stack through CloudFormation change sets (boto3 only): plan, deploy, upgrade in waves,
delete keeping (or, when told, destroying) the data. The SAM CLI engine (infra/tenants/sam.py)
deploys the same stacks the same way when the SAM CLI is installed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from infra.tenants.package import packaged_template
from infra.tenants.parameters import TenantError, TenantParameters, stack_name

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
# Resources whose replacement or removal loses data or identities (the users' logins, keys, secrets).
STATEFUL = {
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::Cognito::UserPool",
    "AWS::KMS::Key",
    "AWS::SecretsManager::Secret",
    "AWS::Events::Archive",
}
DONE = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"}
FAILED_SUFFIXES = ("_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_IN_PROGRESS")
TAG_TENANT, TAG_RELEASE = "tenant", "release"
# A stack in one of these states runs no release (its first deploy never finished).
NEVER_RAN = {"REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS", "CREATE_FAILED", "ROLLBACK_IN_PROGRESS",
             "ROLLBACK_COMPLETE", "ROLLBACK_FAILED"}  # fmt: skip


@dataclass(frozen=True)
class Change:
    action: str  # Add | Modify | Remove | Import | Dynamic
    logical_id: str
    resource_type: str
    replacement: str  # True | False | Conditional | "" (an Add or Remove)

    @property
    def dangerous(self) -> bool:
        """Loses a stateful resource's contents: its replacement or its removal."""
        return self.resource_type in STATEFUL and (
            self.action == "Remove" or self.replacement in {"True", "Conditional"}
        )


@dataclass
class Plan:
    tenant: str
    stack: str
    change_set_id: str
    creating: bool
    changes: list[Change] = field(default_factory=list)
    # False when CloudFormation found nothing to change at all (not even the release tag).
    executable: bool = True

    @property
    def dangerous(self) -> list[Change]:
        return [change for change in self.changes if change.dangerous]


@dataclass(frozen=True)
class StackInfo:
    tenant: str
    stack: str
    status: str  # a CloudFormation stack status, or NOT_DEPLOYED
    release: str | None


@dataclass
class Outcome:
    tenant: str
    ok: bool
    status: str
    seconds: float
    message: str = ""


class Stacks:
    """The tenant stacks of one account and region, through a boto3 session."""

    def __init__(
        self,
        session: Any,
        poll_seconds: float = 2.0,
        timeout_seconds: float = 3600,
        adapt: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        self.session = session
        self.adapt = adapt
        self.cloudformation = session.client("cloudformation")
        self.s3 = session.client("s3")
        self.region = session.region_name
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds
        self._account: str | None = None

    @property
    def account(self) -> str:
        if self._account is None:
            self._account = str(self.session.client("sts").get_caller_identity()["Account"])
        return self._account

    # ---- reading ---------------------------------------------------------------------------------
    def describe(self, tenant: str) -> dict[str, Any] | None:
        try:
            stacks = self.cloudformation.describe_stacks(StackName=stack_name(tenant))["Stacks"]
        except self.cloudformation.exceptions.ClientError as error:
            if "does not exist" in str(error):
                return None
            raise
        stack = stacks[0] if stacks else None
        if stack is None or stack["StackStatus"] == "DELETE_COMPLETE":
            return None
        return dict(stack)

    def info(self, tenant: str) -> StackInfo:
        stack = self.describe(tenant)
        if stack is None:
            return StackInfo(tenant, stack_name(tenant), "NOT_DEPLOYED", None)
        status = stack["StackStatus"]
        if status in NEVER_RAN:
            return StackInfo(tenant, stack["StackName"], status, None)
        tags = {tag["Key"]: tag["Value"] for tag in stack.get("Tags", [])}
        return StackInfo(
            tenant, stack["StackName"], status, self._deployed_release(tenant) or tags.get(TAG_RELEASE)
        )

    def _deployed_release(self, tenant: str) -> str | None:
        try:
            release = self._template(tenant).get("Metadata", {}).get("BillingPortal", {}).get("Release")
        except self.cloudformation.exceptions.ClientError:
            return None
        return str(release) if release else None

    def _template(self, tenant: str) -> dict[str, Any]:
        body = self.cloudformation.get_template(StackName=stack_name(tenant))["TemplateBody"]
        return dict(body) if isinstance(body, dict) else _json(body)

    # ---- change sets -----------------------------------------------------------------------------
    def plan(self, tenant: TenantParameters, release: str, code: bytes | None = None) -> Plan:
        """Creates a change set for `release` (not executed) and describes what it would change."""
        parameters = tenant.stack_parameters()
        bucket, key = packaged_template(
            self.s3, self.account, self.region, release, parameters, code, self.adapt
        )
        existing = self.describe(tenant.tenant_id)
        creating = existing is None or existing["StackStatus"] == "REVIEW_IN_PROGRESS"
        created = self.cloudformation.create_change_set(
            StackName=tenant.stack_name,
            ChangeSetName=f"release-{_safe(release)}-{int(time.time())}",
            ChangeSetType="CREATE" if creating else "UPDATE",
            TemplateURL=f"https://{bucket}.s3.{self.region}.amazonaws.com/{key}",
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(parameters.items())],
            Capabilities=CAPABILITIES,
            Tags=[{"Key": TAG_TENANT, "Value": tenant.tenant_id}, {"Key": TAG_RELEASE, "Value": release}],
            Description=f"{tenant.tenant_id} to release {release}",
        )
        plan = Plan(tenant.tenant_id, tenant.stack_name, created["Id"], creating)
        description = self._wait_for_change_set(plan.change_set_id)
        plan.changes = [_change(c["ResourceChange"]) for c in description.get("Changes", [])]
        plan.executable = description["Status"] == "CREATE_COMPLETE"
        return plan

    def _wait_for_change_set(self, change_set_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            described = self.cloudformation.describe_change_set(ChangeSetName=change_set_id)
            status = described["Status"]
            if status == "CREATE_COMPLETE":
                changes = list(described.get("Changes", []))
                while described.get("NextToken"):
                    described = self.cloudformation.describe_change_set(
                        ChangeSetName=change_set_id, NextToken=described["NextToken"]
                    )
                    changes += described.get("Changes", [])
                return {**described, "Changes": changes}
            if status == "FAILED":
                reason = described.get("StatusReason", "")
                if "didn't contain changes" in reason or "No updates" in reason:
                    return {**described, "Changes": []}
                raise TenantError(f"change set failed: {reason}")
            if time.monotonic() > deadline:
                raise TenantError(f"change set still {status} after {self.timeout_seconds:.0f} s")
            time.sleep(self.poll_seconds)

    def discard(self, plan: Plan) -> None:
        self.cloudformation.delete_change_set(ChangeSetName=plan.change_set_id)
        if plan.creating:
            # A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS: nothing was deployed.
            stack = self.describe(plan.tenant)
            if stack is not None and stack["StackStatus"] == "REVIEW_IN_PROGRESS":
                self.cloudformation.delete_stack(StackName=plan.stack)

    def execute(self, plan: Plan, allow_replace: bool = False) -> None:
        if plan.dangerous and not allow_replace:
            self.discard(plan)
            names = ", ".join(f"{c.logical_id} ({c.resource_type})" for c in plan.dangerous)
            raise TenantError(f"{plan.tenant}: would replace or remove stateful {names}; --allow-replace")
        if not plan.executable:
            self.discard(plan)
            return
        self.cloudformation.execute_change_set(ChangeSetName=plan.change_set_id)

    def wait(self, tenant: str) -> str:
        """The stack's final status once CloudFormation is done with it."""
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            stack = self.describe(tenant)
            status = "DELETE_COMPLETE" if stack is None else stack["StackStatus"]
            if not status.endswith("_IN_PROGRESS") or status == "REVIEW_IN_PROGRESS":
                return status
            if time.monotonic() > deadline:
                raise TenantError(f"{tenant}: still {status} after {self.timeout_seconds:.0f} s")
            time.sleep(self.poll_seconds)

    # ---- commands --------------------------------------------------------------------------------
    def deploy(
        self, tenant: TenantParameters, release: str, allow_replace: bool = False, code: bytes | None = None
    ) -> Outcome:
        return self.deploy_wave([tenant], release, allow_replace, code)[0]

    def deploy_wave(
        self,
        tenants: list[TenantParameters],
        release: str,
        allow_replace: bool = False,
        code: bytes | None = None,
    ) -> list[Outcome]:
        """Deploys `release` to these tenants at once: every change set is created and executed, then
        CloudFormation works on the stacks side by side while this waits for each."""
        started = time.monotonic()
        outcomes: dict[str, Outcome] = {}
        running = []
        for tenant in tenants:
            try:
                self.execute(self.plan(tenant, release, code), allow_replace)
                running.append(tenant.tenant_id)
            except Exception as error:  # reported per tenant: the wave goes on, the next does not
                outcomes[tenant.tenant_id] = Outcome(
                    tenant.tenant_id, False, self.info(tenant.tenant_id).status, 0.0, _message(error)
                )
        for tenant_id in running:
            try:
                status = self.wait(tenant_id)
                ok = status in DONE
                message = "" if ok else self._failure_reason(tenant_id)
            except Exception as error:
                status, ok, message = "UNKNOWN", False, _message(error)
            outcomes[tenant_id] = Outcome(tenant_id, ok, status, time.monotonic() - started, message)
        return [outcomes[tenant.tenant_id] for tenant in tenants]

    def upgrade(
        self,
        tenants: list[TenantParameters],
        release: str,
        wave: int = 1,
        code: bytes | None = None,
        report: Callable[[Outcome], None] = lambda outcome: None,
    ) -> list[Outcome]:
        """Waves of `wave` tenants, in order; stops after the first wave with a failure."""
        outcomes: list[Outcome] = []
        for start in range(0, len(tenants), max(1, wave)):
            results = self.deploy_wave(tenants[start : start + wave], release, code=code)
            for outcome in results:
                report(outcome)
            outcomes += results
            if not all(outcome.ok for outcome in results):
                break
        return outcomes

    def retained(self, tenant: str) -> list[tuple[str, str, str]]:
        """(logical id, type, physical id) of the stack's resources that outlive it (Retain)."""
        declared = self._template(tenant)["Resources"]
        kept = {name for name, r in declared.items() if r.get("DeletionPolicy") == "Retain"}
        resources = self.cloudformation.describe_stack_resources(StackName=stack_name(tenant))
        return [
            (r["LogicalResourceId"], r["ResourceType"], r.get("PhysicalResourceId", ""))
            for r in resources["StackResources"]
            if r["LogicalResourceId"] in kept
        ]

    def delete(self, tenant: str, destroy_data: bool = False) -> list[tuple[str, str, str]]:
        """Deletes the stack. Its retained resources (tables, secrets) stay unless `destroy_data`;
        answers what was kept."""
        if self.describe(tenant) is None:
            raise TenantError(f"{tenant}: no stack {stack_name(tenant)}")
        kept = self.retained(tenant)
        self.cloudformation.delete_stack(StackName=stack_name(tenant))
        status = self.wait(tenant)
        if status != "DELETE_COMPLETE":
            raise TenantError(f"{tenant}: delete ended {status}: {self._failure_reason(tenant)}")
        if not destroy_data:
            return kept
        for _, resource_type, physical_id in kept:
            self._destroy(resource_type, physical_id)
        return []

    def _destroy(self, resource_type: str, physical_id: str) -> None:
        if resource_type == "AWS::DynamoDB::Table":
            dynamodb = self.session.client("dynamodb")
            dynamodb.update_table(TableName=physical_id, DeletionProtectionEnabled=False)
            dynamodb.delete_table(TableName=physical_id)
        elif resource_type == "AWS::S3::Bucket":
            # A bucket must be empty (every version) before it can go.
            bucket = self.session.resource("s3").Bucket(physical_id)
            bucket.object_versions.delete()
            bucket.objects.all().delete()
            bucket.delete()
        elif resource_type == "AWS::SecretsManager::Secret":
            self.session.client("secretsmanager").delete_secret(
                SecretId=physical_id, ForceDeleteWithoutRecovery=True
            )
        else:
            raise TenantError(f"do not know how to destroy retained {resource_type} {physical_id}")

    def _failure_reason(self, tenant: str) -> str:
        try:
            events = self.cloudformation.describe_stack_events(StackName=stack_name(tenant))["StackEvents"]
        except self.cloudformation.exceptions.ClientError:
            return ""
        for event in events:
            if event.get("ResourceStatus", "").endswith("_FAILED") and event.get("ResourceStatusReason"):
                return f"{event['LogicalResourceId']}: {event['ResourceStatusReason']}"
        return ""


def _change(resource_change: dict[str, Any]) -> Change:
    return Change(
        action=resource_change.get("Action", ""),
        logical_id=resource_change.get("LogicalResourceId", ""),
        resource_type=resource_change.get("ResourceType", ""),
        replacement=str(resource_change.get("Replacement", "")),
    )


def _safe(release: str) -> str:
    return "".join(c if c.isalnum() or c == "-" else "-" for c in release)[:80]


def _message(error: Exception) -> str:
    return str(error) or type(error).__name__


def _json(body: str) -> dict[str, Any]:
    import json

    return dict(json.loads(body))
