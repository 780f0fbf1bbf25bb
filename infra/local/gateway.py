"""The local API Gateway: matches a request against template.yaml's routes, runs the Api's Lambda
REQUEST authorizer from the template (the same function AWS runs, with API Gateway's result cache),
and calls the route's function with the REST API (v1) proxy event, the authorizer's context at
`requestContext.authorizer`. Also serves the built web app with SPA fallback."""

from __future__ import annotations

import base64
import fnmatch
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

from infra.local import headers as security
from infra.local.provision import Stack
from infra.local.runtime import Invoker
from infra.local.template import Route, resources_of_type, routes

API_PREFIX = "/api"
LocalPage = Callable[[Request], Response]
ACCESS_DENIED = (403, '{"message": "User is not authorized to access this resource with an explicit deny"}')


@dataclass(frozen=True)
class CompiledRoute:
    route: Route
    pattern: re.Pattern[str]


def _compile(route: Route) -> CompiledRoute:
    regex = re.sub(r"\\\{([A-Za-z0-9_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(route.path))
    return CompiledRoute(route=route, pattern=re.compile(f"^{regex}$"))


@dataclass(frozen=True)
class Authorizer:
    """The Api's DefaultAuthorizer as template.yaml declares it: a Lambda REQUEST authorizer run as
    API Gateway runs it, its answer cached per identity-source value for ReauthorizeEvery seconds."""

    function: str  # logical id
    identity_headers: tuple[str, ...]
    ttl_seconds: int


def default_authorizer(template: dict[str, Any]) -> Authorizer:
    (api,) = resources_of_type(template, "AWS::Serverless::Api").values()
    auth = api["Properties"]["Auth"]
    spec = auth["Authorizers"][auth["DefaultAuthorizer"]]
    if spec.get("FunctionPayloadType") != "REQUEST":
        raise ValueError("the local gateway runs Lambda REQUEST authorizers only")
    target = spec["FunctionArn"]["Fn::GetAtt"]
    function = target[0] if isinstance(target, list) else target.split(".", 1)[0]
    identity = spec.get("Identity", {})
    return Authorizer(
        function=function,
        identity_headers=tuple(identity.get("Headers", ["Authorization"])),
        ttl_seconds=int(identity.get("ReauthorizeEvery", 300)),
    )


def allows(policy: dict[str, Any], method_arn: str) -> bool:
    """IAM evaluation of the authorizer's policy for one method ARN: an explicit Deny wins."""
    allowed = False
    for statement in policy.get("Statement", []):
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if any(fnmatch.fnmatchcase(method_arn, pattern) for pattern in resources):
            if statement.get("Effect") == "Deny":
                return False
            allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


class Gateway:
    def __init__(
        self,
        stack: Stack,
        invoker: Invoker,
        web_root: Path | None,
        local_pages: dict[str, LocalPage] | None = None,
    ) -> None:
        self.stack, self.invoker, self.web_root = stack, invoker, web_root
        self.authorizer = default_authorizer(stack.template)
        self._authorized: dict[str, tuple[float, dict[str, Any]]] = {}  # identity → (until, answer)
        self._authorized_lock = threading.Lock()
        self.authorizer_calls = 0
        # Developer pages that exist only in the local run (mailbox, API reference), by path prefix.
        self.local_pages = dict(local_pages or {})
        self.routes = [_compile(route) for route in routes(stack.template)]
        # Locally Stripe is the local Stripe (infra/local/portal.py points STRIPE_API_BASE at it).
        local_stripe = os.environ.get("STRIPE_API_BASE") or None
        self.security_headers = security.security_headers(
            stack.template, local_stripe=local_stripe, local_uploads=os.environ.get("AWS_ENDPOINT_URL")
        )
        self.stage = stack.resolver.parameters.get("Stage", "dev")
        self.gateway_responses = {
            props["ResponseType"]: (
                int(props.get("StatusCode", 500)),
                props.get("ResponseTemplates", {}).get("application/json", "{}"),
            )
            for props in (
                r["Properties"]
                for r in resources_of_type(stack.template, "AWS::ApiGateway::GatewayResponse").values()
            )
        }

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.wsgi(environ, start_response)

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        page = self.local_page(request.path)
        if page is not None:
            response = page(request)
        elif request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            response = self.api(request, request.path[len(API_PREFIX) :] or "/")
        else:
            response = self.static(request)
        # What the CDN adds in AWS (template.yaml's ResponseHeadersPolicy): the web app, the API and the
        # API reference. The local mailbox shows emails as sent (inline styles) and is never deployed.
        if page is None or request.path.startswith(API_PREFIX + "/"):
            security.apply(response.headers, self.security_headers)
        return response(environ, start_response)

    def local_page(self, path: str) -> LocalPage | None:
        for prefix, page in self.local_pages.items():
            if path == prefix or path.startswith(prefix + "/"):
                return page
        return None

    # ---- API -------------------------------------------------------------------------------------

    def _gateway_response(self, response_type: str) -> Response:
        default = ACCESS_DENIED if response_type == "ACCESS_DENIED" else (500, '{"message": "gateway error"}')
        status, body = self.gateway_responses.get(response_type, default)
        return Response(body, status=status, content_type="application/json")

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for compiled in self.routes:
            found = compiled.pattern.match(path)
            if found and compiled.route.method == method:
                return compiled.route, found.groupdict()
        return None

    def api(self, request: Request, path: str) -> Response:
        matched = self.match(request.method, path)
        if matched is None:
            return self._gateway_response("MISSING_AUTHENTICATION_TOKEN")
        route, path_parameters = matched
        event = self.proxy_event(request, route, path, path_parameters)
        if not route.public:
            refusal = self.authorize(event)
            if refusal is not None:
                return self._gateway_response(refusal)
        result = self.invoker.invoke(route.function, event)
        headers = dict(result.get("headers") or {})
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(values)
        body: str | bytes = result.get("body") or ""
        if result.get("isBase64Encoded"):  # a binary media type (template: Api BinaryMediaTypes)
            body = base64.b64decode(body)
        return Response(body, status=int(result["statusCode"]), headers=headers)

    def proxy_event(
        self,
        request: Request,
        route: Route,
        path: str,
        path_parameters: dict[str, str],
    ) -> dict[str, Any]:
        query = request.args
        body = request.get_data(as_text=True)
        context: dict[str, Any] = {
            "resourcePath": route.path,
            "httpMethod": route.method,
            "path": f"/{self.stage}{path}",
            "stage": self.stage,
            "requestId": str(uuid.uuid4()),
            "apiId": "local",
            "identity": {
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.user_agent.string,
            },
        }
        return {
            "resource": route.path,
            "path": path,
            "httpMethod": route.method,
            "headers": dict(request.headers.items()),
            "multiValueHeaders": {k: request.headers.getlist(k) for k in request.headers.keys()},  # noqa: SIM118
            "queryStringParameters": {k: query[k] for k in query} or None,
            "multiValueQueryStringParameters": {k: query.getlist(k) for k in query} or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": context,
            "body": body or None,
            "isBase64Encoded": False,
        }

    def method_arn(self, event: dict[str, Any]) -> str:
        resolver = self.stack.resolver
        return (
            f"arn:aws:execute-api:{resolver.region}:{resolver.account}:local/{self.stage}/"
            f"{event['httpMethod']}{event['path']}"
        )

    def authorize(self, event: dict[str, Any]) -> str | None:
        """Runs the authorizer as API Gateway does; puts its context in the event and answers None, or
        the gateway response type of the refusal. A missing identity source is refused unasked."""
        headers = {k.lower(): v for k, v in event["headers"].items()}
        identity = [headers.get(name.lower(), "") for name in self.authorizer.identity_headers]
        if not all(identity):
            return "UNAUTHORIZED"
        method_arn = self.method_arn(event)
        key = "\n".join(identity)
        with self._authorized_lock:
            cached = self._authorized.get(key)
        if cached is not None and cached[0] > time.monotonic():
            answer = cached[1]
        else:
            request = {
                "type": "REQUEST",
                "methodArn": method_arn,
                **{k: event[k] for k in ("resource", "path", "httpMethod", "headers", "multiValueHeaders")},
                **{k: event[k] for k in ("queryStringParameters", "multiValueQueryStringParameters")},
                **{k: event[k] for k in ("pathParameters", "stageVariables", "requestContext")},
            }
            self.authorizer_calls += 1
            try:
                answer = self.invoker.invoke(self.authorizer.function, request)
            except Exception as error:  # API Gateway: "Unauthorized" → 401, anything else → 500
                # In a container the exception arrives as a FunctionError carrying Lambda's errorMessage.
                message = getattr(error, "error_message", None) or str(error)
                return "UNAUTHORIZED" if message == "Unauthorized" else "AUTHORIZER_FAILURE"
            if self.authorizer.ttl_seconds > 0:
                with self._authorized_lock:
                    self._authorized[key] = (time.monotonic() + self.authorizer.ttl_seconds, answer)
        if not allows(answer.get("policyDocument") or {}, method_arn):
            return "ACCESS_DENIED"
        context = {k: str(v) for k, v in (answer.get("context") or {}).items()}
        event["requestContext"]["authorizer"] = {"principalId": str(answer.get("principalId", "")), **context}
        return None

    # ---- web app ---------------------------------------------------------------------------------

    def static(self, request: Request) -> Response:
        if self.web_root is None or not (self.web_root / "index.html").exists():
            return Response(
                "The web app is not built: run `make web`.", status=503, content_type="text/plain"
            )
        target = safe_join(str(self.web_root), request.path.lstrip("/")) if request.path != "/" else None
        if target and Path(target).is_file():
            return _file_response(Path(target))
        if request.path.startswith("/assets/"):
            return Response("Not found", status=404, content_type="text/plain")
        return _file_response(self.web_root / "index.html")  # SPA fallback: the client routes


CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".woff2": "font/woff2",
    ".map": "application/json",
}


def _file_response(path: Path) -> Response:
    response = Response(
        path.read_bytes(), content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    )
    if path.name == "index.html":
        response.headers["Cache-Control"] = "no-cache"
    return response


def json_body(response: Response) -> Any:
    return json.loads(response.get_data(as_text=True))
