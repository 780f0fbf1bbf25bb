"""Customers HTTP API (chalice): the contact's dashboard, and staff set-up of customers, contacts
and the portal. Routes only; every route is listed in template.yaml."""

from __future__ import annotations

from chalice import Response

from services.customers.branding_schemas import (
    BrandingRequest,
    LogoConfirm,
    LogoUpload,
    LogoUploadRequest,
    PublicBranding,
)
from services.customers.logic import self_service, use_cases
from services.customers.schemas import (
    AddContactPersonRequest,
    BusinessProfile,
    ContactView,
    CreateContactRequest,
    CreateCustomerRequest,
    CustomerDetail,
    CustomerPage,
    CustomerView,
    Dashboard,
    Profile,
    SearchCustomersQuery,
    UpdateAddressesRequest,
    UpdateContactRequest,
    UpdateCustomerRequest,
    UpdateProfileRequest,
)
from services.customers.settings import Settings
from shared.api import (
    correlation_id,
    create_app,
    json_response,
    no_content,
    parse_body,
    parse_query,
    principal,
)
from shared.contract import operation
from shared.errors import NotAcceptable
from shared.preferences import PortalPreferences

app = create_app("customers", Settings)
app.api.binary_types.append("image/webp")  # the logo (chalice already has PNG and JPEG)


@app.route("/dashboard", methods=["GET"])
@operation("The caller's account at a glance", access="customer", response=Dashboard, errors=(404,))
def dashboard() -> Response:
    return json_response(use_cases.dashboard(principal(app)))


@app.route("/staff/customers", methods=["POST"])
@operation("Create a customer", access="staff", body=CreateCustomerRequest, response=CustomerView, status=201)
def create_customer() -> Response:
    principal(app).require_staff()
    return json_response(
        use_cases.create_customer(parse_body(app, CreateCustomerRequest), correlation_id(app)), status=201
    )


@app.route("/staff/customers", methods=["GET"])
@operation(
    "Search customers by name, email or a contact's portal status, a page at a time (by index)",
    access="staff",
    query=SearchCustomersQuery,
    response=CustomerPage,
)
def search_customers() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.search_customers(parse_query(app, SearchCustomersQuery)))


@app.route("/staff/customers/{customer_id}", methods=["GET"])
@operation("A customer with its contacts", access="staff", response=CustomerDetail)
def get_customer(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(use_cases.customer_detail(customer_id))


@app.route("/staff/customers/{customer_id}", methods=["PUT"])
@operation(
    "Change a customer's account details", access="staff", body=UpdateCustomerRequest, response=CustomerView
)
def update_customer(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(
        use_cases.update_customer(customer_id, parse_body(app, UpdateCustomerRequest), correlation_id(app))
    )


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}", methods=["PUT"])
@operation(
    "Change a contact person", access="staff", body=UpdateContactRequest, response=ContactView, errors=(409,)
)
def update_contact(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    return json_response(
        use_cases.update_contact(
            customer_id, contact_id, parse_body(app, UpdateContactRequest), correlation_id(app)
        )
    )


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}", methods=["DELETE"])
@operation("Remove a contact person", access="staff", status=204, errors=(409,))
def remove_contact(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    use_cases.remove_contact(customer_id, contact_id, correlation_id(app))
    return no_content()


@app.route("/staff/customers/{customer_id}/contacts", methods=["POST"])
@operation(
    "Add a contact to a customer",
    access="staff",
    body=CreateContactRequest,
    response=ContactView,
    status=201,
    errors=(409,),
)
def add_contact(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(
        use_cases.add_contact(customer_id, parse_body(app, CreateContactRequest), correlation_id(app)),
        status=201,
    )


@app.route("/staff/portal/preferences", methods=["GET"])
@operation("The portal's modules and customer actions", access="staff", response=PortalPreferences)
def get_preferences() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.preferences())


@app.route("/staff/portal/preferences", methods=["PUT"])
@operation(
    "Turn portal modules and customer actions on or off",
    access="staff",
    body=PortalPreferences,
    response=PortalPreferences,
)
def put_preferences() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.set_preferences(parse_body(app, PortalPreferences), correlation_id(app)))


@app.route("/staff/portal/business", methods=["PUT"])
@operation(
    "Set how the business presents itself in the portal",
    access="staff",
    body=BusinessProfile,
    response=BusinessProfile,
)
def put_business() -> Response:
    principal(app).require_staff()
    return json_response(use_cases.set_business(parse_body(app, BusinessProfile), correlation_id(app)))


# ---- self-service: the caller's own details, and (primary contact) the customer's ------------------


@app.route("/profile", methods=["GET"])
@operation(
    "The caller's own details, their customer's, and what they may change",
    access="customer",
    response=Profile,
    errors=(404,),
)
def get_profile() -> Response:
    return json_response(self_service.profile(principal(app)))


@app.route("/profile", methods=["PUT"])
@operation(
    "Change the caller's own name, phone and language (action update_details)",
    access="customer",
    body=UpdateProfileRequest,
    response=ContactView,
    errors=(404, 409),
)
def put_profile() -> Response:
    request = parse_body(app, UpdateProfileRequest)
    return json_response(self_service.update_own_details(principal(app), request, correlation_id(app)))


@app.route("/profile/customer", methods=["PUT"])
@operation(
    "The primary contact changes the customer's billing and shipping address (action update_details)",
    access="customer",
    body=UpdateAddressesRequest,
    response=CustomerView,
    errors=(404, 409),
)
def put_profile_addresses() -> Response:
    request = parse_body(app, UpdateAddressesRequest)
    return json_response(self_service.update_addresses(principal(app), request, correlation_id(app)))


@app.route("/profile/contacts", methods=["POST"])
@operation(
    "The primary contact adds a contact person, who is invited (action manage_contact_persons)",
    access="customer",
    body=AddContactPersonRequest,
    response=ContactView,
    status=201,
    errors=(404, 409, 429),
    writes_when_rejected="every add counts against the customer's hourly limit (throttling), refused or not",
)
def add_profile_contact() -> Response:
    request = parse_body(app, AddContactPersonRequest)
    added = self_service.add_contact_person(principal(app), request, correlation_id(app))
    return json_response(added, status=201)


@app.route("/profile/contacts/{contact_id}", methods=["DELETE"])
@operation(
    "The primary contact removes a contact person (action manage_contact_persons)",
    access="customer",
    status=204,
    errors=(409,),
)
def remove_profile_contact(contact_id: str) -> Response:
    self_service.remove_contact_person(principal(app), contact_id, correlation_id(app))
    return no_content()


# ---- branding (logic/branding.py): read before sign-in by the web app, set by staff ----------------


@app.route("/branding", methods=["GET"])
@operation(
    "How the portal looks: name, colour, logo and footer links", access="public", response=PublicBranding
)
def get_branding() -> Response:
    from services.customers.logic import branding

    # Staff changes show at once: the browser asks again each time (it is one small GetItem).
    response = json_response(branding.public_branding())
    response.headers["Cache-Control"] = "no-cache"
    return response


@app.route("/branding/logo", methods=["GET"])
@operation(
    "The portal's logo (PNG, JPEG or WebP), served by the portal itself",
    access="public",
    media_type="image/png",
    also_as=("image/jpeg", "image/webp"),
    errors=(404, 406),
)
def get_logo() -> Response:
    from services.customers.logic import branding

    content, content_type = branding.logo()
    accept = (app.current_request.headers.get("accept") or "*/*").lower() if app.current_request else ""
    if not any(kind in accept for kind in (content_type, "image/*", "*/*")):
        raise NotAcceptable(f"Ask for the logo with 'Accept: {content_type}'.")
    # The URL the portal uses carries the logo's version (?v=), so a new logo is a new URL.
    return Response(
        body=content,
        status_code=200,
        headers={"Content-Type": content_type, "Cache-Control": "public, max-age=300"},
    )


@app.route("/staff/portal/branding", methods=["PUT"])
@operation(
    "Set the portal's name, brand colour (white text on it must meet WCAG AA) and footer links",
    access="staff",
    body=BrandingRequest,
    response=PublicBranding,
    errors=(409,),
)
def put_branding() -> Response:
    principal(app).require_staff()
    from services.customers.logic import branding

    return json_response(branding.set_branding(parse_body(app, BrandingRequest), correlation_id(app)))


@app.route("/staff/portal/branding/logo-uploads", methods=["POST"])
@operation(
    "Start a logo upload: an S3 presigned POST (at most 512 KB of the given image type)",
    access="staff",
    body=LogoUploadRequest,
    response=LogoUpload,
    status=201,
)
def start_logo_upload() -> Response:
    principal(app).require_staff()
    from services.customers.logic import branding

    return json_response(branding.start_logo_upload(parse_body(app, LogoUploadRequest)), status=201)


@app.route("/staff/portal/branding/logo", methods=["PUT"])
@operation(
    "Make an uploaded image the logo (its real size and type are checked)",
    access="staff",
    body=LogoConfirm,
    response=PublicBranding,
    errors=(404, 409),
)
def confirm_logo() -> Response:
    principal(app).require_staff()
    from services.customers.logic import branding

    request = parse_body(app, LogoConfirm)
    return json_response(branding.confirm_logo(request.upload_id, correlation_id(app)))


@app.route("/staff/portal/branding/logo", methods=["DELETE"])
@operation("Remove the logo", access="staff", response=PublicBranding, errors=(409,))
def remove_logo() -> Response:
    principal(app).require_staff()
    from services.customers.logic import branding

    return json_response(branding.remove_logo(correlation_id(app)))
