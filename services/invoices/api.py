"""Invoices HTTP API (chalice). Routes only: parse → one use case → shape. Every route is listed in
template.yaml with the same path and method (tests/contract checks both directions)."""

from __future__ import annotations

from chalice import Response

from services.invoices.logic import use_cases
from services.invoices.schemas import CreateInvoiceRequest, ListInvoicesQuery, RecordPaymentRequest
from shared.api import correlation_id, create_app, json_response, parse_body, parse_query, principal

app = create_app("invoices")


@app.route("/invoices", methods=["GET"])
def list_invoices() -> Response:
    page = use_cases.list_for_customer(principal(app), parse_query(app, ListInvoicesQuery))
    return json_response(page)


@app.route("/invoices/{invoice_id}", methods=["GET"])
def get_invoice(invoice_id: str) -> Response:
    return json_response(use_cases.view_as_customer(principal(app), invoice_id, correlation_id(app)))


@app.route("/staff/invoices", methods=["POST"])
def create_invoice() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.create_draft(parse_body(app, CreateInvoiceRequest)), status=201)


@app.route("/staff/invoices/{invoice_id}", methods=["GET"])
def staff_get_invoice(invoice_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.staff_get(invoice_id))


@app.route("/staff/invoices/{invoice_id}/issue", methods=["POST"])
def issue_invoice(invoice_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.issue(invoice_id, correlation_id(app)))


@app.route("/staff/invoices/{invoice_id}/void", methods=["POST"])
def void_invoice(invoice_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.void(invoice_id, correlation_id(app)))


@app.route("/staff/invoices/{invoice_id}/payments", methods=["POST"])
def record_payment(invoice_id: str) -> Response:
    principal(app).require_staff()
    request = parse_body(app, RecordPaymentRequest)
    return json_response(use_cases.record_payment(invoice_id, request, correlation_id(app)))
