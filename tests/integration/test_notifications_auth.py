"""Auth events in the notifications: an accepted invitation is customer activity and a staff alert;
a contact's password change is staff-only activity (the contact got auth's own security email)."""

from __future__ import annotations

from tests.auth_support import STRONG_PASSWORD, link_token
from tests.integration.test_notifications import (
    mails_to,
    sent_messages,
    staff_email,
    tenant_defaults,  # noqa: F401 (autouse fixture)
)
from tests.support import ApiClient, Customer, PortalHandle


def test_an_accepted_invitation_is_activity_and_tells_staff_and_security_changes_stay_with_staff(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    address = f"ines.{customer.contact_id}@example.com"
    contact = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Ines", "last_name": "Duarte", "email": address},
    ).json
    portal.drain()  # auth knows the contact from its ContactAdded event
    invited = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts/{contact['contact_id']}/invitation"
    )  # type: ignore[index]
    assert invited.status_code == 202, invited.get_data(as_text=True)
    portal.drain()
    token = link_token(mails_to(address)[0], "/accept-invitation")
    before = len(sent_messages())
    anonymous = ApiClient(portal.gateway)
    accepted = anonymous.post("/auth/invitations/accept", {"token": token, "password": STRONG_PASSWORD})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    portal.drain()

    customer_name = staff.get(f"/staff/customers/{customer.customer_id}").json["customer"]["display_name"]  # type: ignore[index]
    [alert] = mails_to(staff_email(staff), before)
    assert alert["Subject"] == f"Ines Duarte of {customer_name} joined the billing portal"
    assert address in alert.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert customer.api.get("/activity").json["items"][0]["title"] == "Ines Duarte joined the portal"  # type: ignore[index]

    ines = ApiClient(portal.gateway, accepted.json["id_token"])  # type: ignore[index]
    changed = ines.post(
        "/auth/password/change", {"current_password": STRONG_PASSWORD, "new_password": STRONG_PASSWORD + "-2"}
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    portal.drain()
    staff_view = staff.get(f"/staff/activity?customer_id={customer.customer_id}&type=security_changed").json
    assert [i["title"] for i in staff_view["items"]] == ["Ines Duarte changed their password"]  # type: ignore[index]
    contact_view = [i["type"] for i in customer.api.get("/activity").json["items"]]  # type: ignore[index]
    assert "security_changed" not in contact_view and "contact_joined" in contact_view
