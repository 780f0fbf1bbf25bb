"""What every service's chalice app shares: the one place domain errors become HTTP, the request's
correlation id in every log line, the caller's principal, and strict JSON body parsing into pydantic
models.

Chalice turns any exception a view raises into its own 500 body before middleware sees it (only a
`ChaliceUnhandledError` reaches `@app.middleware("http")`). Rather than derive the domain errors from a
web-framework class, every route of a `PortalApp` is wrapped where it is registered: a `DomainError`
becomes its status and the portal's error body, anything else a logged 500 in the same shape."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar

from chalice import Chalice, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from shared.contract import contract_of
from shared.errors import (
    DomainError,
    NotAcceptable,
    NotFound,
    ValidationFailed,
    error_body,
    to_response_body,
)
from shared.ids import is_id
from shared.observability import logger
from shared.principal import Principal, principal_from_context
from shared.settings import EnvSettings, load

ModelT = TypeVar("ModelT", bound=BaseModel)


class PortalApp(Chalice):
    def route(self, path: str, **kwargs: Any) -> Callable[..., Any]:
        register = super().route(path, **kwargs)

        def decorator(view: Callable[..., Any]) -> Any:
            return register(_answering_errors(view))

        return decorator


def _answering_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)  # keeps the name chalice registers and the `@operation` metadata
    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return error_response(error)
        except Exception:
            logger.exception("unhandled error")
            return json_response(error_body("internal_error", "Something went wrong on our side."), 500)

    return answer


def error_response(error: DomainError) -> Response:
    response = json_response(to_response_body(error), status=error.status)
    response.headers.update(error.headers)
    return response


def create_app(name: str, settings: type[EnvSettings]) -> Chalice:
    load(settings)  # at cold start: a missing variable fails here, by name
    app = PortalApp(app_name=name)
    # Document downloads: chalice base64-encodes these bodies (API Gateway's BinaryMediaTypes decodes).
    app.api.binary_types.append(PDF)

    @app.middleware("http")
    def correlate(event: Any, get_response: Callable[[Any], Response]) -> Response:
        # Every log line of this request carries API Gateway's request id (also each event's correlation id).
        logger.append_keys(correlation_id=(getattr(event, "context", None) or {}).get("requestId"))
        try:
            access = check_route(app, event)
        except DomainError as error:
            return _private(error_response(error))
        response = get_response(event)
        return response if access == "public" else _private(response)

    return app


# What a malformed id answers: the same 404 as the use case gives for a well-formed id it cannot find.
NOT_FOUND_MESSAGES = {
    "invoice_id": "No invoice with this id.",
    "estimate_id": "No estimate with this id.",
    "customer_id": "No customer with this id.",
    "contact_id": "No such contact.",
    "payment_id": "No payment with this id.",
    "method_id": "No saved payment method with this id.",
}
# Path parameters that are names, not ids (a payment provider's webhook: /webhooks/stripe).
NAME_PARAMETERS = {"provider": re.compile(r"^[a-z][a-z0-9_-]{0,31}$")}


def _private(response: Response) -> Response:
    """An answer for one signed-in caller (or about one): no browser, proxy or CDN may keep it. A
    route that chose its own (a document download's `private, no-store`) keeps that."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def check_route(app: Chalice, request: Request) -> str:
    """Before the view runs, from the route's contract (shared.contract): the caller is the kind the
    route is for (else 401/403, whatever the input), and every path parameter is an id (shared.ids),
    else 404, so no malformed key ever reaches DynamoDB. The views keep their own checks too.
    Returns the route's access (`public`, `signed_in`, `customer`, `staff`)."""
    entry = app.routes.get(request.context.get("resourcePath", ""), {}).get(request.method)
    contract = contract_of(entry.view_function) if entry else None
    access = contract.access if contract else "signed_in"
    if access != "public":
        caller = principal_from_context(request.context)
        if access == "staff":
            caller.require_staff()
        elif access == "customer":
            caller.require_customer()
    for name, value in (request.uri_params or {}).items():
        pattern = NAME_PARAMETERS.get(name)
        if not (pattern.fullmatch(value) if pattern else is_id(value)):
            raise NotFound(NOT_FOUND_MESSAGES.get(name, "Not found."))
    return access


def json_response(body: Any, status: int = 200) -> Response:
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json")
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


PDF = "application/pdf"


def pdf_response(app: Chalice, content: bytes, filename: str) -> Response:
    """A document download. The file name is ours (a document number), never the caller's input.
    The caller must accept the PDF (API Gateway returns binary only for a matching `Accept`): checked
    once the document exists, so a missing one is the same 404 for everyone."""
    accept = (_request(app).headers.get("accept") or "").lower()
    if PDF not in accept and "*/*" not in accept:
        raise NotAcceptable(f"Ask for this document with 'Accept: {PDF}'.")
    return Response(
        body=content,
        status_code=200,
        headers={
            "Content-Type": PDF,
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def no_content() -> Response:
    return Response(body="", status_code=204)


def _request(app: Chalice) -> Request:
    request = app.current_request
    if request is None:  # pragma: no cover - only outside a request
        raise RuntimeError("no current request")
    return request


def principal(app: Chalice) -> Principal:
    return principal_from_context(_request(app).context)


def client_ip(app: Chalice) -> str:
    """The caller's address as API Gateway saw it (sign-in throttling is also per client)."""
    return str(((_request(app).context or {}).get("identity") or {}).get("sourceIp") or "unknown")


def correlation_id(app: Chalice) -> str | None:
    """API Gateway's request id: carried into every event this request causes."""
    return (_request(app).context or {}).get("requestId")


def parse_body(app: Chalice, model: type[ModelT]) -> ModelT:
    raw = _request(app).raw_body or b"{}"
    try:
        payload = json.loads(raw, parse_float=_json_number)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ValidationFailed("The request body is not valid JSON.") from None
    return validate(model, payload)


def _json_number(text: str) -> int | float:
    """JSON has one number type: 100.0 and 1e2 are the integer 100 (JSON Schema's `integer` admits
    them), so they validate as integers; a fraction stays a float, which every contract refuses."""
    number = Decimal(text)
    # adjusted() first: a huge exponent (1e999999999) must not be expanded or overflow the context.
    if number.adjusted() < 16 and number == number.to_integral_value():
        return int(number)
    return float(text)


def parse_query(app: Chalice, model: type[ModelT]) -> ModelT:
    return validate(model, dict(_request(app).query_params or {}))


def validate(model: type[ModelT], payload: Any) -> ModelT:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        details = [
            {"field": ".".join(str(p) for p in item["loc"]), "message": item["msg"]}
            for item in error.errors(include_url=False, include_context=False, include_input=False)
        ]
        raise ValidationFailed("Some fields are missing or invalid.", details) from None
