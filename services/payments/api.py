"""Payments HTTP API (chalice). Routes only: parse → one use case → shape. Every route is listed in
template.yaml with the same path and method (tests/contract checks both directions)."""

from __future__ import annotations

from chalice import Response
from chalice.app import Request

from services.payments.logic import credits, idempotency, methods, receipt, use_cases, webhooks
from services.payments.schemas import (
    AllocationPreview,
    ApplyCreditRequest,
    AutoChargeRequest,
    CreditApplication,
    CreditsView,
    ListMethodsQuery,
    ListPaymentsQuery,
    MethodsView,
    PaymentDetail,
    PaymentPage,
    PaymentRequest,
    PaymentStarted,
    RefundRequest,
    SetupStarted,
    StaffListPaymentsQuery,
    WebhookAnswer,
)
from services.payments.settings import Settings
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

app = create_app("payments", Settings)


def _request() -> Request:
    request = app.current_request
    assert request is not None
    return request


@app.route("/payments/preview", methods=["POST"])
@operation(
    "How a payment would be allocated (oldest invoice first unless amounts are chosen)",
    access="customer",
    body=PaymentRequest,
    response=AllocationPreview,
    errors=(404,),
    module="payments",
)
def preview_payment() -> Response:
    caller = principal(app)
    use_cases.check_can_pay(caller)  # a disabled module answers 403 whatever the body
    return json_response(use_cases.preview(caller, parse_body(app, PaymentRequest)))


@app.route("/payments", methods=["POST"])
@operation(
    "Pay invoices (or in advance), exactly once per Idempotency-Key header",
    access="customer",
    body=PaymentRequest,
    response=PaymentStarted,
    status=201,
    errors=(404, 409, 422, 502),
    module="payments",
    description="The same Idempotency-Key replays the first answer; the same key with another body is "
    "422. 409: an invoice already has a payment in progress.",
    headers={"Idempotency-Key": "A new key for each payment the contact confirms (kept 24 hours)."},
)
def create_payment() -> Response:
    caller = principal(app)
    use_cases.check_can_pay(caller)  # module and action first: a 403 says more than a missing key
    key = idempotency.check_key(_request().headers.get("idempotency-key"))
    request = parse_body(app, PaymentRequest)
    idempotency.register(app.lambda_context)
    customer_id = caller.require_customer()
    body = request.model_dump(mode="json")
    answer = idempotency.run_once(
        customer_id, key, body, lambda: use_cases.pay(caller, request, correlation_id(app))
    )
    return json_response(answer, status=201)


@app.route("/payments", methods=["GET"])
@operation(
    "The caller's payments, a page at a time",
    access="customer",
    query=ListPaymentsQuery,
    response=PaymentPage,
    module="payments",
)
def list_payments() -> Response:
    return json_response(use_cases.list_for_customer(principal(app), parse_query(app, ListPaymentsQuery)))


@app.route("/payments/{payment_id}", methods=["GET"])
@operation("One of the caller's payments", access="customer", response=PaymentDetail, module="payments")
def get_payment(payment_id: str) -> Response:
    return json_response(use_cases.get_for_customer(principal(app), payment_id))


@app.route("/payments/{payment_id}/receipt", methods=["GET"])
@operation(
    "The receipt of a succeeded payment (application/pdf)",
    access="customer",
    module="payments",
    media_type=PDF,
    errors=(406,),
)
def payment_receipt(payment_id: str) -> Response:
    return pdf_response(app, receipt.receipt(principal(app), payment_id), f"receipt-{payment_id}.pdf")


@app.route("/credits", methods=["GET"])
@operation(
    "The caller's credit and where it went", access="customer", response=CreditsView, module="payments"
)
def list_credits() -> Response:
    return json_response(credits.view(principal(app)))


@app.route("/credits/apply", methods=["POST"])
@operation(
    "Apply credit to one of the caller's invoices",
    access="customer",
    body=ApplyCreditRequest,
    response=CreditApplication,
    status=201,
    errors=(404, 409),
    module="payments",
)
def apply_credit() -> Response:
    caller = principal(app)
    use_cases.check_allowed(caller, "apply_credits")
    request = parse_body(app, ApplyCreditRequest)
    return json_response(credits.apply(caller, request, correlation_id(app)), status=201)


@app.route("/payment-methods", methods=["GET"])
@operation(
    "The caller's saved payment methods (`setup_id`: the setup this browser just confirmed)",
    access="customer",
    query=ListMethodsQuery,
    response=MethodsView,
    module="payments",
)
def list_payment_methods() -> Response:
    query = parse_query(app, ListMethodsQuery)
    return json_response(methods.listing(principal(app), query.setup_id))


@app.route("/payment-methods", methods=["POST"])
@operation(
    "Start saving a payment method (confirm the setup in the browser)",
    access="customer",
    response=SetupStarted,
    status=201,
    errors=(429, 502),
    module="payments",
)
def add_payment_method() -> Response:
    return json_response(methods.start_setup(principal(app)), status=201)


@app.route("/payment-methods/auto-charge", methods=["PUT"])
@operation(
    "Charge the default method automatically (subscriptions) or not",
    access="customer",
    body=AutoChargeRequest,
    response=MethodsView,
    module="payments",
)
def set_auto_charge() -> Response:
    caller = principal(app)
    use_cases.check_allowed(caller)
    request = parse_body(app, AutoChargeRequest)
    return json_response(methods.auto_charge(caller, request.enabled))


@app.route("/payment-methods/{method_id}", methods=["DELETE"])
@operation(
    "Remove a saved payment method (answers the methods left)",
    access="customer",
    response=MethodsView,
    module="payments",
)
def remove_payment_method(method_id: str) -> Response:
    return json_response(methods.remove(principal(app), method_id))


@app.route("/payment-methods/{method_id}/default", methods=["PUT"])
@operation("Make a saved method the default", access="customer", response=MethodsView, module="payments")
def default_payment_method(method_id: str) -> Response:
    return json_response(methods.make_default(principal(app), method_id))


@app.route("/webhooks/{provider}", methods=["POST"])
@operation(
    "A payment provider's signed event (signature only, no sign-in)",
    access="public",
    response=WebhookAnswer,
    errors=(400, 404),
)
def provider_webhook(provider: str) -> Response:
    request = _request()
    raw = request.raw_body or b""  # the signature covers these exact bytes
    payload = raw if isinstance(raw, bytes) else raw.encode()
    answer = webhooks.receive(provider, payload, request.headers.get("stripe-signature"), correlation_id(app))
    return json_response(answer)


@app.route("/staff/payments", methods=["GET"])
@operation(
    "Every customer's payments, newest first",
    access="staff",
    query=StaffListPaymentsQuery,
    response=PaymentPage,
)
def staff_list_payments() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.staff_list(parse_query(app, StaffListPaymentsQuery)))


@app.route("/staff/payments/{payment_id}/refund", methods=["POST"])
@operation(
    "Refund a payment in whole or in part (credit it created first, then invoices newest first)",
    access="staff",
    body=RefundRequest,
    response=PaymentDetail,
    errors=(409, 502),
)
def refund_payment(payment_id: str) -> Response:
    principal(app).require_staff()
    request = parse_body(app, RefundRequest)
    return json_response(use_cases.refund(payment_id, request, correlation_id(app)))
