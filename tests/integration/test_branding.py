"""Branding end to end: staff set the portal's name, colour (WCAG AA against white text) and footer
links, upload a logo straight to S3 (presigned POST) and confirm it; anyone reads GET /branding and the
logo from the portal itself; every service's email branding follows BusinessProfileChanged."""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib

import pytest
import requests

from services.customers.branding_schemas import LOGO_MAX_BYTES
from services.customers.logic.brand import contrast_with_white
from tests.support import ApiClient, Customer, PortalHandle


def png(width: int = 4, height: int = 2) -> bytes:
    """A real (tiny) PNG: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1d\x4e\xd8" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def upload(staff: ApiClient, content: bytes, content_type: str = "image/png") -> tuple[str, int]:
    """Starts an upload and posts the file as the browser does; answers the upload id and S3's status."""
    started = staff.post("/staff/portal/branding/logo-uploads", {"content_type": content_type})
    assert started.status_code == 201, started.get_data(as_text=True)
    body = started.json
    assert body is not None and body["max_bytes"] == LOGO_MAX_BYTES
    posted = requests.post(
        body["url"],
        data=body["fields"],
        files={"file": ("logo", io.BytesIO(content), content_type)},
        timeout=30,
    )
    return body["upload_id"], posted.status_code


def test_contrast_is_wcag_relative_luminance() -> None:
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey


def test_a_colour_too_light_for_white_text_is_refused_and_nothing_changes(
    portal: PortalHandle, staff: ApiClient
) -> None:
    before = ApiClient(portal.gateway).get("/branding").json
    refused = staff.put("/staff/portal/branding", {"portal_name": "Yellow", "brand_color": "#ffd700"})
    assert refused.status_code == 400
    assert "4.5:1" in refused.get_data(as_text=True)
    assert ApiClient(portal.gateway).get("/branding").json == before
    assert staff.put("/staff/portal/branding", {"brand_color": "#777777"}).status_code == 400  # 4.48:1


def test_branding_is_public_and_follows_what_staff_set(portal: PortalHandle, staff: ApiClient) -> None:
    links = [{"label": "Terms", "url": "https://renotech.example/terms"}]
    saved = staff.put(
        "/staff/portal/branding",
        {"portal_name": "Reno Billing", "brand_color": "#14532D", "footer_links": links},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    anonymous = ApiClient(portal.gateway).get("/branding")
    assert anonymous.status_code == 200
    assert anonymous.json is not None
    assert anonymous.json["portal_name"] == "Reno Billing"
    assert anonymous.json["brand_color"] == "#14532d"
    assert anonymous.json["footer_links"] == links
    assert anonymous.headers["Cache-Control"] == "no-cache"
    # An http link, or a sixth link, is refused.
    http = [{"label": "Terms", "url": "http://renotech.example/terms"}]
    assert staff.put("/staff/portal/branding", {"footer_links": http}).status_code == 400
    six = [{"label": f"L{n}", "url": f"https://renotech.example/{n}"} for n in range(6)]
    assert staff.put("/staff/portal/branding", {"footer_links": six}).status_code == 400


def test_every_services_email_branding_follows(portal: PortalHandle, staff: ApiClient) -> None:
    from services.notifications.directory_store import tenant_settings
    from shared.mail import branding
    from shared.preferences import forget_cached_preferences, load_settings

    assert (
        staff.put(
            "/staff/portal/branding", {"portal_name": "Mail Brand", "brand_color": "#7c2d12"}
        ).status_code
        == 200
    )
    portal.drain()
    forget_cached_preferences()
    brand = branding(load_settings(tenant_settings))
    assert brand.color == "#7c2d12"
    assert brand.portal_name == "Mail Brand"


def test_a_logo_is_uploaded_checked_and_served_same_origin(portal: PortalHandle, staff: ApiClient) -> None:
    image = png()
    upload_id, status = upload(staff, image)
    assert status in (201, 204), status
    confirmed = staff.put("/staff/portal/branding/logo", {"upload_id": upload_id})
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    logo_url = confirmed.json["logo_url"] if confirmed.json else None
    assert logo_url is not None and logo_url.startswith("/api/branding/logo?v=")
    served = ApiClient(portal.gateway).client.get(
        logo_url, headers={"Accept": "image/avif,image/webp,image/*"}
    )
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.get_data() == image
    assert "max-age" in served.headers["Cache-Control"]
    assert ApiClient(portal.gateway).get("/branding").json["logo_url"] == logo_url  # type: ignore[index]


def test_the_upload_policy_bounds_size_and_type_and_confirm_checks_the_real_size(staff: ApiClient) -> None:
    started = staff.post("/staff/portal/branding/logo-uploads", {"content_type": "image/png"})
    fields = started.json["fields"]  # type: ignore[index]
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", 1, LOGO_MAX_BYTES] in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]
    refused_type = staff.post("/staff/portal/branding/logo-uploads", {"content_type": "image/svg+xml"})
    assert refused_type.status_code == 400

    upload_id, status = upload(staff, png() + b"\0" * LOGO_MAX_BYTES)
    if status < 300:  # moto does not enforce the POST policy (S3 answers 400 EntityTooLarge): confirm must
        refused = staff.put("/staff/portal/branding/logo", {"upload_id": upload_id})
        assert refused.status_code == 400
        assert "512 KB" in refused.get_data(as_text=True)
    assert staff.put("/staff/portal/branding/logo", {"upload_id": upload_id}).status_code == 404


def test_confirm_checks_the_real_bytes_not_the_declared_type(portal: PortalHandle, staff: ApiClient) -> None:
    before = ApiClient(portal.gateway).get("/branding").json
    upload_id, status = upload(staff, b"<svg xmlns='http://www.w3.org/2000/svg'><script>x()</script></svg>")
    assert status in (201, 204)
    refused = staff.put("/staff/portal/branding/logo", {"upload_id": upload_id})
    assert refused.status_code == 400
    assert "PNG, JPEG or WebP" in refused.get_data(as_text=True)
    assert ApiClient(portal.gateway).get("/branding").json == before
    # The refused object is gone: confirming it again finds nothing.
    assert staff.put("/staff/portal/branding/logo", {"upload_id": upload_id}).status_code == 404


def test_contacts_cannot_change_branding(customer: Customer) -> None:
    assert customer.api.put("/staff/portal/branding", {"portal_name": "Mine"}).status_code == 403
    assert (
        customer.api.post("/staff/portal/branding/logo-uploads", {"content_type": "image/png"}).status_code
        == 403
    )
    assert customer.api.delete("/staff/portal/branding/logo").status_code == 403


def test_unauthenticated_callers_cannot_change_branding(portal: PortalHandle) -> None:
    assert ApiClient(portal.gateway).put("/staff/portal/branding", {"portal_name": "Anon"}).status_code == 401


def test_in_aws_the_upload_url_is_the_bucket_origin_the_csp_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """The presigned POST goes to `https://<bucket>.s3.<region>.amazonaws.com` — what template.yaml's
    connect-src names (`https://${BrandingBucket.RegionalDomainName}`) — in us-east-1 too."""
    from services.customers import logo_store

    for region in ("us-east-1", "eu-west-1"):
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)
        monkeypatch.setattr(logo_store, "_bucket", lambda: "portal-branding-abc")
        logo_store._s3.cache_clear()
        try:
            url, _ = logo_store.presigned_post("01jzzzzzzzzzzzzzzzzzzzzzzz", "image/png", 1024)
        finally:
            logo_store._s3.cache_clear()
        assert url == f"https://portal-branding-abc.s3.{region}.amazonaws.com/"
