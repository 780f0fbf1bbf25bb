"""The local API Gateway: matches a request against template.yaml's routes, verifies the Cognito ID
token as the Cognito authorizer does (signature against the pool's JWKS, expiry, audience = app
client, token_use = id), and calls the route's function with the REST API (v1) proxy event, claims
at `requestContext.authorizer.claims` as strings. Also serves the built web app with SPA fallback."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

from infra.local import headers as security
from infra.local.provision import Stack
from infra.local.runtime import Invoker
from infra.local.template import Route, resources_of_type, routes

API_PREFIX = "/api"
LocalPage = Callable[[Request], Response]
STAGE_CLAIM_TIME = "%a %b %d %H:%M:%S UTC %Y"  # how API Gateway renders numeric date claims


@dataclass(frozen=True)
class CompiledRoute:
    route: Route
    pattern: re.Pattern[str]


def _compile(route: Route) -> CompiledRoute:
    regex = re.sub(r"\\\{([A-Za-z0-9_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(route.path))
    return CompiledRoute(route=route, pattern=re.compile(f"^{regex}$"))


class TokenVerifier:
    def __init__(self, jwks_url: str, client_id: str, issuer: str) -> None:
        self.jwks = jwt.PyJWKClient(jwks_url, cache_keys=True)
        self.client_id, self.issuer = client_id, issuer

    def claims(self, token: str) -> dict[str, Any] | None:
        try:
            key = self.jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.PyJWTError:
            return None
        return claims if claims.get("token_use") == "id" else None


def stringify_claims(claims: dict[str, Any]) -> dict[str, str]:
    """API Gateway's Cognito authorizer hands every claim over as a string."""
    out: dict[str, str] = {}
    for name, value in claims.items():
        if name in {"exp", "iat", "auth_time"} and isinstance(value, int | float):
            out[name] = datetime.fromtimestamp(value, UTC).strftime(STAGE_CLAIM_TIME)
        elif isinstance(value, bool):
            out[name] = str(value).lower()
        elif isinstance(value, list):
            out[name] = ",".join(str(item) for item in value)
        else:
            out[name] = str(value)
    return out


class Gateway:
    def __init__(
        self,
        stack: Stack,
        invoker: Invoker,
        verifier: TokenVerifier,
        web_root: Path | None,
        local_pages: dict[str, LocalPage] | None = None,
    ) -> None:
        self.stack, self.invoker, self.verifier, self.web_root = stack, invoker, verifier, web_root
        # Developer pages that exist only in the local run (mailbox, API reference), by path prefix.
        self.local_pages = dict(local_pages or {})
        self.routes = [_compile(route) for route in routes(stack.template)]
        self.security_headers = security.security_headers(stack.template)
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
        status, body = self.gateway_responses.get(response_type, (500, '{"message": "gateway error"}'))
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
        claims = None
        if not route.public:
            token = request.headers.get("Authorization", "")
            token = token[7:] if token.lower().startswith("bearer ") else token
            claims = self.verifier.claims(token) if token else None
            if claims is None:
                return self._gateway_response("UNAUTHORIZED")
        event = self.proxy_event(request, route, path, path_parameters, claims)
        result = self.invoker.invoke(route.function, event)
        headers = dict(result.get("headers") or {})
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(values)
        return Response(result.get("body") or "", status=int(result["statusCode"]), headers=headers)

    def proxy_event(
        self,
        request: Request,
        route: Route,
        path: str,
        path_parameters: dict[str, str],
        claims: dict[str, Any] | None,
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
        if claims is not None:
            context["authorizer"] = {"claims": stringify_claims(claims)}
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
