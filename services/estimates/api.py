"""Estimates HTTP API (chalice). Routes only: parse → one use case → shape. Every route is listed in
template.yaml with the same path and method (tests/contract checks both directions)."""

from __future__ import annotations

from chalice import Response

from services.estimates.logic import use_cases
from services.estimates.schemas import (
    CreateEstimateRequest,
    DeclineRequest,
    EstimateDetail,
    EstimatePage,
    ListEstimatesQuery,
)
from services.estimates.settings import Settings
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

app = create_app("estimates", Settings)

# ---- customer contacts -----------------------------------------------------------------------------


@app.route("/estimates", methods=["GET"])
@operation(
    "List the caller's estimates (never drafts), newest first, a page at a time",
    access="customer",
    query=ListEstimatesQuery,
    response=EstimatePage,
    module="estimates",
)
def list_estimates() -> Response:
    return json_response(use_cases.list_for_customer(principal(app), parse_query(app, ListEstimatesQuery)))


@app.route("/estimates/{estimate_id}", methods=["GET"])
@operation(
    "Open one of the caller's estimates (the first view marks it viewed)",
    access="customer",
    response=EstimateDetail,
    module="estimates",
)
def get_estimate(estimate_id: str) -> Response:
    return json_response(use_cases.view_as_customer(principal(app), estimate_id, correlation_id(app)))


@app.route("/estimates/{estimate_id}/pdf", methods=["GET"])
@operation(
    "One of the caller's estimates as a PDF (send Accept: application/pdf)",
    access="customer",
    media_type=PDF,
    errors=(406,),
    module="estimates",
)
def estimate_pdf(estimate_id: str) -> Response:
    from services.estimates.logic import documents

    document = documents.customer_pdf(principal(app), estimate_id)
    return pdf_response(app, document.content, document.filename)


@app.route("/estimates/{estimate_id}/accept", methods=["POST"])
@operation(
    "Accept an estimate (not once it has expired or was answered)",
    access="customer",
    response=EstimateDetail,
    errors=(409,),
    module="estimates",
)
def accept_estimate(estimate_id: str) -> Response:
    return json_response(use_cases.accept(principal(app), estimate_id, correlation_id(app)))


@app.route("/estimates/{estimate_id}/decline", methods=["POST"])
@operation(
    "Decline an estimate, saying why",
    access="customer",
    body=DeclineRequest,
    response=EstimateDetail,
    errors=(409,),
    module="estimates",
)
def decline_estimate(estimate_id: str) -> Response:
    caller = principal(app)
    request = parse_body(app, DeclineRequest)
    return json_response(use_cases.decline(caller, estimate_id, request, correlation_id(app)))


# ---- staff -----------------------------------------------------------------------------------------


@app.route("/staff/estimates", methods=["POST"])
@operation(
    "Create a draft estimate", access="staff", body=CreateEstimateRequest, response=EstimateDetail, status=201
)
def create_estimate() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.create_draft(parse_body(app, CreateEstimateRequest)), status=201)


@app.route("/staff/estimates/{estimate_id}", methods=["GET"])
@operation("Any estimate, drafts included", access="staff", response=EstimateDetail)
def staff_get_estimate(estimate_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.staff_get(estimate_id))


@app.route("/staff/estimates/{estimate_id}/send", methods=["POST"])
@operation(
    "Send a draft estimate to the customer", access="staff", response=EstimateDetail, errors=(400, 409)
)
def send_estimate(estimate_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.send(estimate_id, correlation_id(app)))


@app.route("/staff/estimates/{estimate_id}/convert", methods=["POST"])
@operation(
    "Convert an accepted estimate to an invoice (the invoices service drafts it)",
    access="staff",
    response=EstimateDetail,
    errors=(409,),
)
def convert_estimate(estimate_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.convert(estimate_id, correlation_id(app)))


@app.route("/staff/estimates/{estimate_id}/pdf", methods=["GET"])
@operation("Any estimate as a PDF, drafts included", access="staff", media_type=PDF, errors=(406,))
def staff_estimate_pdf(estimate_id: str) -> Response:
    principal(app).require_staff()
    from services.estimates.logic import documents

    document = documents.staff_pdf(estimate_id)
    return pdf_response(app, document.content, document.filename)


# ---- forwarding ------------------------------------------------------------------------------------


@app.route("/estimates/{estimate_id}/forward", methods=["POST"])
@operation(
    "Email one of the caller's estimates (PDF attached) to another contact of their company",
    access="customer",
    body=ForwardRequest,
    response=ForwardReceipt,
    status=201,
    errors=(429,),
    module="estimates",
)
def forward_estimate(estimate_id: str) -> Response:
    from services.estimates.logic.forwarding import forwarding

    caller, request = principal(app), parse_body(app, ForwardRequest)
    return json_response(forwarding.forward(caller, estimate_id, request, correlation_id(app)), status=201)


# ---- comments --------------------------------------------------------------------------------------


@app.route("/estimates/{estimate_id}/comments", methods=["GET"])
@operation(
    "The comment thread of one of the caller's estimates (their side and staff's visible replies)",
    access="customer",
    response=CommentThread,
    module="estimates",
)
def estimate_comments(estimate_id: str) -> Response:
    from services.estimates.logic.comments import threads

    return json_response(threads.for_customer(principal(app), estimate_id))


@app.route("/estimates/{estimate_id}/comments", methods=["POST"])
@operation(
    "Comment on one of the caller's estimates (staff are told)",
    access="customer",
    body=CommentRequest,
    response=CommentView,
    status=201,
    errors=(409,),
    module="estimates",
)
def add_estimate_comment(estimate_id: str) -> Response:
    from services.estimates.logic.comments import threads

    caller, request = principal(app), parse_body(app, CommentRequest)
    return json_response(
        threads.add_by_customer(caller, estimate_id, request, correlation_id(app)), status=201
    )


@app.route("/staff/estimates/{estimate_id}/comments", methods=["GET"])
@operation(
    "The whole comment thread of any estimate, hidden replies included",
    access="staff",
    response=CommentThread,
)
def staff_estimate_comments(estimate_id: str) -> Response:
    principal(app).require_staff()
    from services.estimates.logic.comments import threads

    return json_response(threads.for_staff(estimate_id))


@app.route("/staff/estimates/{estimate_id}/comments", methods=["POST"])
@operation(
    "Reply on a estimate's thread; `visible_to_customer` decides whether the customer sees it",
    access="staff",
    body=StaffCommentRequest,
    response=CommentView,
    status=201,
    errors=(409,),
)
def staff_add_estimate_comment(estimate_id: str) -> Response:
    caller = principal(app)
    caller.require_staff()
    from services.estimates.logic.comments import threads

    request = parse_body(app, StaffCommentRequest)
    return json_response(threads.add_by_staff(caller, estimate_id, request, correlation_id(app)), status=201)
