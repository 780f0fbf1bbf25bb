"""`python -m infra.tenants …`: add, check, plan, deploy, upgrade and retire tenants' stacks (README,
Tenants). Talks to AWS through boto3 (CloudFormation change sets) and, for `deploy --sam`, the SAM CLI."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from infra.local.template import ROOT, TEMPLATE_PATH
from infra.tenants import parameters as files
from infra.tenants.dead_letters import DeadLetters, local_queue_urls, stack_queue_urls
from infra.tenants.parameters import TenantError, TenantParameters
from infra.tenants.reconcile import Reconcile, invoke_in_stack, report
from infra.tenants.stacks import Outcome, Plan, Stacks

RED, GREEN, RESET = "\033[31m", "\033[32m", "\033[0m"
LOCAL_REGION = "us-east-1"  # the region `make run` provisions in (infra/local/portal.py)
SAM_VENV = ROOT / ".venv-sam" / "bin" / "sam"


def release_of_checkout() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return described.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unversioned"


def sam_cli() -> str | None:
    found = os.environ.get("SAM_CLI") or shutil.which("sam")
    return found or (str(SAM_VENV) if SAM_VENV.exists() else None)


class Cli:
    def __init__(
        self,
        stacks: Callable[[], Stacks],
        directory: Path = files.TENANTS_DIR,
        out: TextIO = sys.stdout,
        ask: Callable[[str], str] = input,
        code: bytes | None = None,
        dead_letters: Callable[[TenantParameters], DeadLetters] | None = None,
        reconciler: Reconcile | None = None,
    ) -> None:
        """`stacks`: made on first use (commands that only read files need no AWS credentials);
        `code`: the functions' code package (None: zip the checkout's sources); `dead_letters`: a
        tenant's dead-letter queues (None: its stack's queues in AWS, through the stacks' session);
        `reconciler`: runs a tenant's reconciliation (None: invokes its stack's function in AWS)."""
        self._make_stacks = stacks
        self._dead_letters = dead_letters or self._stack_dead_letters
        self._reconciler = reconciler
        self._stacks: Stacks | None = None
        self.directory, self.out, self.ask, self.code = directory, out, ask, code
        self.color = out.isatty()

    @property
    def stacks(self) -> Stacks:
        if self._stacks is None:
            self._stacks = self._make_stacks()
        return self._stacks

    def say(self, text: str = "", color: str = "") -> None:
        print(f"{color}{text}{RESET}" if color and self.color else text, file=self.out)

    # ---- commands --------------------------------------------------------------------------------
    def new(self, args: argparse.Namespace) -> int:
        values = {
            "TenantId": args.name,
            "TenantName": args.tenant_name,
            "Stage": args.stage,
            "PortalDomain": args.domain,
            "MailFrom": args.mail_from,
            "AlarmEmail": args.alarm_email,
            "CertificateArn": args.certificate_arn,
            "SsoProviderName": args.sso_provider_name,
            "SsoIssuer": args.sso_issuer,
            "SsoClientId": args.sso_client_id,
        }
        try:
            tenant = TenantParameters.model_validate({k: v for k, v in values.items() if v is not None})
        except ValueError as error:
            raise TenantError(files._explain(error)) from None
        path = files.write(tenant, self.directory)
        self.say(f"wrote {path}")
        if tenant.has_sso:
            self.say(f"SSO: set {tenant.sso_secret_variable} to the client secret when you plan or deploy")
        return 0

    def list(self, args: argparse.Namespace) -> int:
        rows = [("TENANT", "STACK", "STATUS", "RELEASE")]
        for tenant in files.tenant_ids(self.directory):
            info = self.stacks.info(tenant)
            rows.append((tenant, info.stack, info.status, info.release or "-"))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            self.say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        return 0

    def validate(self, args: argparse.Namespace) -> int:
        problems = 0
        for tenant in files.tenant_ids(self.directory):
            try:
                files.load(tenant, self.directory)
                self.say(f"ok       {tenant}")
            except TenantError as error:
                problems += 1
                self.say(f"invalid  {error}", RED)
        for a, b in files.prefix_clashes(files.tenant_ids(self.directory)):
            problems += 1
            self.say(f"invalid  {a} and {b}: one id extends the other with '-'", RED)
        if not args.skip_lint:
            problems += self._lint(TEMPLATE_PATH)
        return 1 if problems else 0

    def _lint(self, template: Path) -> int:
        """cfn-lint through its API (`python -m cfnlint` is not runnable): each finding on its own line."""
        from cfnlint.api import lint_file

        findings = lint_file(template)
        for finding in findings:
            self.say(f"invalid  {template.name}: {finding}", RED)
        if not findings:
            self.say(f"ok       {template.name} (cfn-lint)")
        return len(findings)

    def plan(self, args: argparse.Namespace) -> int:
        tenant = files.load(args.name, self.directory)
        plan = self.stacks.plan(tenant, args.release, self.code)
        self._show(plan)
        self.stacks.discard(plan)
        if plan.dangerous and not args.allow_replace:
            self.say("stateful resources would be replaced or removed: deploy needs --allow-replace", RED)
            return 2
        return 0

    def _show(self, plan: Plan) -> None:
        verb = "create" if plan.creating else "update"
        self.say(f"{plan.stack}: {verb}, {len(plan.changes)} change(s)")
        for change in sorted(plan.changes, key=lambda c: (c.action, c.logical_id)):
            replacement = f"  replacement: {change.replacement}" if change.replacement else ""
            line = f"  {change.action:<7} {change.logical_id} ({change.resource_type}){replacement}"
            self.say(line + ("  ← DATA AT RISK" if change.dangerous else ""), RED if change.dangerous else "")

    def deploy(self, args: argparse.Namespace) -> int:
        tenant = files.load(args.name, self.directory)
        if args.sam:
            return self._sam_deploy(tenant, args.release)
        outcome = self.stacks.deploy(tenant, args.release, args.allow_replace, self.code)
        self._report(outcome)
        return 0 if outcome.ok else 1

    def _sam_deploy(self, tenant: TenantParameters, release: str) -> int:
        sam = sam_cli()
        if sam is None:
            raise TenantError("the SAM CLI is not installed (make sam-cli), or deploy without --sam")
        overrides = [f"{k}={v}" for k, v in tenant.stack_parameters().items()]
        subprocess.run([sam, "build", "--template", str(TEMPLATE_PATH)], cwd=ROOT, check=True)
        command = [
            sam, "deploy", "--stack-name", tenant.stack_name, "--resolve-s3", "--no-confirm-changeset",
            "--no-fail-on-empty-changeset", "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND",
            "--tags", f"tenant={tenant.tenant_id}", f"release={release}",
            "--parameter-overrides", *overrides,
        ]  # fmt: skip
        return subprocess.run(command, cwd=ROOT).returncode

    def upgrade(self, args: argparse.Namespace) -> int:
        if not args.all and not args.names:
            raise TenantError("name the tenants to upgrade, or --all")
        names = files.tenant_ids(self.directory) if args.all else args.names
        tenants = [files.load(name, self.directory) for name in names]  # all valid before any deploy
        self.say(f"upgrading {len(tenants)} tenant(s) to {args.release}, {args.wave} at a time")
        outcomes = self.stacks.upgrade(tenants, args.release, args.wave, self.code, self._report)
        failed = [o for o in outcomes if not o.ok]
        self.say()
        self.say("release per tenant now:")
        for tenant in tenants:
            info = self.stacks.info(tenant.tenant_id)
            self.say(f"  {tenant.tenant_id:<24} {info.release or '-':<24} {info.status}")
        if failed:
            left = len(tenants) - len(outcomes)
            self.say(f"stopped: {failed[0].tenant} failed; {left} tenant(s) not attempted", RED)
            return 1
        return 0

    def _report(self, outcome: Outcome) -> None:
        line = f"{outcome.tenant}: {outcome.status} in {outcome.seconds:.1f} s"
        self.say(line + (f" ({outcome.message})" if outcome.message else ""), GREEN if outcome.ok else RED)

    def delete(self, args: argparse.Namespace) -> int:
        tenant = files.load(args.name, self.directory)
        if args.destroy_data:
            typed = (
                args.confirm
                if args.confirm is not None
                else self.ask(
                    f"This destroys {tenant.tenant_id}'s tables and secrets for good. Type the tenant id: "
                )
            )
            if typed.strip() != tenant.tenant_id:
                self.say("the typed id does not match: nothing deleted", RED)
                return 2
        kept = self.stacks.delete(tenant.tenant_id, destroy_data=args.destroy_data)
        self.say(f"deleted {tenant.stack_name}")
        for logical_id, resource_type, physical_id in kept:
            self.say(f"  kept {logical_id} ({resource_type}): {physical_id}")
        return 0

    def reconcile(self, args: argparse.Namespace) -> int:
        """The daily reconciliation now: 0 when every customer's books balance, 1 otherwise."""
        tenant = files.load(args.name, self.directory)
        if self._reconciler is None:
            stacks = self.stacks
            self._reconciler = invoke_in_stack(stacks.cloudformation, stacks.session.client("lambda"))
        lines, balanced = report(self._reconciler(tenant))
        for line in lines:
            self.say(line, "" if balanced or not line.startswith("unbalanced") else RED)
        return 0 if balanced else 1

    def _stack_dead_letters(self, tenant: TenantParameters) -> DeadLetters:
        stacks = self.stacks
        urls = stack_queue_urls(stacks.cloudformation, tenant.stack_name)
        return DeadLetters(stacks.session.client("sqs"), urls)

    def _local_dead_letters(self, tenant: TenantParameters, endpoint: str) -> DeadLetters:
        import boto3

        sqs = boto3.client(
            "sqs", endpoint_url=endpoint, region_name=LOCAL_REGION,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        return DeadLetters(sqs, local_queue_urls(sqs, tenant.tenant_id, tenant.stage))

    def dlq(self, args: argparse.Namespace) -> int:
        """Dead letters: list every DLQ with what it holds, show what one holds and why, redrive it."""
        tenant = files.load(args.name, self.directory)
        letters = (
            self._local_dead_letters(tenant, args.endpoint_url)
            if args.endpoint_url
            else self._dead_letters(tenant)
        )
        if args.verb == "list":
            self.say(f"{'QUEUE':<40} {'KIND':<17} {'MESSAGES':>8}  FED BY")
            for queue in letters.queues:
                held = letters.held(queue)
                fed_by = ", ".join(queue.source_queues or queue.functions)
                line = f"{queue.logical_id:<40} {queue.kind:<17} {held:>8}  {fed_by}"
                self.say(line, RED if held else "")
            return 0
        if args.verb == "show":
            parked = letters.show(args.queue, args.limit)
            self.say(f"{letters.find(args.queue).logical_id}: {len(parked)} message(s) shown (left in place)")
            for message in parked:
                self.say(
                    f"- {message.message_id}  first sent {message.first_sent}, "
                    f"received {message.receive_count}x"
                )
                if message.detail_type:
                    self.say(
                        f"    event: {message.detail_type} from {message.source}, event_id {message.event_id}"
                    )
                self.say(f"    why:   {message.reason}")
            return 0
        redrive = letters.redrive(args.queue)
        self.say(f"moved {redrive.moved} message(s) to {redrive.destination} by {redrive.method}", GREEN)
        return 0

    def overrides(self, args: argparse.Namespace) -> int:
        """The tenant's values as `sam deploy --parameter-overrides` takes them."""
        tenant = files.load(args.name, self.directory)
        self.say(" ".join(f"{k}={json.dumps(v)}" for k, v in tenant.stack_parameters().items()))
        return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m infra.tenants", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="write a validated parameter file for a new tenant")
    new.add_argument("name")
    new.add_argument("--tenant-name", required=True, help="the business's name as its customers see it")
    new.add_argument("--mail-from", required=True)
    new.add_argument("--domain", default="localhost")
    new.add_argument("--stage", default="dev", choices=["dev", "staging", "prod"])
    new.add_argument("--alarm-email")
    new.add_argument("--certificate-arn", help="ACM certificate (us-east-1) for --domain")
    new.add_argument("--sso-provider-name")
    new.add_argument("--sso-issuer")
    new.add_argument("--sso-client-id")
    commands.add_parser("list", help="every tenant with its stack status and deployed release")
    validate = commands.add_parser("validate", help="check every parameter file and cfn-lint the template")
    validate.add_argument("--skip-lint", action="store_true")
    for name, text in (("plan", "show what a deploy would change"), ("deploy", "deploy a tenant's stack")):
        command = commands.add_parser(name, help=text)
        command.add_argument("name")
        command.add_argument("--release", default=release_of_checkout())
        command.add_argument(
            "--allow-replace", action="store_true", help="let stateful resources be replaced"
        )
        if name == "deploy":
            command.add_argument("--sam", action="store_true", help="sam build + sam deploy (the SAM CLI)")
    upgrade = commands.add_parser(
        "upgrade", help="deploy a release to many tenants, stop at the first failure"
    )
    upgrade.add_argument("names", nargs="*")
    upgrade.add_argument("--all", action="store_true")
    upgrade.add_argument("--wave", type=int, default=1, help="tenants deployed side by side per wave")
    upgrade.add_argument("--release", default=release_of_checkout())
    delete = commands.add_parser("delete", help="delete a tenant's stack (its tables are kept)")
    delete.add_argument("name")
    delete.add_argument("--destroy-data", action="store_true", help="also delete the kept tables and secrets")
    delete.add_argument("--confirm", help="the tenant id typed back (else asked)")
    overrides = commands.add_parser("overrides", help="parameter overrides for sam deploy")
    overrides.add_argument("name")
    reconcile = commands.add_parser("reconcile", help="run the daily reconciliation of a tenant's books now")
    reconcile.add_argument("name")
    dlq = commands.add_parser("dlq", help="a tenant's dead-letter queues: list, show, redrive")
    verbs = dlq.add_subparsers(dest="verb", required=True)
    listing = verbs.add_parser("list", help="every dead-letter queue and how many messages it holds")
    show = verbs.add_parser("show", help="what a dead-letter queue holds and why (left in place)")
    redrive = verbs.add_parser("redrive", help="move a dead-letter queue's messages back to their queue")
    for verb in (listing, show, redrive):
        verb.add_argument("name")
        if verb is not listing:
            verb.add_argument(
                "queue", help="the queue's logical id in template.yaml, as `dlq list` prints it"
            )
        verb.add_argument(
            "--endpoint-url", help="the moto server `make run` prints: its queues instead of the AWS stack's"
        )
    show.add_argument("--limit", type=int, default=10)
    return root


def main(argv: Sequence[str] | None = None, cli: Cli | None = None) -> int:
    args = parser().parse_args(argv)
    if cli is None:
        import boto3

        cli = Cli(lambda: Stacks(boto3.Session()))
    started = time.monotonic()
    try:
        status: int = getattr(cli, args.command)(args)
    except TenantError as error:
        cli.say(f"error: {error}", RED)
        return 2
    if args.command in {"deploy", "upgrade", "delete"}:
        cli.say(f"({time.monotonic() - started:.1f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
