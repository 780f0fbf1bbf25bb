"""The web app, the API and the API reference are served with the security headers of template.yaml's
CloudFront ResponseHeadersPolicy (the one definition: in AWS the CDN adds them, locally the gateway
reads the same resource); the CSP is strict and the built app needs nothing it forbids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.test import Client

from infra.local.headers import security_headers
from infra.local.portal import WEB_DIST
from infra.local.template import load, resources_of_type
from tests.support import PortalHandle

TEMPLATE = load()
(POLICY,) = resources_of_type(TEMPLATE, "AWS::CloudFront::ResponseHeadersPolicy").values()
SECURITY = POLICY["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
CSP = " ".join(SECURITY["ContentSecurityPolicy"]["ContentSecurityPolicy"].split())


def _directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in csp.split(";")) if d}


def test_the_policy_is_strict() -> None:
    directives = _directives(CSP)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
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
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == SECURITY["ReferrerPolicy"]["ReferrerPolicy"]
    for name, (value, _) in security_headers(TEMPLATE).items():
        assert response.headers[name] == value, name


def test_the_built_app_has_no_inline_script_or_style_and_no_source_maps() -> None:
    index = (WEB_DIST / "index.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", index, flags=re.S)
    assert scripts and all('src="' in attributes and not body.strip() for attributes, body in scripts)
    assert "<style" not in index and " style=" not in index
    shipped = list(Path(WEB_DIST).rglob("*"))
    assert not [p for p in shipped if p.suffix == ".map"]
    assert not [p for p in shipped if p.suffix in {".js", ".css"} and "sourceMappingURL" in p.read_text()]
