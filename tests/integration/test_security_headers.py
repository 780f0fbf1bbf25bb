"""The web app, the API and the API reference are served with the security headers of template.yaml's
CloudFront ResponseHeadersPolicy (the one definition: in AWS the CDN adds them, locally the gateway
reads the same resource); the CSP is strict and the built app needs nothing it forbids."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from werkzeug.test import Client

from infra.local.headers import UPLOADS_ORIGIN, csp_text, local_csp, security_headers
from infra.local.portal import WEB_DIST
from infra.local.template import load, resources_of_type
from tests.support import PortalHandle

TEMPLATE = load()
(POLICY,) = resources_of_type(TEMPLATE, "AWS::CloudFront::ResponseHeadersPolicy").values()
SECURITY = POLICY["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
CSP = csp_text(SECURITY["ContentSecurityPolicy"]["ContentSecurityPolicy"])
# Locally the local Stripe stands where Stripe is and moto where the branding bucket is (logo uploads).
LOCAL_CSP = local_csp(csp_text(CSP, os.environ["AWS_ENDPOINT_URL"]), os.environ["STRIPE_API_BASE"])


def _directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in csp.split(";")) if d}


def test_the_policy_is_strict() -> None:
    directives = _directives(CSP)
    assert directives["default-src"] == ["'self'"]
    # No inline script, no eval, no other origin than Stripe.js (card fields and 3-D Secure frames).
    assert directives["script-src"] == ["'self'", "https://js.stripe.com"]
    assert directives["frame-src"] == ["'self'", "https://js.stripe.com"]
    assert directives["connect-src"] == ["'self'", "https://api.stripe.com", UPLOADS_ORIGIN]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert "unsafe" not in CSP
    assert SECURITY["FrameOptions"]["FrameOption"] == "DENY"
    assert SECURITY["ReferrerPolicy"]["ReferrerPolicy"] in {"no-referrer", "strict-origin-when-cross-origin"}
    assert "ContentTypeOptions" in SECURITY


def _asset(kind: str) -> str:
    return "/assets/" + next(p.name for p in (WEB_DIST / "assets").iterdir() if p.suffix == kind)


PATHS = ["/", "/invoices/01jzzzzzzzzzzzzzzzzzzzzzzz", ".js", ".css"]  # the app (".js": its script)
PATHS += ["/api/auth/sso", "/api/me", "/api/nowhere"]  # a route, the gateway's 401 and its 404
PATHS += ["/api/docs", "/api/docs/init.js", "/api/docs/openapi.json"]  # the local API reference


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_templates_headers(portal: PortalHandle, path: str) -> None:
    response = Client(portal.gateway).get(_asset(path) if path.startswith(".") else path)
    assert response.status_code < 500
    assert response.headers["Content-Security-Policy"] == LOCAL_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == SECURITY["ReferrerPolicy"]["ReferrerPolicy"]
    local = {"local_stripe": os.environ["STRIPE_API_BASE"], "local_uploads": os.environ["AWS_ENDPOINT_URL"]}
    for name, (value, _) in security_headers(TEMPLATE, **local).items():
        assert response.headers[name] == value, name


def test_locally_the_csp_names_the_local_stripe_where_aws_names_stripe() -> None:
    local = _directives(LOCAL_CSP)
    stripe = os.environ["STRIPE_API_BASE"]
    assert local["script-src"] == ["'self'", stripe] and local["frame-src"] == ["'self'", stripe]
    moto = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
    assert local["connect-src"] == ["'self'", stripe, moto]
    assert "stripe.com" not in LOCAL_CSP
    assert LOCAL_CSP.replace(stripe, "").replace(moto, "") == CSP.replace(
        "https://js.stripe.com", ""
    ).replace("https://api.stripe.com", "").replace(UPLOADS_ORIGIN, "")


def test_the_built_app_has_no_inline_script_or_style_and_no_source_maps() -> None:
    index = (WEB_DIST / "index.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", index, flags=re.S)
    assert scripts and all('src="' in attributes and not body.strip() for attributes, body in scripts)
    assert "<style" not in index and " style=" not in index
    shipped = list(Path(WEB_DIST).rglob("*"))
    assert not [p for p in shipped if p.suffix == ".map"]
    assert not [p for p in shipped if p.suffix in {".js", ".css"} and "sourceMappingURL" in p.read_text()]
