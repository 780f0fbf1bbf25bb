"""Sign-in through the local gateway against the template's Cognito pool in moto."""

from tests.auth_support import with_cookie
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle


def test_login_me_refresh_and_logout(portal: PortalHandle, customer: Customer) -> None:
    anonymous = ApiClient(portal.gateway)
    login = anonymous.post("/auth/login", {"email": customer.email, "password": PASSWORD})
    assert login.status_code == 200
    tokens = login.json
    assert tokens["challenge"] is None
    assert tokens["id_token"] and tokens["expires_in"]
    # The browser gets the ID token only; the refresh token travels in an HttpOnly cookie.
    assert "access_token" not in tokens and "refresh_token" not in tokens
    cookie = login.headers["Set-Cookie"]
    assert cookie.startswith("portal_refresh=")

    me = ApiClient(portal.gateway, tokens["id_token"]).get("/me")
    assert me.status_code == 200
    assert me.json == {
        "subject": me.json["subject"],
        "email": customer.email,
        "customer_id": customer.customer_id,
        "contact_id": customer.contact_id,
        "is_staff": False,
    }

    refreshed = anonymous.post("/auth/refresh")  # the client sends the cookie back, as a browser does
    assert refreshed.status_code == 200, refreshed.get_data(as_text=True)
    assert set(refreshed.json) == {"id_token", "expires_in"}
    assert ApiClient(portal.gateway, refreshed.json["id_token"]).get("/me").status_code == 200

    rotated = refreshed.headers["Set-Cookie"].split(";")[0]
    assert rotated != cookie.split(";")[0]
    assert ApiClient(portal.gateway, tokens["id_token"]).post("/auth/logout").status_code == 204
    after = with_cookie(portal, "/auth/refresh", rotated)
    assert after.status_code == 401
    assert after.json["error"]["code"] == "unauthenticated"


def test_wrong_password_and_unknown_email_get_the_same_answer(
    portal: PortalHandle, customer: Customer
) -> None:
    anonymous = ApiClient(portal.gateway)
    wrong = anonymous.post("/auth/login", {"email": customer.email, "password": "not-the-password-1"})
    unknown = anonymous.post(
        "/auth/login", {"email": "nobody@nowhere-at-all.com", "password": "not-the-password-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert wrong.json["error"]["code"] == "invalid_credentials"


def test_login_rejects_malformed_input_with_a_clear_400(portal: PortalHandle) -> None:
    anonymous = ApiClient(portal.gateway)
    response = anonymous.post("/auth/login", {"email": "not-an-email", "password": ""})
    assert response.status_code == 400
    fields = {detail["field"] for detail in response.json["error"]["details"]}
    assert fields == {"email", "password"}
    not_json = anonymous.client.post("/api/auth/login", data="{oops", content_type="application/json")
    assert not_json.status_code == 400
    assert not_json.json["error"]["code"] == "validation_failed"
