"""Credit notes HTTP API (chalice). Routes only: parse → one use case → shape. Every route is listed in
template.yaml with the same path and method (tests/contract checks both directions)."""

from __future__ import annotations

from chalice import Response

from services.credit_notes.logic import requests, use_cases
from services.credit_notes.schemas import (
    ApplyCreditNoteRequest,
    ApprovedRequest,
    ApproveRequest,
    CreditNoteDetail,
    CreditNotePage,
    CreditRequestPage,
    CreditRequestView,
    CustomerRequestsQuery,
    IssueCreditNoteRequest,
    ListCreditNotesQuery,
    ListRequestsQuery,
    NewCreditRequest,
    RefundCreditNoteRequest,
    RejectRequest,
    UseCreditNoteRequest,
)
from services.credit_notes.settings import Settings
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
from shared.contract import operation

app = create_app("credit_notes", Settings)

# ---- customer contacts -----------------------------------------------------------------------------


@app.route("/credit-notes", methods=["GET"])
@operation(
    "List the caller's credit notes, newest first, a page at a time",
    access="customer",
    query=ListCreditNotesQuery,
    response=CreditNotePage,
    module="credit_notes",
)
def list_credit_notes() -> Response:
    return json_response(use_cases.list_for_customer(principal(app), parse_query(app, ListCreditNotesQuery)))


@app.route("/credit-notes/{credit_note_id}", methods=["GET"])
@operation(
    "One of the caller's credit notes: lines, totals, the invoices it paid, refunds, what remains",
    access="customer",
    response=CreditNoteDetail,
    module="credit_notes",
)
def get_credit_note(credit_note_id: str) -> Response:
    return json_response(use_cases.view_as_customer(principal(app), credit_note_id))


@app.route("/credit-notes/{credit_note_id}/pdf", methods=["GET"])
@operation(
    "One of the caller's credit notes as a PDF (send Accept: application/pdf)",
    access="customer",
    media_type=PDF,
    errors=(406,),
    module="credit_notes",
)
def credit_note_pdf(credit_note_id: str) -> Response:
    from services.credit_notes.logic import documents

    document = documents.customer_pdf(principal(app), credit_note_id)
    return pdf_response(app, document.content, document.filename)


@app.route("/credit-notes/{credit_note_id}/apply", methods=["POST"])
@operation(
    "Use one of the caller's open credit notes to pay one of its invoices (≤ remaining, ≤ amount due)",
    access="customer",
    body=UseCreditNoteRequest,
    response=CreditNoteDetail,
    errors=(404, 409),
    module="credit_notes",
)
def use_credit_note(credit_note_id: str) -> Response:
    caller = principal(app)
    use_cases.check_can_use(caller)
    body = parse_body(app, UseCreditNoteRequest)
    return json_response(use_cases.use_as_customer(caller, credit_note_id, body, correlation_id(app)))


@app.route("/credit-note-requests", methods=["POST"])
@operation(
    "Ask for a credit note against one of the caller's invoices (at most what is left to credit on it)",
    access="customer",
    body=NewCreditRequest,
    response=CreditRequestView,
    status=201,
    errors=(404, 409),  # 404: not one of the caller's issued invoices
    module="credit_notes",
)
def request_credit_note() -> Response:
    caller = principal(app)
    requests.require_allowed(caller)
    body = parse_body(app, NewCreditRequest)
    return json_response(requests.create(caller, body, correlation_id(app)), status=201)


@app.route("/credit-note-requests", methods=["GET"])
@operation(
    "The caller's credit-note requests with their outcome, newest first",
    access="customer",
    query=CustomerRequestsQuery,
    response=CreditRequestPage,
    module="credit_notes",
)
def my_credit_note_requests() -> Response:
    return json_response(requests.of_customer(principal(app), parse_query(app, CustomerRequestsQuery)))


# ---- staff -----------------------------------------------------------------------------------------


@app.route("/staff/credit-notes", methods=["POST"])
@operation(
    "Issue a credit note to a customer (optionally against one of its invoices)",
    access="staff",
    body=IssueCreditNoteRequest,
    response=CreditNoteDetail,
    status=201,
    errors=(409,),
)
def issue_credit_note() -> Response:
    principal(app).require_staff()
    body = parse_body(app, IssueCreditNoteRequest)
    return json_response(use_cases.issue(body, correlation_id(app)), status=201)


@app.route("/staff/credit-notes/{credit_note_id}", methods=["GET"])
@operation("Any credit note", access="staff", response=CreditNoteDetail)
def staff_get_credit_note(credit_note_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.staff_get(credit_note_id))


@app.route("/staff/credit-notes/{credit_note_id}/pdf", methods=["GET"])
@operation("Any credit note as a PDF", access="staff", media_type=PDF, errors=(406,))
def staff_credit_note_pdf(credit_note_id: str) -> Response:
    principal(app).require_staff()
    from services.credit_notes.logic import documents

    document = documents.staff_pdf(credit_note_id)
    return pdf_response(app, document.content, document.filename)


@app.route("/staff/credit-notes/{credit_note_id}/apply", methods=["POST"])
@operation(
    "Apply part of a credit note to an invoice of the same customer (≤ remaining, ≤ its amount due)",
    access="staff",
    body=ApplyCreditNoteRequest,
    response=CreditNoteDetail,
    errors=(409,),
)
def apply_credit_note(credit_note_id: str) -> Response:
    principal(app).require_staff()
    body = parse_body(app, ApplyCreditNoteRequest)
    return json_response(use_cases.apply(credit_note_id, body, correlation_id(app)))


@app.route("/staff/credit-notes/{credit_note_id}/refund", methods=["POST"])
@operation(
    "Refund part of a credit note's remaining credit to the customer",
    access="staff",
    body=RefundCreditNoteRequest,
    response=CreditNoteDetail,
    errors=(409,),
)
def refund_credit_note(credit_note_id: str) -> Response:
    principal(app).require_staff()
    body = parse_body(app, RefundCreditNoteRequest)
    return json_response(use_cases.refund(credit_note_id, body, correlation_id(app)))


@app.route("/staff/credit-notes/{credit_note_id}/void", methods=["POST"])
@operation(
    "Void a credit note nothing was applied or refunded from",
    access="staff",
    response=CreditNoteDetail,
    errors=(409,),
)
def void_credit_note(credit_note_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.void(credit_note_id, correlation_id(app)))


@app.route("/staff/credit-note-requests", methods=["GET"])
@operation(
    "Contacts' credit-note requests in one status (default: waiting for an answer), oldest first",
    access="staff",
    query=ListRequestsQuery,
    response=CreditRequestPage,
)
def staff_credit_note_requests() -> Response:
    principal(app).require_staff()
    return json_response(requests.by_status(parse_query(app, ListRequestsQuery)))


@app.route("/staff/credit-note-requests/{request_id}/approve", methods=["POST"])
@operation(
    "Approve a request: issue the credit note (and, with `apply`, apply it to the invoice at once)",
    access="staff",
    body=ApproveRequest,
    response=ApprovedRequest,
    errors=(409,),
)
def approve_credit_note_request(request_id: str) -> Response:
    principal(app).require_staff()
    body = parse_body(app, ApproveRequest)
    return json_response(requests.approve(request_id, body, correlation_id(app)))


@app.route("/staff/credit-note-requests/{request_id}/reject", methods=["POST"])
@operation(
    "Reject a request, saying why",
    access="staff",
    body=RejectRequest,
    response=CreditRequestView,
    errors=(409,),
)
def reject_credit_note_request(request_id: str) -> Response:
    principal(app).require_staff()
    body = parse_body(app, RejectRequest)
    return json_response(requests.reject(request_id, body, correlation_id(app)))
