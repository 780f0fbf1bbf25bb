"""Invitations, password recovery and change, TOTP MFA, portal access and throttling, end to end
through the local gateway, the auth table's stream consumers and moto's SES and Cognito."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from services.auth import store
from services.auth.logic import link_tokens, throttle
from tests.auth_support import STRONG_PASSWORD, link_token, refresh, sign_in, text_of, totp_code
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, aws_calls, bus_spy, mails_to, spied


def new_contact(portal: PortalHandle, staff: ApiClient, customer: Customer, n: int = 0) -> tuple[str, str]:
    email = f"invitee{n}.{customer.contact_id}@example.com"
    created = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Ines", "last_name": "Invitee", "email": email, "is_primary": False},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    portal.drain()  # auth knows the contact from its ContactAdded event (its own projection)
    return created.json["contact_id"], email  # type: ignore[index]


def invite(portal: PortalHandle, staff: ApiClient, customer: Customer, contact_id: str) -> None:
    response = staff.post(f"/staff/customers/{customer.customer_id}/contacts/{contact_id}/invitation")
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.json["status"] == "invited"  # type: ignore[index]
    portal.drain()


@pytest.fixture
def policy(staff: ApiClient) -> Iterator[Any]:
    """Changes the tenant's sign-in policy for one test and puts it back."""
    before = staff.get("/staff/auth/policy").json

    def set_policy(**changes: Any) -> None:
        assert staff.put("/staff/auth/policy", {**before, **changes}).status_code == 200

    yield set_policy
    staff.put("/staff/auth/policy", before)


def enrol_mfa(portal: PortalHandle, tokens: dict[str, Any], password: str = PASSWORD) -> str:
    api = ApiClient(portal.gateway, tokens["id_token"])
    setup = api.post("/auth/mfa/setup", {"password": password})
    assert setup.status_code == 200, setup.get_data(as_text=True)
    secret = setup.json["secret"]  # type: ignore[index]
    assert setup.json["otpauth_uri"].startswith("otpauth://totp/")  # type: ignore[index]
    assert setup.json["qr_svg"].startswith("<svg")  # type: ignore[index]
    session = setup.json["session"]  # type: ignore[index]
    wrong = api.post("/auth/mfa/confirm", {"session": session, "code": "000000"})
    assert wrong.status_code == 401
    confirmed = api.post("/auth/mfa/confirm", {"session": session, "code": totp_code(secret)})
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    assert confirmed.json["mfa_enabled"] is True  # type: ignore[index]
    return str(secret)


# ---- invitations ---------------------------------------------------------------------------------


def test_invitation_email_link_sets_the_password_and_signs_in_once(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    contact_id, email = new_contact(portal, staff, customer)
    invite(portal, staff, customer, contact_id)
    [message] = mails_to(email)
    assert "invited" in message["Subject"]
    assert "Ines" in text_of(message)
    token = link_token(message, "/accept-invitation")

    anonymous = ApiClient(portal.gateway)
    weak = anonymous.post("/auth/invitations/accept", {"token": token, "password": "password1234"})
    assert weak.status_code == 400
    assert weak.json["error"]["details"][0]["field"] == "password"  # type: ignore[index]

    accepted = anonymous.post("/auth/invitations/accept", {"token": token, "password": STRONG_PASSWORD})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    me = ApiClient(portal.gateway, accepted.json["id_token"]).get("/me").json  # type: ignore[index]
    assert (me["customer_id"], me["contact_id"], me["email"]) == (customer.customer_id, contact_id, email)

    again = anonymous.post("/auth/invitations/accept", {"token": token, "password": STRONG_PASSWORD})
    assert again.status_code == 410
    assert again.json["error"]["code"] == "link_expired"  # type: ignore[index]
    reinvite = staff.post(f"/staff/customers/{customer.customer_id}/contacts/{contact_id}/invitation")
    assert reinvite.json["status"] == "already_active"  # type: ignore[index]


def test_a_new_invitation_replaces_the_older_link(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    contact_id, email = new_contact(portal, staff, customer)
    invite(portal, staff, customer, contact_id)
    invite(portal, staff, customer, contact_id)
    first, second = (link_token(m, "/accept-invitation") for m in mails_to(email))
    anonymous = ApiClient(portal.gateway)
    assert (
        anonymous.post("/auth/invitations/accept", {"token": first, "password": STRONG_PASSWORD}).status_code
        == 410
    )
    assert (
        anonymous.post("/auth/invitations/accept", {"token": second, "password": STRONG_PASSWORD}).status_code
        == 200
    )


def test_an_expired_invitation_is_refused(portal: PortalHandle, staff: ApiClient, customer: Customer) -> None:
    contact_id, email = new_contact(portal, staff, customer)
    invite(portal, staff, customer, contact_id)
    token = link_token(mails_to(email)[0], "/accept-invitation")
    link = store.invitation(link_tokens.token_hash(token))
    assert link is not None
    store.AuthItem(pk=f"INVITE#{link.token_hash}", sk="INVITE").update(
        actions=[store.AuthItem.expires_at.set(1)]
    )
    response = ApiClient(portal.gateway).post(
        "/auth/invitations/accept", {"token": token, "password": STRONG_PASSWORD}
    )
    assert response.status_code == 410
    assert sign_in_status(portal, email, STRONG_PASSWORD) == 401


def test_bulk_invitation_covers_every_contact_without_a_login(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    contact_id, email = new_contact(portal, staff, customer)
    response = staff.post("/staff/invitations", {"customer_ids": [customer.customer_id, "no-such-customer"]})
    assert response.status_code == 202
    statuses = {i["contact_id"]: i["status"] for i in response.json["invitations"]}  # type: ignore[index]
    assert statuses == {contact_id: "invited", customer.contact_id: "already_active"}
    portal.drain()
    assert len(mails_to(email)) == 1
    assert staff.post("/staff/invitations", {"customer_ids": []}).status_code == 400


def test_invitations_are_for_staff_and_unknown_contacts_are_404(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    path = f"/staff/customers/{customer.customer_id}/contacts/{customer.contact_id}/invitation"
    assert customer.api.post(path).status_code == 403
    assert (
        staff.post(f"/staff/customers/{customer.customer_id}/contacts/nobody/invitation").status_code == 404
    )


# ---- forgot / reset ------------------------------------------------------------------------------


def test_forgot_password_answers_the_same_for_unknown_and_known_emails(
    portal: PortalHandle, customer: Customer
) -> None:
    anonymous = ApiClient(portal.gateway)
    with aws_calls() as known_calls:
        known = anonymous.post("/auth/password/forgot", {"email": customer.email})
    with aws_calls() as unknown_calls:
        unknown = anonymous.post(
            "/auth/password/forgot", {"email": f"ghost.{customer.contact_id}@example.com"}
        )
    assert (known.status_code, known.get_data()) == (unknown.status_code, unknown.get_data())
    assert known.status_code == 202
    # The request does the same work whether the email exists (no lookup, one write): no timing signal.
    assert known_calls == unknown_calls == {"dynamodb:UpdateItem": 2, "dynamodb:PutItem": 1}
    portal.drain()
    assert len(mails_to(customer.email)) == 1
    assert mails_to(f"ghost.{customer.contact_id}@example.com") == []


def test_reset_link_works_once_ends_sessions_and_keeps_mfa(portal: PortalHandle, customer: Customer) -> None:
    tokens = sign_in(portal, customer.email)
    secret = enrol_mfa(portal, tokens)
    anonymous = ApiClient(portal.gateway)
    anonymous.post("/auth/password/forgot", {"email": customer.email})
    portal.drain()
    token = link_token(mails_to(customer.email)[-1], "/reset-password")

    assert anonymous.post("/auth/password/reset", {"token": token, "password": "short"}).status_code == 400
    done = anonymous.post("/auth/password/reset", {"token": token, "password": STRONG_PASSWORD})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert (
        anonymous.post("/auth/password/reset", {"token": token, "password": STRONG_PASSWORD}).status_code
        == 410
    )
    assert refresh(portal, tokens).status_code == 401
    assert sign_in_status(portal, customer.email, PASSWORD) == 401

    login = sign_in(portal, customer.email, STRONG_PASSWORD)
    assert login["challenge"] == "mfa_code" and login["id_token"] is None
    with_code = anonymous.post(
        "/auth/login/mfa", {"email": customer.email, "session": login["session"], "code": totp_code(secret)}
    )
    assert with_code.status_code == 200 and with_code.json["id_token"]  # type: ignore[index]
    portal.drain()
    assert "changed" in mails_to(customer.email)[-1]["Subject"].lower()


# ---- MFA -----------------------------------------------------------------------------------------


def test_mfa_enrol_then_sign_in_asks_for_the_code(portal: PortalHandle, customer: Customer) -> None:
    secret = enrol_mfa(portal, sign_in(portal, customer.email))
    anonymous = ApiClient(portal.gateway)
    login = sign_in(portal, customer.email)
    assert login["challenge"] == "mfa_code"
    wrong = anonymous.post(
        "/auth/login/mfa", {"email": customer.email, "session": login["session"], "code": "123456"}
    )
    assert wrong.status_code == 401
    assert wrong.json["error"]["code"] == "invalid_credentials"  # type: ignore[index]
    bad_input = anonymous.post(
        "/auth/login/mfa", {"email": customer.email, "session": login["session"], "code": "12"}
    )
    assert bad_input.status_code == 400
    login = sign_in(portal, customer.email)
    ok = anonymous.post(
        "/auth/login/mfa", {"email": customer.email, "session": login["session"], "code": totp_code(secret)}
    )
    assert ok.status_code == 200, ok.get_data(as_text=True)
    api = ApiClient(portal.gateway, ok.json["id_token"])  # type: ignore[index]
    assert api.get("/auth/security").json["mfa_enabled"] is True  # type: ignore[index]

    # Turning it off needs the password and a code.
    assert (
        api.post("/auth/mfa/disable", {"password": "wrong-password-123", "code": "123456"}).status_code == 401
    )
    off = api.post("/auth/mfa/disable", {"password": PASSWORD, "code": totp_code(secret)})
    assert off.status_code == 200, off.get_data(as_text=True)
    assert off.json["mfa_enabled"] is False  # type: ignore[index]
    assert sign_in(portal, customer.email)["challenge"] is None


def test_staff_reset_a_contacts_mfa(portal: PortalHandle, staff: ApiClient, customer: Customer) -> None:
    enrol_mfa(portal, sign_in(portal, customer.email))
    path = f"/staff/customers/{customer.customer_id}/contacts/{customer.contact_id}/mfa/reset"
    assert customer.api.post(path).status_code == 403
    assert staff.post(path).status_code == 204
    assert sign_in(portal, customer.email)["challenge"] is None


def test_required_mfa_makes_the_first_sign_in_enrol(
    portal: PortalHandle, customer: Customer, policy: Any
) -> None:
    policy(mfa="required")
    login = sign_in(portal, customer.email)
    assert login["challenge"] == "mfa_setup" and login["id_token"] is None
    setup = login["mfa_setup"]
    anonymous = ApiClient(portal.gateway)
    wrong = anonymous.post("/auth/login/mfa-setup", {"session": login["session"], "code": "000000"})
    assert wrong.status_code == 401
    done = anonymous.post(
        "/auth/login/mfa-setup", {"session": login["session"], "code": totp_code(setup["secret"])}
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    assert ApiClient(portal.gateway, done.json["id_token"]).get("/me").status_code == 200  # type: ignore[index]
    # The held tokens are handed out once.
    assert (
        anonymous.post(
            "/auth/login/mfa-setup", {"session": login["session"], "code": totp_code(setup["secret"])}
        ).status_code
        == 401
    )
    assert sign_in(portal, customer.email)["challenge"] == "mfa_code"
    api = ApiClient(portal.gateway, done.json["id_token"])  # type: ignore[index]
    refused = api.post("/auth/mfa/disable", {"password": PASSWORD, "code": totp_code(setup["secret"])})
    assert refused.status_code == 409


# ---- change password, sessions, access --------------------------------------------------------------


def test_change_password_needs_the_current_one_and_ends_other_sessions(
    portal: PortalHandle, customer: Customer
) -> None:
    other_session = sign_in(portal, customer.email)
    api = customer.api
    wrong = api.post(
        "/auth/password/change", {"current_password": "not-it-at-all-1", "new_password": STRONG_PASSWORD}
    )
    assert wrong.status_code == 401
    weak = api.post("/auth/password/change", {"current_password": PASSWORD, "new_password": "qwertyuiop123"})
    assert weak.status_code == 400
    changed = api.post(
        "/auth/password/change", {"current_password": PASSWORD, "new_password": STRONG_PASSWORD}
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.json["id_token"]  # type: ignore[index]
    assert refresh(portal, other_session).status_code == 401
    assert sign_in_status(portal, customer.email, PASSWORD) == 401
    assert sign_in_status(portal, customer.email, STRONG_PASSWORD) == 200


def test_turning_off_a_customers_portal_access_signs_its_contacts_out(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    session = sign_in(portal, customer.email)
    path = f"/staff/customers/{customer.customer_id}/portal-access"
    assert customer.api.put(path, {"enabled": False}).status_code == 403
    off = staff.put(path, {"enabled": False})
    assert off.status_code == 200 and off.json["contacts_signed_out"] == 1  # type: ignore[index]
    assert sign_in_status(portal, customer.email, PASSWORD) == 401
    assert refresh(portal, session).status_code == 401
    assert staff.put(path, {"enabled": True}).status_code == 200
    assert sign_in_status(portal, customer.email, PASSWORD) == 200
    assert staff.put("/staff/customers/nobody/portal-access", {"enabled": False}).status_code == 404


# ---- brute force ---------------------------------------------------------------------------------


def sign_in_status(portal: PortalHandle, email: str, password: str, ip: str = "127.0.0.1") -> int:
    response = ApiClient(portal.gateway).post(
        "/auth/login", {"email": email, "password": password}, environ_overrides={"REMOTE_ADDR": ip}
    )
    return response.status_code


def test_repeated_failures_slow_then_refuse_an_account_for_one_window_only(
    portal: PortalHandle, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1_900_000_000.0]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    for _ in range(throttle.SLOW_AFTER):
        assert sign_in_status(portal, customer.email, "wrong-password-1") == 401
    refused = ApiClient(portal.gateway).post("/auth/login", {"email": customer.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json["error"]["code"] == "too_many_attempts"  # type: ignore[index]
    while True:  # keep failing, waiting as told each time, until the account is refused for the window
        clock[0] += 61
        if sign_in_status(portal, customer.email, "wrong-password-1") == 429:
            break
    assert sign_in_status(portal, customer.email, PASSWORD) == 429  # even the right password
    clock[0] += throttle.WINDOW_SECONDS
    assert sign_in_status(portal, customer.email, PASSWORD) == 200  # the next window lets them in


def test_one_client_failing_on_many_accounts_is_refused(
    portal: PortalHandle, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "now", lambda: 1_800_000_000.0)
    for n in range(throttle.CLIENT_LOCK_AFTER):
        assert sign_in_status(portal, f"spray{n}@example.com", "Spray-password-1", ip="203.0.113.9") == 401
    assert sign_in_status(portal, customer.email, PASSWORD, ip="203.0.113.9") == 429
    assert sign_in_status(portal, customer.email, PASSWORD, ip="198.51.100.7") == 200


# ---- audit ---------------------------------------------------------------------------------------


def test_every_auth_event_is_published_for_the_audit_trail(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    contact_id, email = new_contact(portal, staff, customer)
    spy = bus_spy(portal, {"source": ["portal.auth"], "detail": {"data": {"email": [email]}}})
    email_sha256 = hashlib.sha256(email.encode()).hexdigest()
    failures = bus_spy(
        portal, {"source": ["portal.auth"], "detail": {"data": {"email_sha256": [email_sha256]}}}
    )
    invite(portal, staff, customer, contact_id)
    token = link_token(mails_to(email)[0], "/accept-invitation")
    anonymous = ApiClient(portal.gateway)
    accepted = anonymous.post("/auth/invitations/accept", {"token": token, "password": STRONG_PASSWORD})
    assert accepted.status_code == 200
    assert sign_in_status(portal, email, "wrong-password-1") == 401
    tokens = sign_in(portal, email, STRONG_PASSWORD)
    enrol_mfa(portal, tokens, STRONG_PASSWORD)
    api = ApiClient(portal.gateway, tokens["id_token"])
    login = sign_in(portal, email, STRONG_PASSWORD)
    assert login["challenge"] == "mfa_code"
    changed = api.post(
        "/auth/password/change", {"current_password": STRONG_PASSWORD, "new_password": STRONG_PASSWORD + "!"}
    )
    assert changed.status_code == 200
    portal.drain()

    received = spied(spy)
    types = [event["detail-type"] for event in received]
    for expected in (
        "InvitationSent",
        "InvitationAccepted",
        "LoginSucceeded",
        "MfaChanged",
        "PasswordChanged",
    ):
        assert expected in types, (expected, types)
    accepted_event = next(e for e in received if e["detail-type"] == "InvitationAccepted")["detail"]["data"]
    assert (accepted_event["customer_id"], accepted_event["contact_id"]) == (customer.customer_id, contact_id)
    # A failed try names the account by a hash only: the archive is no list of addresses tried.
    assert "LoginFailed" not in types
    failed = spied(failures)
    assert [e["detail-type"] for e in failed] == ["LoginFailed"]
    assert failed[0]["detail"]["data"] == {"email_sha256": email_sha256, "reason": "wrong_password"}
    assert email not in json.dumps(failed[0])


# ---- contact persons' access on the dashboard -------------------------------------------------------


def statuses(api: ApiClient) -> dict[str, str | None]:
    return {c["contact_id"]: c["portal_status"] for c in api.get("/dashboard").json["contacts"]}  # type: ignore[index]


def test_the_primary_contact_sees_who_has_portal_access(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    contact_id, email = new_contact(portal, staff, customer)
    portal.drain()
    assert statuses(customer.api) == {customer.contact_id: "active", contact_id: "not_invited"}
    invite(portal, staff, customer, contact_id)
    assert statuses(customer.api)[contact_id] == "invited"
    token = link_token(mails_to(email)[0], "/accept-invitation")
    accepted = ApiClient(portal.gateway).post(
        "/auth/invitations/accept", {"token": token, "password": STRONG_PASSWORD}
    )
    portal.drain()
    assert statuses(customer.api)[contact_id] == "active"
    # The other contact sees the contact persons, not who has access.
    other = ApiClient(portal.gateway, accepted.json["id_token"])  # type: ignore[index]
    assert set(statuses(other).values()) == {None}

    assert (
        staff.put(f"/staff/customers/{customer.customer_id}/portal-access", {"enabled": False}).status_code
        == 200
    )
    portal.drain()
    assert (
        staff.put(f"/staff/customers/{customer.customer_id}/portal-access", {"enabled": True}).status_code
        == 200
    )
    portal.drain()
    # Turning access off ended the old session: sign in again.
    assert statuses(portal.login(customer.email)) == {customer.contact_id: "active", contact_id: "active"}


def test_access_status_ignores_redelivered_and_older_events(customer: Customer) -> None:
    from services.customers.logic.contact_access import apply_auth_event
    from shared.event_models import InvitationSent, PortalAccessChanged
    from shared.events import EventMetadata

    ids = {"email": customer.email, "customer_id": customer.customer_id, "contact_id": customer.contact_id}
    off = PortalAccessChanged(**ids, enabled=False)
    later = EventMetadata(occurred_at="2099-01-01T00:00:00.000Z")
    assert apply_auth_event(off, later)
    assert not apply_auth_event(off, later)  # redelivered
    stale = InvitationSent(**ids, expires_at="2099-01-08T00:00:00Z")
    assert not apply_auth_event(stale, EventMetadata(occurred_at="2098-12-31T00:00:00.000Z"))
    assert statuses(customer.api)[customer.contact_id] == "disabled"


# ---- self sign-up ----------------------------------------------------------------------------------


def signup_token(staff: ApiClient, customer: Customer) -> str:
    link = staff.post(f"/staff/customers/{customer.customer_id}/signup-link")
    assert link.status_code == 201, link.get_data(as_text=True)
    url = link.json["url"]  # type: ignore[index]
    assert "/sign-up?token=" in url
    return str(url.split("token=", 1)[1])


def contact_emails(customer: Customer) -> dict[str, Any]:
    return {c["email"]: c for c in customer.api.get("/dashboard").json["contacts"]}  # type: ignore[index]


def test_sign_up_link_adds_the_contact_only_when_the_emailed_link_is_used(
    portal: PortalHandle, staff: ApiClient, customer: Customer, policy: Any
) -> None:
    assert (
        staff.post(f"/staff/customers/{customer.customer_id}/signup-link").status_code == 409
    )  # off by default
    policy(self_signup=True)
    token = signup_token(staff, customer)
    email = f"newcomer.{customer.contact_id}@example.com"
    anonymous = ApiClient(portal.gateway)
    body = {"token": token, "email": email, "first_name": "Nia", "last_name": "Newcomer"}
    signed_up = anonymous.post("/auth/signup", body)
    assert signed_up.status_code == 202, signed_up.get_data(as_text=True)
    portal.drain()
    assert email not in contact_emails(customer)  # nothing exists until the address owner confirms
    mail = mails_to(email)[-1]
    assert "Nia" not in text_of(mail) and "Newcomer" not in text_of(mail)  # no stranger's words
    invitation = link_token(mail, "/accept-invitation")
    accepted = anonymous.post("/auth/invitations/accept", {"token": invitation, "password": STRONG_PASSWORD})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    me = ApiClient(portal.gateway, accepted.json["id_token"]).get("/me").json  # type: ignore[index]
    assert me["customer_id"] == customer.customer_id
    portal.drain()
    contact = contact_emails(customer)[email]
    assert (contact["first_name"], contact["contact_id"]) == ("Nia", me["contact_id"])
    assert contact["portal_status"] == "active"
    # The link works once.
    again = anonymous.post("/auth/invitations/accept", {"token": invitation, "password": STRONG_PASSWORD})
    assert again.status_code == 410


def test_a_pending_sign_up_neither_probes_nor_squats_an_address(
    portal: PortalHandle, staff: ApiClient, customer: Customer, policy: Any
) -> None:
    policy(self_signup=True)
    other = portal.new_customer(staff)
    token = signup_token(staff, customer)
    anonymous = ApiClient(portal.gateway)
    fresh = f"squat.{customer.contact_id}@example.com"
    answers = [
        anonymous.post(
            "/auth/signup", {"token": token, "email": address, "first_name": "Eve", "last_name": "Lee"}
        )
        for address in (fresh, other.email, customer.email)
    ]
    assert {(a.status_code, a.get_data(as_text=True)) for a in answers} == {
        (202, answers[0].get_data(as_text=True))
    }
    portal.drain()
    assert set(contact_emails(customer)) == {customer.email}  # nothing to tell a free address by
    # Staff can still add the address to the customer it really belongs to…
    added = staff.post(
        f"/staff/customers/{other.customer_id}/contacts",
        {"first_name": "Rae", "last_name": "Real", "email": fresh, "is_primary": False},
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    portal.drain()  # auth learns the new contact from ContactAdded (its own projection)
    # …and the pending sign-up's link then does nothing.
    link = link_token(mails_to(fresh)[-1], "/accept-invitation")
    late = anonymous.post("/auth/invitations/accept", {"token": link, "password": STRONG_PASSWORD})
    assert late.status_code == 410
    portal.drain()
    assert fresh not in contact_emails(customer)


@pytest.mark.parametrize(
    "names",
    [
        {"first_name": "Visit www.evil.example", "last_name": "Now"},
        {"first_name": "Click", "last_name": "https://evil.example/x"},
        {"first_name": "12345", "last_name": "67890"},
        {"first_name": "Eve", "last_name": "<b>Bold</b>"},
    ],
)
def test_sign_up_names_are_names(
    portal: PortalHandle, staff: ApiClient, customer: Customer, policy: Any, names: dict[str, str]
) -> None:
    policy(self_signup=True)
    body = {"token": signup_token(staff, customer), "email": f"n.{customer.contact_id}@example.com", **names}
    with aws_calls() as calls:
        refused = ApiClient(portal.gateway).post("/auth/signup", body)
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert refused.json["error"]["code"] == "validation_failed"  # type: ignore[index]
    assert not [op for op in calls if op.endswith(("PutItem", "UpdateItem", "TransactWriteItems"))]


def test_a_sign_up_link_cannot_attach_another_customers_contact_or_be_altered(
    portal: PortalHandle, staff: ApiClient, customer: Customer, policy: Any
) -> None:
    policy(self_signup=True)
    other = portal.new_customer(staff)
    token = signup_token(staff, customer)
    anonymous = ApiClient(portal.gateway)
    before = len(mails_to(other.email))
    hijack = {"token": token, "email": other.email, "first_name": "Eve", "last_name": "Intruder"}
    assert anonymous.post("/auth/signup", hijack).status_code == 202  # the same answer…
    portal.drain()
    assert len(mails_to(other.email)) == before  # …but nothing is sent or attached
    assert other.email not in {c["email"] for c in customer.api.get("/dashboard").json["contacts"]}  # type: ignore[index]

    payload, signature = token.split(".")
    import base64
    import json

    forged = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged["c"] = other.customer_id
    altered = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    attempt = {
        "token": f"{altered}.{signature}",
        "email": "x@example.com",
        "first_name": "X",
        "last_name": "Y",
    }
    assert anonymous.post("/auth/signup", attempt).status_code == 410
    policy(self_signup=False)
    assert anonymous.post("/auth/signup", {**attempt, "token": token}).status_code == 410


def test_turning_off_one_contact_ends_their_sessions_and_survives_the_customer_switch(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    session = sign_in(portal, customer.email)
    path = f"/staff/customers/{customer.customer_id}/contacts/{customer.contact_id}/access"
    assert customer.api.put(path, {"enabled": False}).status_code == 403
    assert staff.put(path, {"enabled": False}).json == {  # type: ignore[comparison-overlap]
        "customer_id": customer.customer_id,
        "contact_id": customer.contact_id,
        "enabled": False,
    }
    assert refresh(portal, session).status_code == 401
    assert sign_in_status(portal, customer.email, PASSWORD) == 401
    customer_path = f"/staff/customers/{customer.customer_id}/portal-access"
    assert staff.put(customer_path, {"enabled": False}).status_code == 200
    assert staff.put(customer_path, {"enabled": True}).status_code == 200
    assert sign_in_status(portal, customer.email, PASSWORD) == 401  # still off on its own
    assert staff.put(path, {"enabled": True}).status_code == 200
    assert sign_in_status(portal, customer.email, PASSWORD) == 200
    assert (
        staff.put(
            f"/staff/customers/{customer.customer_id}/contacts/nobody/access", {"enabled": True}
        ).status_code
        == 404
    )


def test_reset_emails_cannot_flood_one_inbox(
    portal: PortalHandle, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "now", lambda: 1_700_000_000.0)
    anonymous = ApiClient(portal.gateway)
    for _ in range(throttle.EMAILS_PER_ADDRESS):
        assert anonymous.post("/auth/password/forgot", {"email": customer.email}).status_code == 202
    known = anonymous.post("/auth/password/forgot", {"email": customer.email})
    ghost = f"ghost.{customer.contact_id}@example.com"
    for _ in range(throttle.EMAILS_PER_ADDRESS):
        anonymous.post("/auth/password/forgot", {"email": ghost})
    unknown = anonymous.post("/auth/password/forgot", {"email": ghost})
    # Refused alike: the limit says nothing about whether an account exists.
    assert (known.status_code, known.get_data()) == (unknown.status_code, unknown.get_data())
    assert known.status_code == 429 and int(known.headers["Retry-After"]) > 0
    portal.drain()
    assert len(mails_to(customer.email)) == throttle.EMAILS_PER_ADDRESS
