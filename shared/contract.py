"""What each HTTP route takes and answers, declared next to the route: the source of the portal's
OpenAPI document (`python -m openapi`) and of the gates that cover every route (fuzzing, the
authorization suite, round-trip budgets).

Put `@operation(...)` directly under `@app.route(...)`:

    @app.route("/invoices/{invoice_id}", methods=["GET"])
    @operation("Open one of the caller's invoices", access="customer", response=InvoiceDetail,
               errors=(404,), module="invoices")
    def get_invoice(invoice_id: str) -> Response: ...

Only metadata is attached to the view function (nothing runs per request, nothing heavy is imported),
so a handler's cold start does not change. The rest is derived, so a route states only what is its own:
- 401 for every route that is not public (the route's `Auth` in template.yaml is the truth; `access`
  must agree with it), 403 for `customer` and `staff` routes (wrong kind of caller, or a portal
  module the tenant turned off), 400 when the route reads a body or a query, 404 when the path has
  parameters (the resource may not exist, or belongs to someone else).
- The error body is always shared.errors' `{"error": {"code", "message", "details"}}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    """Base of the request and response models: each is built on its first use, not when its module
    is imported (a handler imports every model of its service; one request uses a few)."""

    model_config = ConfigDict(defer_build=True)


Access = Literal["public", "signed_in", "customer", "staff"]
"""Who may call a route:
- public: no token (template.yaml `Auth: {Authorizer: NONE}`), e.g. sign-in;
- signed_in: any verified token, customer contact or staff (e.g. /me);
- customer: a customer contact's token; data is the caller's own customer's, never an id from the request;
- staff: a token of the Cognito group `staff`."""

ATTRIBUTE = "__portal_operation__"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    summary: str
    access: Access
    response: type[BaseModel] | None = None  # None: the route answers 204 with no body (or a file)
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()  # statuses the use case raises beyond the derived ones, e.g. (404, 409)
    module: str | None = None  # the portal module (shared.preferences.Module) the route belongs to
    description: str = ""
    operation_id: str | None = None  # defaults to the view function's name
    # Why a *rejected* request of this route still writes, e.g. "failed sign-ins are counted for
    # throttling". Empty (the rule): a 4xx writes nothing, and the fuzzing suite checks it.
    writes_when_rejected: str = ""
    # A success body that is not JSON (e.g. "application/pdf"), and required request headers
    # (name → description), e.g. {"Idempotency-Key": "..."}.
    media_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    # Other media types the success may come as, chosen by the request (e.g. a statement as PDF or CSV).
    also_as: tuple[str, ...] = ()

    def statuses(self, has_path_parameters: bool) -> list[int]:
        """Every status this route may answer, success first."""
        found = set(self.errors)
        if self.access != "public":
            found.add(401)
        if self.access in ("customer", "staff") or self.module:
            found.add(403)
        if self.body is not None or self.query is not None:
            found.add(400)
        if has_path_parameters:
            found.add(404)
        return [self.status, *sorted(found)]


def operation(
    summary: str,
    *,
    access: Access,
    response: type[BaseModel] | None = None,
    status: int = 200,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    errors: tuple[int, ...] = (),
    module: str | None = None,
    description: str = "",
    operation_id: str | None = None,
    writes_when_rejected: str = "",
    media_type: str | None = None,
    headers: dict[str, str] | None = None,
    also_as: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Declare a route's contract (see the module docstring). Returns the view unchanged."""
    if response is None and status == 200 and media_type is None:
        status = 204
    contract = Operation(
        summary=summary,
        access=access,
        response=response,
        status=status,
        body=body,
        query=query,
        errors=tuple(errors),
        module=module,
        description=description,
        operation_id=operation_id,
        writes_when_rejected=writes_when_rejected,
        media_type=media_type,
        headers=tuple((headers or {}).items()),
        also_as=tuple(also_as),
    )

    def attach(view: F) -> F:
        setattr(view, ATTRIBUTE, contract)
        return view

    return attach


def contract_of(view: Callable[..., Any]) -> Operation | None:
    found = getattr(view, ATTRIBUTE, None)
    return found if isinstance(found, Operation) else None
