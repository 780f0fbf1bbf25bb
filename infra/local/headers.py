"""The portal's security headers (CSP, nosniff, frame and referrer policy, HSTS …), read from the one
place that defines them: template.yaml's CloudFront ResponseHeadersPolicy. In AWS the CDN adds them to
the web app's and the API's responses; locally the gateway adds the same ones from the same resource."""

from __future__ import annotations

from typing import Any

from infra.local.template import resources_of_type

POLICY_TYPE = "AWS::CloudFront::ResponseHeadersPolicy"


def security_headers(template: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """Header name → (value, override), as CloudFront would send them."""
    policies = resources_of_type(template, POLICY_TYPE)
    if len(policies) != 1:
        raise ValueError(f"template.yaml must define exactly one {POLICY_TYPE} (found {len(policies)})")
    config = next(iter(policies.values()))["Properties"]["ResponseHeadersPolicyConfig"]
    found: dict[str, tuple[str, bool]] = {}
    security = config.get("SecurityHeadersConfig", {})
    if "ContentSecurityPolicy" in security:
        csp = security["ContentSecurityPolicy"]
        found["Content-Security-Policy"] = (" ".join(csp["ContentSecurityPolicy"].split()), csp["Override"])
    if "ContentTypeOptions" in security:
        found["X-Content-Type-Options"] = ("nosniff", security["ContentTypeOptions"]["Override"])
    if "FrameOptions" in security:
        frame = security["FrameOptions"]
        found["X-Frame-Options"] = (frame["FrameOption"], frame["Override"])
    if "ReferrerPolicy" in security:
        referrer = security["ReferrerPolicy"]
        found["Referrer-Policy"] = (referrer["ReferrerPolicy"], referrer["Override"])
    if "StrictTransportSecurity" in security:
        hsts = security["StrictTransportSecurity"]
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        value += "; includeSubDomains" if hsts.get("IncludeSubdomains") else ""
        value += "; preload" if hsts.get("Preload") else ""
        found["Strict-Transport-Security"] = (value, hsts["Override"])
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        found[item["Header"]] = (item["Value"], item["Override"])
    return found


def apply(headers: Any, policy: dict[str, tuple[str, bool]]) -> None:
    """Adds the policy's headers to a response's headers; `Override: false` keeps the origin's own."""
    for name, (value, override) in policy.items():
        if override or name not in headers:
            headers[name] = value
