"""The portal's OpenAPI 3.1 document, generated from what runs: template.yaml's API routes (the route
table of record, with each route's auth), each route's chalice view and its `@operation` contract
(shared/contract.py), and the pydantic models it names. `python -m openapi` writes openapi/openapi.json;
tests/contract/test_openapi.py fails when the committed file differs from what the code generates."""

from __future__ import annotations

import importlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from infra.local.template import ROOT, Route, handler_of, load, resources_of_type, routes
from shared.contract import Operation, contract_of
from shared.ids import ID_PATTERN

DOCUMENT = Path(__file__).resolve().parent / "openapi.json"
REGENERATE = "python -m openapi  (or: make openapi)"
SECURITY_SCHEME = "CognitoIdToken"
METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE"]
STATUS_TEXT = {
    400: ("BadRequest", "The request is invalid; nothing was written."),
    401: ("Unauthenticated", "No valid ID token, or wrong credentials."),
    403: ("Forbidden", "Not for this caller, or the portal module/action is turned off by the business."),
    404: ("NotFound", "No such resource for this caller (another customer's looks exactly the same)."),
    406: ("NotAcceptable", "Ask for the file with its media type in `Accept` (e.g. application/pdf)."),
    409: ("Conflict", "The resource is not in a state that allows this."),
    410: ("Gone", "The one-time link expired, was used, or was replaced."),
    429: ("TooManyAttempts", "Too many attempts; retry after `Retry-After` seconds."),
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": 'Every error the portal answers: `{"error": {"code", "message", "details"}}`.',
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable reason."},
                "message": {"type": "string", "description": "Human-readable, safe to show."},
                "details": {"description": "Field errors (a list of {field, message}) or extra data."},
            },
        }
    },
}


class ContractMissing(Exception):
    """A template route whose chalice view has no `@operation(...)` contract."""


@dataclass(frozen=True)
class DocumentedRoute:
    route: Route
    service: str
    view_name: str
    contract: Operation

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"\{([^}]+)\}", self.route.path)

    @property
    def operation_id(self) -> str:
        return self.contract.operation_id or self.view_name


def snippet(route: Route) -> str:
    return (
        f'    @app.route("{route.path}", methods=["{route.method}"])\n'
        '    @operation("<what it does>", access="public|signed_in|customer|staff", '
        "body=<RequestModel>, response=<ResponseModel>, errors=(<other statuses>,))\n"
        "    (from shared.contract import operation; see shared/contract.py)"
    )


def documented_routes(strict: bool = True) -> list[DocumentedRoute]:
    """Every API route of template.yaml with its contract. A route without one (or whose `access`
    disagrees with the template's Auth) raises ContractMissing naming each; with strict=False such
    routes are left out of the document instead (see `problems()`)."""
    found, problems = _collect()
    if problems and strict:
        raise ContractMissing("\n".join(problems))
    return found


def problems() -> list[str]:
    """What keeps the document from covering every template route (empty when it does)."""
    return _collect()[1]


def _placeholder_environment(template: dict[str, Any]) -> None:
    """The handlers check their settings when imported; documenting them needs no real values."""
    import os

    functions = resources_of_type(template, "AWS::Serverless::Function").values()
    environments = [template.get("Globals", {}).get("Function", {}).get("Environment", {})]
    environments += [function.get("Properties", {}).get("Environment", {}) for function in functions]
    for environment in environments:
        for name, value in environment.get("Variables", {}).items():
            os.environ.setdefault(name, value if isinstance(value, str) else f"<{name}>")


def _collect() -> tuple[list[DocumentedRoute], list[str]]:
    template = load()
    _placeholder_environment(template)
    found, problems = [], []
    for route in routes(template):
        module_name, _, attribute = handler_of(template, route.function).rpartition(".")
        app = getattr(importlib.import_module(module_name), attribute)
        entry = app.routes.get(route.path, {}).get(route.method)
        if entry is None:
            problems.append(f"{route.method} {route.path}: in template.yaml but not in {module_name}")
            continue
        contract = contract_of(entry.view_function)
        if contract is None:
            problems.append(
                f"{route.method} {route.path} ({module_name}.{entry.view_function.__name__}) has no "
                f"contract; add under its route:\n{snippet(route)}"
            )
            continue
        if (contract.access == "public") != route.public:
            problems.append(
                f"{route.method} {route.path}: access={contract.access!r} but template.yaml says "
                f"{'Auth: {Authorizer: NONE}' if route.public else 'the session authorizer'}"
            )
            continue
        service = module_name.split(".")[1] if module_name.startswith("services.") else module_name
        found.append(DocumentedRoute(route, service, entry.view_function.__name__, contract))
    ids = [r.operation_id for r in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(
            f"operation ids must be unique across services: {duplicates}; rename the view function "
            "or pass operation_id=... to @operation"
        )
    order = {method: index for index, method in enumerate(METHOD_ORDER)}
    return sorted(found, key=lambda r: (r.route.path, order.get(r.route.method, 9))), problems


def _error_codes() -> dict[int, list[str]]:
    """status → the `code`s the portal answers with it: every DomainError (all live in shared/errors.py)
    and the gateway's own responses of template.yaml."""
    from shared.errors import DomainError

    codes: dict[int, set[str]] = {}
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__ == "shared.errors":
            codes.setdefault(cls.status, set()).add(cls.code)
    template = load()
    for resource in resources_of_type(template, "AWS::ApiGateway::GatewayResponse").values():
        props = resource["Properties"]
        body = json.loads(props.get("ResponseTemplates", {}).get("application/json", "{}"))
        code = (body.get("error") or {}).get("code")
        if code:
            codes.setdefault(int(props["StatusCode"]), set()).add(code)
    return {status: sorted(found) for status, found in sorted(codes.items())}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null."""
    schema = dict(schema)
    options = schema.get("anyOf")
    if options:
        kept = [option for option in options if option != {"type": "null"}]
        schema.pop("anyOf")
        if len(kept) == 1:
            schema = {**kept[0], **schema}
        else:
            schema["anyOf"] = kept
    if schema.get("default", "absent") is None:
        schema.pop("default")
    schema.pop("title", None)
    return schema


def _models(documented: Iterable[DocumentedRoute]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    wanted: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {}
    for item in documented:
        contract = item.contract
        if contract.body is not None:
            wanted[(contract.body, "validation")] = None
        if contract.response is not None:
            wanted[(contract.response, "serialization")] = None
    return sorted(wanted, key=lambda pair: (pair[0].__module__, pair[0].__qualname__, pair[1]))


def _version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def build(strict: bool = True) -> dict[str, Any]:
    documented = documented_routes(strict)
    models = _models(documented)
    refs, definitions = models_json_schema(models, ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(sorted(definitions.get("$defs", {}).items()))
    schemas["Error"] = ERROR_SCHEMA

    error_codes = _error_codes()
    used_statuses: set[int] = set()
    paths: dict[str, dict[str, Any]] = {}
    for item in documented:
        contract, route = item.contract, item.route
        parameters: list[dict[str, Any]] = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": "An id (ULID); anything else answers 404 before any lookup.",
                "schema": {"type": "string", "pattern": ID_PATTERN},
            }
            for name in item.path_parameters
        ]
        if contract.query is not None:
            query_schema = contract.query.model_json_schema(mode="validation")
            required = set(query_schema.get("required", []))
            for name, schema in query_schema.get("properties", {}).items():
                parameter: dict[str, Any] = {
                    "name": name,
                    "in": "query",
                    "required": name in required,
                    "schema": _without_null(schema),
                }
                if "description" in schema:
                    parameter["description"] = schema["description"]
                parameters.append(parameter)
        operation: dict[str, Any] = {
            "operationId": item.operation_id,
            "tags": [item.service],
            "summary": contract.summary,
        }
        who = {
            "public": "Public: no token.",
            "signed_in": "Any signed-in user (customer contact or staff).",
            "customer": "A customer contact; only the caller's own customer's data.",
            "staff": "Staff only (Cognito group `staff`).",
        }[contract.access]
        module = f" Part of the portal module `{contract.module}`." if contract.module else ""
        operation["description"] = " ".join(part for part in (contract.description, who + module) if part)
        parameters = [
            *parameters,
            *(
                {
                    "name": name,
                    "in": "header",
                    "required": True,
                    "description": text,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                }
                for name, text in contract.headers
            ),
        ]
        if parameters:
            operation["parameters"] = parameters
        if contract.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(contract.body, "validation")]}},
            }
        responses: dict[str, Any] = {}
        for status in item.contract.statuses(bool(item.path_parameters)):
            if status == contract.status:
                if contract.media_type is not None:
                    responses[str(status)] = {
                        "description": "The document.",
                        "content": {contract.media_type: {"schema": {"type": "string", "format": "binary"}}},
                    }
                elif contract.response is None:
                    responses[str(status)] = {"description": "Done; no content."}
                else:
                    responses[str(status)] = {
                        "description": (contract.response.__doc__ or "OK").strip().splitlines()[0],
                        "content": {
                            "application/json": {"schema": refs[(contract.response, "serialization")]},
                            **{
                                other: {"schema": {"type": "string", "format": "binary"}}
                                for other in contract.also_as
                            },
                        },
                    }
            else:
                used_statuses.add(status)
                responses[str(status)] = {"$ref": f"#/components/responses/{_response_name(status)}"}
        operation["responses"] = responses
        if route.public:
            operation["security"] = []
        operation["x-portal-access"] = contract.access
        if contract.module:
            operation["x-portal-module"] = contract.module
        if contract.writes_when_rejected:
            operation["x-portal-writes-when-rejected"] = contract.writes_when_rejected
        paths.setdefault(str(route.path), {})[str(route.method).lower()] = operation

    responses_components = {}
    for status in sorted(used_statuses):
        name = _response_name(status)
        description = STATUS_TEXT.get(status, (name, "Error."))[1]
        error_schema: dict[str, Any] = {"$ref": "#/components/schemas/Error"}
        codes = error_codes.get(status)
        if codes:
            error_schema = {
                "allOf": [
                    {"$ref": "#/components/schemas/Error"},
                    {"properties": {"error": {"properties": {"code": {"enum": codes}}}}},
                ]
            }
        component: dict[str, Any] = {
            "description": description,
            "content": {"application/json": {"schema": error_schema}},
        }
        if status == 429:
            component["headers"] = {
                "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}
            }
        responses_components[name] = component

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Billing customer portal API",
            "version": _version(),
            "description": (
                "Generated by `python -m openapi` from template.yaml's routes and the services' "
                "`@operation` contracts; do not edit by hand. Money is always "
                '`{"amount": <integer minor units>, "currency": <ISO 4217>}`; errors are always '
                '`{"error": {"code", "message", "details"}}`.'
            ),
        },
        "servers": [
            {
                "url": "/api",
                "description": "The local portal (`make run`) serves the API under /api.",
            },
            {
                "url": "https://{api_id}.execute-api.{region}.amazonaws.com/{stage}",
                "description": "A tenant stack's API Gateway stage.",
                "variables": {
                    "api_id": {"default": "api-id"},
                    "region": {"default": "us-east-1"},
                    "stage": {"default": "dev"},
                },
            },
        ],
        "security": [{SECURITY_SCHEME: []}],
        "tags": [{"name": name} for name in sorted({item.service for item in documented})],
        "paths": paths,
        "components": {
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": (
                        "The Cognito ID token (a JWT from POST /auth/login) verified by the API's session "
                        "authorizer; send it as the Authorization header value."
                    ),
                }
            },
            "responses": responses_components,
            "schemas": schemas,
        },
    }


def _response_name(status: int) -> str:
    return STATUS_TEXT.get(status, (f"Status{status}", ""))[0]


def render(strict: bool = True) -> str:
    return json.dumps(build(strict), indent=2, ensure_ascii=False) + "\n"
