"""The whole portal on moto: a ThreadedMotoServer on loopback, template.yaml's resources in it, the
functions' environment, the gateway and the worker. Used by `make run` and by the tests."""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.template import ROOT

TENANTS = ROOT / "infra" / "tenants"
WEB_DIST = ROOT / "web" / "dist"
REGION = "us-east-1"
LOCAL_PORTAL_URL = "http://127.0.0.1:8000"


def tenant_parameters(tenant: str = "demo") -> dict[str, str]:
    return dict(json.loads((TENANTS / f"{tenant}.json").read_text())["Parameters"])


def _prepare_environment(endpoint: str) -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint,
            # botocore would send DynamoDB Streams calls to an account-based host moto does not know.
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "POWERTOOLS_METRICS_NAMESPACE": "BillingPortal",
            "POWERTOOLS_TRACE_DISABLED": "true",
            # Locally only warnings reach the terminal (LOG_LEVEL=INFO make run shows every log line).
            "POWERTOOLS_LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "POWERTOOLS_METRICS_DISABLED": "true",
            # moto checks TOTP codes only when asked to (one fixed secret for every user).
            "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
        }
    )


@dataclass
class LocalPortal:
    server: Any
    endpoint: str
    stack: Any
    invoker: Any
    gateway: Any
    worker: Any
    lambda_api: Any
    stripe: Any = None  # the local Stripe (infra/local/stripe_local.py)
    _concurrent: Any = None

    @classmethod
    def start(
        cls,
        tenant: str = "demo",
        port: int = 0,
        web_root: Path | None = WEB_DIST,
        containers: int = 0,
        stripe_port: int = 0,
        stripe_settle_seconds: float | None = None,
        moto_endpoint: str | None = None,
    ) -> LocalPortal:
        """`moto_endpoint`: a moto server another process runs (several tenants side by side, each in
        its own process: the services keep their configuration in this process's environment);
        `containers`: how many processes may serve each function at once (0: all in this process);
        `stripe_port`: the local Stripe's (0: any free port); `stripe_settle_seconds`: until a bank
        debit settles by itself (None, for tests: only when told, `stripe.settle(intent_id)`)."""
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server: Any = None
        if moto_endpoint is None:
            server, endpoint = start_moto_server(port)
        else:
            endpoint = moto_endpoint
        _prepare_environment(endpoint)

        # Imported only now: the services read their table names from the environment at import.
        from infra.local.gateway import Gateway
        from infra.local.lambda_api import LambdaApi
        from infra.local.pages import local_pages
        from infra.local.provision import provision
        from infra.local.runtime import Invoker
        from infra.local.worker import Worker

        stack = provision(tenant_parameters(tenant), region=REGION)
        environment = stack.environment()
        for local_choice in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL"):
            environment.pop(local_choice, None)
        os.environ.update(environment)
        os.environ.setdefault("PREFERENCES_CACHE_SECONDS", "0")
        # Links in emails point at the local portal (services read PORTAL_URL when they build a link,
        # so a test serving the portal on another port may change it after start).
        os.environ["PORTAL_URL"] = LOCAL_PORTAL_URL
        # moto serves the pool's keys at its own address (the tokens' `iss` names the real AWS URL).
        os.environ["JWKS_URL"] = f"{endpoint}/{stack.ref('UserPool')}/.well-known/jwks.json"
        stripe = _start_stripe(stack, stripe_port, stripe_settle_seconds)
        invoker = Invoker(stack.functions, containers=containers)
        lambda_api = LambdaApi(stack, invoker)
        # Function-to-function calls (boto3 lambda.invoke) go to the local Invoke API, not to moto.
        os.environ["AWS_ENDPOINT_URL_LAMBDA"] = lambda_api.start()
        gateway = Gateway(stack, invoker, web_root, local_pages(stack))
        # Stripe posts webhooks to the portal's /api/webhooks/stripe: in process here (tests serve the
        # gateway to no port); `make run` points them at its HTTP address instead.
        stripe.deliver_to(gateway)
        worker = Worker(stack, invoker)
        if server is not None:
            worker.read_moto_memory()
        from infra.local.pages import time_travel

        time_travel.attach(worker)  # the local clock page drives this worker's schedules
        return cls(
            server=server,
            endpoint=endpoint,
            stack=stack,
            invoker=invoker,
            gateway=gateway,
            worker=worker,
            lambda_api=lambda_api,
            stripe=stripe,
        )

    def use_containers(self, containers: int) -> None:
        """Serves the gateway and the worker from pools of container processes from now on."""
        if containers:
            from infra.local.runtime import Invoker

            in_process, self.invoker = self.invoker, Invoker(self.stack.functions, containers=containers)
            self.gateway.invoker = self.worker.invoker = self.lambda_api.invoker = self.invoker
            in_process.stop()

    def concurrent_gateway(self, containers: int = 4) -> Any:
        """The same API served by pools of container processes (Lambda's concurrency), for the tests
        of races; made on first use (again when a test asks for another pool size), stopped with the
        portal."""
        if self._concurrent is not None and self._concurrent.invoker.containers != containers:
            self._concurrent.invoker.stop()
            self._concurrent = None
        if self._concurrent is None:
            from infra.local.gateway import Gateway
            from infra.local.runtime import Invoker

            invoker = Invoker(self.stack.functions, containers=containers)
            gateway = self.gateway  # the same web app and local pages (mailbox, clock), as `make run`
            self._concurrent = Gateway(self.stack, invoker, gateway.web_root, gateway.local_pages)
        return self._concurrent

    def stop(self) -> None:
        if self.stripe is not None:
            self.stripe.stop()
        self.worker.stop()
        self.lambda_api.stop()
        self.invoker.stop()
        if self._concurrent is not None:
            self._concurrent.invoker.stop()
        if self.server is not None:
            self.server.stop()


def start_moto_server(port: int = 0) -> tuple[Any, str]:
    """moto on loopback, as strict as AWS where it matters (moto_gaps, atomic writes: both patch the
    process that runs the server). Answers the server and its endpoint."""
    from moto.server import ThreadedMotoServer

    from infra.local import moto_gaps, moto_speed

    moto_speed.apply()  # before the lock below wraps what it replaces
    _atomic_dynamodb_writes()
    moto_gaps.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    return server, f"http://{host}:{bound}"


def _start_stripe(stack: Any, port: int, settle_seconds: float | None) -> Any:
    """The local Stripe, the SDK and the browser pointed at it, its keys in the provider secret (the
    secret ops fill with the tenant's real keys in AWS)."""
    import boto3

    from infra.local.stripe_local import LocalStripe

    stripe = LocalStripe(settle_seconds=settle_seconds).start(port=port)
    os.environ["STRIPE_API_BASE"] = stripe.url
    os.environ["STRIPE_JS_URL"] = stripe.js_url
    boto3.client("secretsmanager", region_name=REGION).put_secret_value(
        SecretId=stack.ref("PaymentsProviderSecret"), SecretString=json.dumps(stripe.keys())
    )
    return stripe


def _atomic_dynamodb_writes() -> None:
    """DynamoDB applies each write to an item atomically (a conditional update is checked and applied
    as one step); moto's server runs requests on threads with nothing between its condition check and
    its write. One lock around moto's writes gives concurrent containers DynamoDB's guarantee."""
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend, "_local_atomic", False):
        return
    lock = threading.RLock()

    def locked(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def write(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(*args, **kwargs)

        return write

    for name in ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
        setattr(DynamoDBBackend, name, locked(getattr(DynamoDBBackend, name)))
    DynamoDBBackend._local_atomic = True  # type: ignore[attr-defined]
