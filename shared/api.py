"""What every service's chalice app shares: the one place domain errors become HTTP, the request's
correlation id in every log line, the caller's principal, and strict JSON body parsing into pydantic
models.

Chalice turns any exception a view raises into its own 500 body before middleware sees it (only a
`ChaliceUnhandledError` reaches `@app.middleware("http")`). Rather than derive the domain errors from a
web-framework class, every route of a `PortalApp` is wrapped where it is registered: a `DomainError`
becomes its status and the portal's error body, anything else a logged 500 in the same shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from chalice import Chalice, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from shared.errors import DomainError, ValidationFailed, error_body, to_response_body
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

    @app.middleware("http")
    def correlate(event: Any, get_response: Callable[[Any], Response]) -> Response:
        # Every log line of this request carries API Gateway's request id (also each event's correlation id).
        logger.append_keys(correlation_id=(getattr(event, "context", None) or {}).get("requestId"))
        return get_response(event)

    return app


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
