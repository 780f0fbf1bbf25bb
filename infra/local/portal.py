"""The whole portal on moto: a ThreadedMotoServer on loopback, template.yaml's resources in it, the
functions' environment, the gateway and the worker. Used by `make run` and by the tests."""

from __future__ import annotations

import json
import logging
import os
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

    @classmethod
    def start(cls, tenant: str = "demo", port: int = 0, web_root: Path | None = WEB_DIST) -> LocalPortal:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        from moto.server import ThreadedMotoServer

        from infra.local import moto_gaps

        moto_gaps.apply()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        host, bound = server.get_host_and_port()
        endpoint = f"http://{host}:{bound}"
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
        invoker = Invoker(stack.functions)
        lambda_api = LambdaApi(stack, invoker)
        # Function-to-function calls (boto3 lambda.invoke) go to the local Invoke API, not to moto.
        os.environ["AWS_ENDPOINT_URL_LAMBDA"] = lambda_api.start()
        gateway = Gateway(stack, invoker, web_root, local_pages(stack))
        return cls(
            server=server,
            endpoint=endpoint,
            stack=stack,
            invoker=invoker,
            gateway=gateway,
            worker=Worker(stack, invoker),
            lambda_api=lambda_api,
        )

    def stop(self) -> None:
        self.worker.stop()
        self.lambda_api.stop()
        self.server.stop()
