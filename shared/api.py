"""What every service's chalice app shares: the error middleware (the one place domain errors
become HTTP), the caller's principal, and strict JSON body parsing into pydantic models."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Chalice, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from shared.contract import contract_of
from shared.errors import DomainError, NotFound, ValidationFailed, error_body, to_response_body
from shared.ids import is_id
from shared.observability import logger
from shared.principal import Principal, principal_from_context

ModelT = TypeVar("ModelT", bound=BaseModel)


def create_app(name: str) -> Chalice:
    app = Chalice(app_name=name)

    @app.middleware("http")
    def map_errors(event: Any, get_response: Callable[[Any], Response]) -> Response:
        # Every log line of this request carries API Gateway's request id (also each event's correlation id).
        logger.append_keys(correlation_id=(getattr(event, "context", None) or {}).get("requestId"))
        try:
            check_path_ids(app, event)
            return get_response(event)
        except DomainError as error:
            response = json_response(to_response_body(error), status=error.status)
            response.headers.update(error.headers)
            return response
        except Exception:
            logger.exception("unhandled error", extra={"path": getattr(event, "path", None)})
            return json_response(error_body("internal_error", "Something went wrong on our side."), 500)

    return app


# What a malformed id answers: the same 404 as the use case gives for a well-formed id it cannot find.
NOT_FOUND_MESSAGES = {
    "invoice_id": "No invoice with this id.",
    "customer_id": "No customer with this id.",
    "contact_id": "No such contact.",
}


def check_path_ids(app: Chalice, request: Request) -> None:
    """Every path parameter is an id (shared.ids): one that cannot be one answers 404 before the view
    runs, so no malformed key ever reaches DynamoDB. The route's caller check comes first, so a
    contact on a staff route still hears 403 whatever the id."""
    params = request.uri_params or {}
    if all(is_id(value) for value in params.values()):
        return
    entry = app.routes.get(request.context.get("resourcePath", ""), {}).get(request.method)
    contract = contract_of(entry.view_function) if entry else None
    access = contract.access if contract else "staff"
    if access != "public":
        caller = principal_from_context(request.context)
        if access == "staff":
            caller.require_staff()
        elif access == "customer":
            caller.require_customer()
    bad = next(name for name, value in params.items() if not is_id(value))
    raise NotFound(NOT_FOUND_MESSAGES.get(bad, "Not found."))


def json_response(body: Any, status: int = 200) -> Response:
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json")
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


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
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationFailed("The request body is not valid JSON.") from None
    return validate(model, payload)


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
