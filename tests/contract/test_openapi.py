"""The OpenAPI document covers every route of template.yaml, is valid OpenAPI 3.1, and the committed
openapi/openapi.json is exactly what the code generates."""

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel

import openapi
from infra.local.template import load, routes
from shared.contract import contract_of, operation
from shared.ids import ID_PATTERN


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi.build(strict=False)


def test_every_template_route_has_a_contract() -> None:
    missing = openapi.problems()
    assert not missing, (
        "Every route in template.yaml needs an @operation(...) contract (shared/contract.py) under its "
        "@app.route, then `python -m openapi` to regenerate openapi/openapi.json:\n" + "\n".join(missing)
    )


def test_committed_document_is_what_the_code_generates(document: dict[str, Any]) -> None:
    committed = openapi.DOCUMENT.read_text() if openapi.DOCUMENT.exists() else ""
    assert committed == openapi.render(strict=False), (
        f"openapi/openapi.json is stale: run `{openapi.REGENERATE}` and commit the file."
    )


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(json.loads(json.dumps(document)))


def test_every_documented_operation_is_a_template_route(document: dict[str, Any]) -> None:
    template_routes = {(r.path, r.method.lower()) for r in routes(load())}
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented <= template_routes
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_public_routes_need_no_token_and_others_answer_401_without_one(document: dict[str, Any]) -> None:
    public = {(r.path, r.method.lower()) for r in routes(load()) if r.public}
    for path, item in document["paths"].items():
        for method, op in item.items():
            if (path, method) in public:
                assert op["security"] == [] and op["x-portal-access"] == "public", (method, path)
            else:
                assert "security" not in op, (method, path)  # the document's default: the Cognito ID token
                assert op["responses"]["401"] == {"$ref": "#/components/responses/Unauthenticated"}


def test_errors_use_the_shared_error_shape(document: dict[str, Any]) -> None:
    from shared.errors import NotFound, to_response_body

    error = document["components"]["schemas"]["Error"]
    body = to_response_body(NotFound("No invoice with this id."))
    assert set(error["required"]) == set(body) == {"error"}
    assert set(error["properties"]["error"]["required"]) == set(body["error"])
    not_found = document["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/Error"} in not_found["allOf"]
    codes = not_found["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]
    assert "not_found" in codes


def test_a_staff_route_documents_its_body_response_and_derived_errors(document: dict[str, Any]) -> None:
    op = document["paths"]["/staff/invoices/{invoice_id}/payments"]["post"]
    assert op["operationId"] == "record_payment"
    assert op["x-portal-access"] == "staff"
    assert op["parameters"] == [
        {
            "name": "invoice_id",
            "in": "path",
            "required": True,
            "description": "An id (ULID); anything else answers 404 before any lookup.",
            "schema": {"type": "string", "pattern": ID_PATTERN},
        }
    ]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RecordPaymentRequest"
    }
    assert set(op["responses"]) == {"200", "400", "401", "403", "404", "409"}
    body_schema = document["components"]["schemas"]["RecordPaymentRequest"]
    assert body_schema["additionalProperties"] is False
    assert "amount" in body_schema["required"]


def test_query_models_become_optional_query_parameters(document: dict[str, Any]) -> None:
    op = document["paths"]["/invoices"]["get"]
    parameters = {p["name"]: p for p in op["parameters"]}
    assert set(parameters) == {"status", "sort", "order", "limit", "cursor"}
    assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert "anyOf" not in parameters["status"]["schema"]  # absent, never null
    assert op["x-portal-module"] == "invoices"


def test_a_route_without_contract_is_reported_with_the_snippet(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.invoices import api

    entry = api.app.routes["/invoices"]["GET"]
    bare = lambda: None  # noqa: E731
    monkeypatch.setattr(entry, "view_function", bare)
    missing = openapi.problems()
    assert any(p.startswith("GET /invoices (") and '@app.route("/invoices"' in p for p in missing)
    with pytest.raises(openapi.ContractMissing):
        openapi.build(strict=True)


def test_the_decorator_derives_statuses_and_keeps_the_view() -> None:
    class Body(BaseModel):
        name: str

    def view() -> None: ...

    decorated = operation("x", access="staff", body=Body, response=Body, status=201, errors=(409,))(view)
    assert decorated is view
    contract = contract_of(view)
    assert contract is not None
    assert contract.statuses(has_path_parameters=True) == [201, 400, 401, 403, 404, 409]
    public = operation("y", access="public")(lambda: None)
    assert contract_of(public).statuses(False) == [204]  # type: ignore[union-attr]


def test_document_is_json_serialisable_and_stable() -> None:
    assert json.loads(openapi.render(strict=False)) == json.loads(openapi.render(strict=False))


def test_the_api_reference_is_served_locally_without_a_cdn(portal: Any) -> None:
    from werkzeug.test import Client

    client = Client(portal.gateway)
    html = client.get("/api/docs")
    assert html.status_code == 200 and html.mimetype == "text/html"
    page = html.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/api/docs/") for s in sources), sources
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.get_data()) > 0
    served = client.get("/api/docs/openapi.json")
    assert served.status_code == 200 and served.mimetype == "application/json"
    assert served.get_json() == json.loads(openapi.render(strict=False))
    assert client.get("/api/docs/static/../../pyproject.toml").status_code == 404
    assert client.get("/api/docs/static/LICENSE").status_code == 404
