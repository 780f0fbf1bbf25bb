"""Invoices HTTP API (chalice). Routes only: parse → one use case → shape. Every route is listed in
template.yaml with the same path and method (tests/contract checks both directions)."""

from __future__ import annotations

from chalice import Response

from services.invoices.logic import use_cases
from services.invoices.schemas import (
    CreateInvoiceRequest,
    InvoiceDetail,
    InvoicePage,
    ListInvoicesQuery,
    RecordPaymentRequest,
    StaffListInvoicesQuery,
)
from services.invoices.settings import Settings
from shared.api import (
    PDF,
    correlation_id,
    create_app,
    json_response,
    parse_body,
    parse_query,
    pdf_response,
    principal,
)
from shared.comments import CommentRequest, CommentThread, CommentView, StaffCommentRequest
from shared.contract import operation
from shared.forwarding import ForwardReceipt, ForwardRequest

app = create_app("invoices", Settings)


@app.route("/invoices", methods=["GET"])
@operation(
    "List the caller's invoices (never drafts), a page at a time",
    access="customer",
    query=ListInvoicesQuery,
    response=InvoicePage,
    module="invoices",
)
def list_invoices() -> Response:
    page = use_cases.list_for_customer(principal(app), parse_query(app, ListInvoicesQuery))
    return json_response(page)


@app.route("/invoices/{invoice_id}", methods=["GET"])
@operation(
    "Open one of the caller's invoices (the first view marks it viewed)",
    access="customer",
    response=InvoiceDetail,
    module="invoices",
)
def get_invoice(invoice_id: str) -> Response:
    return json_response(use_cases.view_as_customer(principal(app), invoice_id, correlation_id(app)))


@app.route("/staff/invoices", methods=["POST"])
@operation(
    "Create a draft invoice", access="staff", body=CreateInvoiceRequest, response=InvoiceDetail, status=201
)
def create_invoice() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.create_draft(parse_body(app, CreateInvoiceRequest)), status=201)


@app.route("/staff/customers/{customer_id}/invoices", methods=["GET"])
@operation(
    "A customer's invoices, drafts included, newest first, a page at a time",
    access="staff",
    query=StaffListInvoicesQuery,
    response=InvoicePage,
)
def staff_list_customer_invoices(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.list_for_staff(customer_id, parse_query(app, StaffListInvoicesQuery)))


@app.route("/staff/invoices/{invoice_id}", methods=["GET"])
@operation("Any invoice, drafts included", access="staff", response=InvoiceDetail)
def staff_get_invoice(invoice_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.staff_get(invoice_id))


@app.route("/staff/invoices/{invoice_id}/issue", methods=["POST"])
@operation("Issue a draft invoice", access="staff", response=InvoiceDetail, errors=(400, 409))
def issue_invoice(invoice_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.issue(invoice_id, correlation_id(app)))


@app.route("/staff/invoices/{invoice_id}/void", methods=["POST"])
@operation("Void an issued invoice", access="staff", response=InvoiceDetail, errors=(400, 409))
def void_invoice(invoice_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.void(invoice_id, correlation_id(app)))


@app.route("/staff/invoices/{invoice_id}/payments", methods=["POST"])
@operation(
    "Record a payment received outside the portal",
    access="staff",
    body=RecordPaymentRequest,
    response=InvoiceDetail,
    errors=(409,),
)
def record_payment(invoice_id: str) -> Response:
    principal(app).require_staff()
    request = parse_body(app, RecordPaymentRequest)
    return json_response(use_cases.record_payment(invoice_id, request, correlation_id(app)))


@app.route("/staff/invoices/by-estimate/{estimate_id}", methods=["GET"])
@operation(
    "The draft invoice made from a converted estimate (404 until the conversion has arrived)",
    access="staff",
    response=InvoiceDetail,
)
def staff_invoice_of_estimate(estimate_id: str) -> Response:
    principal(app).require_staff()
    from services.invoices.logic.from_estimates import invoice_of_estimate

    return json_response(use_cases.detail(invoice_of_estimate(estimate_id)))


# ---- documents ------------------------------------------------------------------------------------


@app.route("/invoices/{invoice_id}/pdf", methods=["GET"])
@operation(
    "One of the caller's invoices as a PDF (send Accept: application/pdf)",
    access="customer",
    media_type=PDF,
    errors=(406,),
    module="invoices",
)
def invoice_pdf(invoice_id: str) -> Response:
    from services.invoices.logic import documents

    document = documents.customer_pdf(principal(app), invoice_id)
    return pdf_response(app, document.content, document.filename)


@app.route("/staff/invoices/{invoice_id}/pdf", methods=["GET"])
@operation("Any invoice as a PDF, drafts included", access="staff", media_type=PDF, errors=(406,))
def staff_invoice_pdf(invoice_id: str) -> Response:
    principal(app).require_staff()
    from services.invoices.logic import documents

    document = documents.staff_pdf(invoice_id)
    return pdf_response(app, document.content, document.filename)


# ---- forwarding ------------------------------------------------------------------------------------


@app.route("/invoices/{invoice_id}/forward", methods=["POST"])
@operation(
    "Email one of the caller's invoices (PDF attached) to another contact of their company",
    access="customer",
    body=ForwardRequest,
    response=ForwardReceipt,
    status=201,
    errors=(429,),
    module="invoices",
)
def forward_invoice(invoice_id: str) -> Response:
    from services.invoices.logic.forwarding import forwarding

    caller, request = principal(app), parse_body(app, ForwardRequest)
    return json_response(forwarding.forward(caller, invoice_id, request, correlation_id(app)), status=201)


# ---- comments --------------------------------------------------------------------------------------


@app.route("/invoices/{invoice_id}/comments", methods=["GET"])
@operation(
    "The comment thread of one of the caller's invoices (their side and staff's visible replies)",
    access="customer",
    response=CommentThread,
    module="invoices",
)
def invoice_comments(invoice_id: str) -> Response:
    from services.invoices.logic.comments import threads

    return json_response(threads.for_customer(principal(app), invoice_id))


@app.route("/invoices/{invoice_id}/comments", methods=["POST"])
@operation(
    "Comment on one of the caller's invoices (staff are told)",
    access="customer",
    body=CommentRequest,
    response=CommentView,
    status=201,
    errors=(409,),
    module="invoices",
)
def add_invoice_comment(invoice_id: str) -> Response:
    from services.invoices.logic.comments import threads

    caller, request = principal(app), parse_body(app, CommentRequest)
    return json_response(
        threads.add_by_customer(caller, invoice_id, request, correlation_id(app)), status=201
    )


@app.route("/staff/invoices/{invoice_id}/comments", methods=["GET"])
@operation(
    "The whole comment thread of any invoice, hidden replies included", access="staff", response=CommentThread
)
def staff_invoice_comments(invoice_id: str) -> Response:
    principal(app).require_staff()
    from services.invoices.logic.comments import threads

    return json_response(threads.for_staff(invoice_id))


@app.route("/staff/invoices/{invoice_id}/comments", methods=["POST"])
@operation(
    "Reply on a invoice's thread; `visible_to_customer` decides whether the customer sees it",
    access="staff",
    body=StaffCommentRequest,
    response=CommentView,
    status=201,
    errors=(409,),
)
def staff_add_invoice_comment(invoice_id: str) -> Response:
    caller = principal(app)
    caller.require_staff()
    from services.invoices.logic.comments import threads

    request = parse_body(app, StaffCommentRequest)
    return json_response(threads.add_by_staff(caller, invoice_id, request, correlation_id(app)), status=201)
