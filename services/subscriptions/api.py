"""Subscriptions HTTP API (chalice). Routes only: parse → one use case → shape. Every route is listed
in template.yaml with the same path and method (tests/contract checks both directions)."""

from __future__ import annotations

from chalice import Response

from services.subscriptions.logic import idempotency, use_cases
from services.subscriptions.schemas import (
    AddonRequest,
    AddonView,
    Catalog,
    ChangeApplied,
    ChangeBody,
    ChangePreview,
    CouponRequest,
    CouponView,
    CreateSubscriptionRequest,
    PlanOptions,
    PlanRequest,
    PlanView,
    Rules,
    StaffSubscriptionsQuery,
    SubscriptionDetail,
    SubscriptionPage,
)
from services.subscriptions.settings import Settings
from shared.api import correlation_id, create_app, json_response, parse_body, parse_query, principal
from shared.contract import operation

app = create_app("subscriptions", Settings)

# ---- customer contacts -----------------------------------------------------------------------------


@app.route("/subscriptions", methods=["GET"])
@operation(
    "The caller's subscriptions, newest first, with each one's next renewal and invoice amount",
    access="customer",
    response=SubscriptionPage,
    module="subscriptions",
)
def list_subscriptions() -> Response:
    return json_response(use_cases.list_for_customer(principal(app)))


@app.route("/subscriptions/{subscription_id}", methods=["GET"])
@operation(
    "One of the caller's subscriptions: plan, items, coupon, status, next renewal and next invoice",
    access="customer",
    response=SubscriptionDetail,
    module="subscriptions",
)
def get_subscription(subscription_id: str) -> Response:
    return json_response(use_cases.view(principal(app), subscription_id))


@app.route("/subscriptions/{subscription_id}/plans", methods=["GET"])
@operation(
    "The plans one of the caller's subscriptions may move to (same currency and interval), and addons",
    access="customer",
    response=PlanOptions,
    module="subscriptions",
)
def subscription_plans(subscription_id: str) -> Response:
    return json_response(use_cases.plan_options(principal(app), subscription_id))


@app.route("/subscriptions/{subscription_id}/preview", methods=["POST"])
@operation(
    "What a change would bill now, line by line, and the next invoice after it (nothing is written)",
    access="customer",
    body=ChangeBody,
    response=ChangePreview,
    errors=(409,),
    module="subscriptions",
    description="403 `forbidden_by_rule` (details.rule names it) when a tenant rule forbids the change.",
)
def preview_change(subscription_id: str) -> Response:
    caller, body = principal(app), parse_body(app, ChangeBody)
    return json_response(use_cases.preview(caller, subscription_id, body.change))


@app.route("/subscriptions/{subscription_id}/changes", methods=["POST"])
@operation(
    "Apply a change, exactly once per Idempotency-Key; send the preview's id to be billed its amounts",
    access="customer",
    body=ChangeBody,
    response=ChangeApplied,
    errors=(409, 422),
    module="subscriptions",
    description="The same Idempotency-Key replays the first answer; with another body it is 422. "
    "403 `forbidden_by_rule` when a tenant rule forbids the change. Priced now, or at the instant of "
    "the preview named by `preview_id` (single-use, expires, bound to this subscription as previewed "
    "and to this exact change; else 409 `preview_not_usable`).",
    headers={"Idempotency-Key": "A new key for each change the contact confirms (kept 24 hours)."},
)
def apply_change(subscription_id: str) -> Response:
    caller = principal(app)
    use_cases.customer_subscription(caller, subscription_id)  # 403/404 before asking for a key
    request = app.current_request
    assert request is not None
    key = idempotency.check_key(request.headers.get("idempotency-key"))
    body = parse_body(app, ChangeBody)
    idempotency.register(app.lambda_context)
    customer_id = caller.require_customer()
    answer = idempotency.run_once(
        customer_id,
        key,
        {"subscription_id": subscription_id, **body.model_dump(mode="json")},
        lambda: use_cases.apply_change(caller, subscription_id, body.change, correlation_id(app)).model_dump(
            mode="json"
        ),
    )
    return json_response(answer)


# ---- staff -----------------------------------------------------------------------------------------


@app.route("/staff/catalog", methods=["GET"])
@operation("The subscription catalog: plans, addons and coupons", access="staff", response=Catalog)
def staff_catalog() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.catalog())


@app.route("/staff/catalog/plans", methods=["POST"])
@operation("Add a plan", access="staff", body=PlanRequest, response=PlanView, status=201)
def add_plan() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.add_plan(parse_body(app, PlanRequest)), status=201)


@app.route("/staff/catalog/addons", methods=["POST"])
@operation("Add an addon", access="staff", body=AddonRequest, response=AddonView, status=201)
def add_addon() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.add_addon(parse_body(app, AddonRequest)), status=201)


@app.route("/staff/catalog/coupons", methods=["POST"])
@operation(
    "Add a coupon (its code is its id)",
    access="staff",
    body=CouponRequest,
    response=CouponView,
    status=201,
    errors=(409,),
)
def add_coupon() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.add_coupon(parse_body(app, CouponRequest)), status=201)


@app.route("/staff/subscription-rules", methods=["GET"])
@operation("The tenant's rules for customers' subscription changes", access="staff", response=Rules)
def staff_rules() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.read_rules())


@app.route("/staff/subscription-rules", methods=["PUT"])
@operation("Set the tenant's subscription rules", access="staff", body=Rules, response=Rules)
def set_rules() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.save_rules(parse_body(app, Rules)))


@app.route("/staff/subscriptions", methods=["POST"])
@operation(
    "Subscribe a customer to a plan (a trial when the plan has trial days; else billed at once)",
    access="staff",
    body=CreateSubscriptionRequest,
    response=SubscriptionDetail,
    status=201,
    errors=(409,),
)
def create_subscription() -> Response:
    principal(app).require_staff()
    request = parse_body(app, CreateSubscriptionRequest)
    return json_response(use_cases.create(request, correlation_id(app)), status=201)


@app.route("/staff/subscriptions", methods=["GET"])
@operation(
    "A customer's subscriptions, newest first, with each one's next renewal and invoice amount",
    access="staff",
    query=StaffSubscriptionsQuery,
    response=SubscriptionPage,
)
def staff_list_subscriptions() -> Response:
    principal(app).require_staff()
    query = parse_query(app, StaffSubscriptionsQuery)
    return json_response(use_cases.staff_list(query.customer_id))


@app.route("/staff/subscriptions/{subscription_id}", methods=["GET"])
@operation("Any subscription", access="staff", response=SubscriptionDetail)
def staff_get_subscription(subscription_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.staff_get(subscription_id))
