"""Customers HTTP API (chalice): the contact's dashboard, and staff set-up of customers, contacts
and the portal. Routes only; every route is listed in template.yaml."""

from __future__ import annotations

from chalice import Response

from services.customers.logic import use_cases
from services.customers.schemas import BusinessProfile, CreateContactRequest, CreateCustomerRequest
from shared.api import create_app, json_response, parse_body, principal
from shared.preferences import PortalPreferences, load_preferences

app = create_app("customers")


@app.route("/dashboard", methods=["GET"])
def dashboard() -> Response:
    return json_response(use_cases.dashboard(principal(app)))


@app.route("/staff/customers", methods=["POST"])
def create_customer() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.create_customer(parse_body(app, CreateCustomerRequest)), status=201)


@app.route("/staff/customers/{customer_id}", methods=["GET"])
def get_customer(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.customer_detail(customer_id))


@app.route("/staff/customers/{customer_id}/contacts", methods=["POST"])
def add_contact(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(
        use_cases.add_contact(customer_id, parse_body(app, CreateContactRequest)), status=201
    )


@app.route("/staff/portal/preferences", methods=["GET"])
def get_preferences() -> Response:
    principal(app).require_staff()
    return json_response(load_preferences())


@app.route("/staff/portal/preferences", methods=["PUT"])
def put_preferences() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.set_preferences(parse_body(app, PortalPreferences)))


@app.route("/staff/portal/business", methods=["PUT"])
def put_business() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.set_business(parse_body(app, BusinessProfile)))
