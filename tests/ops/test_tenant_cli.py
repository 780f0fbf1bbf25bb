"""`python -m infra.tenants` against moto's CloudFormation API: change sets created, described and
executed, stacks listed with their tags, upgrades in waves that stop at the first failure, deletes that
keep the tables unless the data is destroyed on purpose.

The CloudFormation here is the moto server this test session already runs (the portal's), in another
region so nothing meets the portal's own resources: `mock_aws` would reset that server's state, since
moto keeps one set of backends per process. What moto cannot create is taken out of the template
visibly (infra/tenants/moto.py), never faked."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.template import ROOT, load
from infra.tenants.__main__ import Cli, main
from infra.tenants.moto import MOTO_CANNOT_CREATE, runnable_by_moto, unsupported_types
from infra.tenants.package import translate
from infra.tenants.parameters import TenantError, TenantParameters, parse
from infra.tenants.stacks import Stacks

REGION = "eu-west-1"
CODE = b"the functions' code is not what these tests deploy"


def _tenant_id() -> str:
    return "t" + uuid.uuid4().hex[:8]


class Run:
    """The CLI as ops run it, its output captured."""

    def __init__(self, directory: Path, adapt: Any = runnable_by_moto) -> None:
        self.directory, self.adapt = directory, adapt
        self.session = boto3.Session(region_name=REGION)
        self.typed = ""

    def stacks(self) -> Stacks:
        return Stacks(self.session, poll_seconds=0.05, timeout_seconds=60, adapt=self.adapt)

    def __call__(self, *argv: str) -> tuple[int, str]:
        out = io.StringIO()
        cli = Cli(self.stacks, self.directory, out, ask=lambda prompt: self.typed, code=CODE)
        return main(list(argv), cli), out.getvalue()

    def new(self, tenant: str) -> None:
        status, text = self(
            "new", tenant, "--tenant-name", f"Tenant {tenant}", "--mail-from", f"b@{tenant}.com"
        )
        assert status == 0, text

    def stack(self, tenant: str) -> dict[str, Any]:
        cloudformation = self.session.client("cloudformation")
        return dict(cloudformation.describe_stacks(StackName=f"billing-portal-{tenant}")["Stacks"][0])

    def tables(self) -> set[str]:
        return set(self.session.client("dynamodb").list_tables()["TableNames"])


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    runner = Run(tmp_path)
    yield runner
    stacks = runner.stacks()
    for path in tmp_path.glob("*.json"):
        stack = stacks.describe(path.stem)
        if stack is not None and stack["StackStatus"] == "REVIEW_IN_PROGRESS":
            stacks.cloudformation.delete_stack(StackName=stack["StackName"])
        elif stack is not None:
            stacks.delete(path.stem, destroy_data=True)


def test_new_writes_a_file_the_model_accepts_and_refuses_what_the_template_would(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.new("acme")
    written = json.loads((tmp_path / "acme.json").read_text())["Parameters"]
    assert written == {
        "TenantId": "acme", "TenantName": "Tenant acme", "Stage": "dev",
        "PortalDomain": "localhost", "MailFrom": "b@acme.com",
    }  # fmt: skip
    assert parse(tmp_path / "acme.json").stack_name == "billing-portal-acme"
    for bad in (
        ["Bad_Id", "--tenant-name", "X", "--mail-from", "b@x.com"],
        ["ok1", "--tenant-name", "X", "--mail-from", "not-an-email"],
        ["ok2", "--tenant-name", "X", "--mail-from", "b@x.com", "--sso-issuer", "https://idp.example.com"],
        ["ok3", "--tenant-name", "X", "--mail-from", "b@x.com", "--stage", "prod"],
    ):
        status, text = run("new", *bad)
        assert status == 2 and "error:" in text, bad
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.json"]
    assert run("new", "acme", "--tenant-name", "Again", "--mail-from", "b@acme.com")[0] == 2  # no overwrite
    # acme-eu's tables would be named billing-portal-acme-eu-…, inside acme's permissions boundary.
    status, text = run("new", "acme-eu", "--tenant-name", "X", "--mail-from", "b@x.com")
    assert status == 2 and "extends the other" in text


def test_sso_is_all_or_nothing_and_its_secret_comes_from_the_environment() -> None:
    sso = TenantParameters.model_validate(
        {"TenantId": "acme", "TenantName": "A", "MailFrom": "b@acme.com",
         "SsoIssuer": "https://idp.example.com", "SsoClientId": "client"}
    )  # fmt: skip
    with pytest.raises(TenantError, match="PORTAL_SSO_CLIENT_SECRET_ACME"):
        sso.stack_parameters(environ={})
    assert (
        sso.stack_parameters(environ={"PORTAL_SSO_CLIENT_SECRET_ACME": "s3cret"})["SsoClientSecret"]
        == "s3cret"
    )
    assert "SsoClientSecret" not in sso.file_values()
    with pytest.raises(ValueError, match="all or nothing"):
        TenantParameters.model_validate(
            {"TenantId": "acme", "TenantName": "A", "MailFrom": "b@acme.com", "SsoClientId": "client"}
        )


def test_validate_names_each_bad_file_and_the_repositorys_tenants_are_valid(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.new("good")
    (tmp_path / "bad.json").write_text(json.dumps({"Parameters": {"TenantId": "bad", "TenantName": "B"}}))
    (tmp_path / "other.json").write_text(
        json.dumps({"Parameters": {"TenantId": "acme", "TenantName": "B", "MailFrom": "b@b.com"}})
    )
    status, text = run("validate", "--skip-lint")
    assert status == 1
    assert "ok       good" in text and "bad.json: MailFrom: Field required" in text
    assert "other.json: TenantId 'acme' must match the file name" in text
    out = io.StringIO()
    assert main(["validate", "--skip-lint"], Cli(Run(tmp_path).stacks, out=out)) == 0, out.getvalue()
    assert "ok       demo" in out.getvalue()


def test_what_moto_cannot_create_is_exactly_the_documented_list() -> None:
    template = translate(load(), {"Bucket": "b", "Key": "k"}, {"TenantId": "x1x", "TenantName": "X"}, REGION)
    assert unsupported_types(template) == MOTO_CANNOT_CREATE
    kept = {r["Type"] for r in runnable_by_moto(template)["Resources"].values()}
    # What the tests below really create: the data, the queues, the bus, the functions and their roles.
    created = {"AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Events::EventBus", "AWS::Events::Rule",
               "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::KMS::Key", "AWS::S3::Bucket"}  # fmt: skip
    assert created <= kept


def test_plan_deploy_list_and_upgrade_one_tenant(run: Run) -> None:
    tenant = _tenant_id()
    run.new(tenant)
    status, text = run("plan", tenant, "--release", "r1")
    assert status == 0, text
    assert f"billing-portal-{tenant}: create" in text
    assert "Add     CustomersTable (AWS::DynamoDB::Table)" in text
    with pytest.raises(Exception, match="does not exist"):
        run.stack(tenant)  # a plan deploys nothing
    status, text = run("dlq", "list", tenant)
    assert status == 2 and "deploy the tenant first" in text

    status, text = run("deploy", tenant, "--release", "r1")
    assert status == 0, text
    stack = run.stack(tenant)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert {t["Key"]: t["Value"] for t in stack["Tags"]} == {"tenant": tenant, "release": "r1"}
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["TenantId"] == tenant
    resources = run.session.client("cloudformation").describe_stack_resources(StackName=stack["StackName"])
    tables = [r for r in resources["StackResources"] if r["ResourceType"] == "AWS::DynamoDB::Table"]
    assert len(tables) == len(
        [r for r in load()["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    )
    # The stack's dead-letter queues, found through its resources (ListStackResources), all empty.
    status, text = run("dlq", "list", tenant)
    assert status == 0, text
    listed = {row.split()[0]: row.split()[-2:] for row in text.splitlines()[1:] if "queue DLQ" in row}
    assert listed["ReceivablesDeadLetterQueue"] == ["0", "ReceivablesQueue"]

    status, text = run("plan", tenant, "--release", "r2")
    assert status == 0 and f"billing-portal-{tenant}: update" in text
    status, text = run("upgrade", tenant, "--release", "r2")
    assert status == 0, text
    status, text = run("list")
    (row,) = [line.split() for line in text.splitlines() if line.startswith(tenant)]
    assert row == [tenant, f"billing-portal-{tenant}", "UPDATE_COMPLETE", "r2"]


def test_a_plan_that_would_remove_a_table_is_red_and_deploy_refuses_it_without_allow_replace(
    run: Run,
) -> None:
    tenant = _tenant_id()
    run.new(tenant)
    assert run("deploy", tenant, "--release", "r1")[0] == 0

    def without_customers_table(template: dict[str, Any]) -> dict[str, Any]:
        resources = dict(template["Resources"])
        del resources["CustomersTable"]
        return runnable_by_moto({**template, "Resources": _unref(resources, "CustomersTable")})

    run.adapt = without_customers_table
    status, text = run("plan", tenant, "--release", "r2")
    assert status == 2
    assert "Remove  CustomersTable (AWS::DynamoDB::Table)  ← DATA AT RISK" in text
    status, text = run("deploy", tenant, "--release", "r2")
    assert (
        status == 1
        and "would replace or remove stateful CustomersTable" in text
        and "--allow-replace" in text
    )
    assert run.stack(tenant)["StackStatus"] == "CREATE_COMPLETE"  # untouched
    summaries = run.session.client("cloudformation").list_change_sets(StackName=f"billing-portal-{tenant}")
    waiting = [s["ChangeSetName"] for s in summaries["Summaries"] if s.get("ExecutionStatus") == "AVAILABLE"]
    assert waiting == []  # neither the plan's nor the refused deploy's change set is left behind


def _unref(node: Any, name: str) -> Any:
    if isinstance(node, dict):
        if node in ({"Ref": name}, {"Fn::GetAtt": [name, "Arn"]}, {"Fn::GetAtt": [name, "StreamArn"]}):
            return "removed"
        return {k: _unref(v, name) for k, v in node.items()}
    if isinstance(node, list):
        return [_unref(v, name) for v in node]
    return node


def test_upgrade_all_in_waves_stops_at_the_first_failure_and_says_who_runs_what(run: Run) -> None:
    first, second, third = sorted(_tenant_id() for _ in range(3))
    for tenant in (first, second, third):
        run.new(tenant)
    # The second tenant's bus name is taken (what a leftover of an old stack does in AWS).
    run.session.client("events").create_event_bus(Name=f"portal-{second}-dev")
    try:
        status, text = run("upgrade", "--all", "--wave", "2", "--release", "r7")
    finally:
        run.session.client("events").delete_event_bus(Name=f"portal-{second}-dev")
    assert status == 1
    assert f"stopped: {second} failed; 1 tenant(s) not attempted" in text
    now = text.split("release per tenant now:")[1].splitlines()
    releases = dict(line.split()[:2] for line in now if line.startswith("  "))
    assert releases == {first: "r7", second: "-", third: "-"}
    assert run.stacks().info(third).status == "NOT_DEPLOYED"


def test_delete_keeps_the_tables_unless_the_data_is_destroyed_with_the_tenant_id_typed_back(run: Run) -> None:
    keep, destroy = _tenant_id(), _tenant_id()
    for tenant in (keep, destroy):
        run.new(tenant)
        assert run("deploy", tenant, "--release", "r1")[0] == 0
    before = run.tables()

    status, text = run("delete", keep)
    assert status == 0 and "kept CustomersTable (AWS::DynamoDB::Table)" in text
    with pytest.raises(Exception, match="does not exist"):
        run.stack(keep)
    assert run.tables() == before  # every table of the deleted stack is still there

    run.typed = "not-the-id"
    assert run("delete", destroy, "--destroy-data")[0] == 2
    assert run.stack(destroy)["StackStatus"] == "CREATE_COMPLETE"
    run.typed = destroy
    status, text = run("delete", destroy, "--destroy-data")
    assert status == 0 and "kept" not in text
    gone = before - run.tables()
    tables = [r for r in load()["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert len(gone) == len(tables) and all(name.startswith(f"billing-portal-{destroy}-") for name in gone)


def test_validate_as_an_operator_runs_it_lints_the_template_and_answers_by_exit_code(tmp_path: Path) -> None:
    """`python -m infra.tenants validate` on a clean checkout: every tenant file and cfn-lint, exit 0."""
    command = [sys.executable, "-m", "infra.tenants", "validate"]
    ran = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "ok       demo" in ran.stdout and "ok       template.yaml (cfn-lint)" in ran.stdout
    broken = tmp_path / "template.yaml"
    broken.write_text("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      Nope: 1\n")
    out = io.StringIO()
    assert Cli(Run(tmp_path).stacks, out=out)._lint(broken) > 0
    assert "invalid  template.yaml: " in out.getvalue() and "Nope" in out.getvalue()
