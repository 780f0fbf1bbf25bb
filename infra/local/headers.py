"""The portal's security headers (CSP, nosniff, frame and referrer policy, HSTS …), read from the one
place that defines them: template.yaml's CloudFront ResponseHeadersPolicy. In AWS the CDN adds them to
the web app's and the API's responses; locally the gateway adds the same ones from the same resource."""

from __future__ import annotations

from typing import Any

from infra.local.template import resources_of_type

POLICY_TYPE = "AWS::CloudFront::ResponseHeadersPolicy"
# The payment provider's origins the CSP names (Stripe.js and its frames; its API).
STRIPE_ORIGINS = ("https://js.stripe.com", "https://api.stripe.com")


def security_headers(
    template: dict[str, Any], local_stripe: str | None = None, local_uploads: str | None = None
) -> dict[str, tuple[str, bool]]:
    """Header name → (value, override), as CloudFront would send them. `local_stripe`: the local
    Stripe's origin, which locally serves Stripe.js and Stripe's API (infra/local/stripe_local.py), so
    the CSP names it where it names Stripe's — the one difference from what AWS serves."""
    policies = resources_of_type(template, POLICY_TYPE)
    if len(policies) != 1:
        raise ValueError(f"template.yaml must define exactly one {POLICY_TYPE} (found {len(policies)})")
    config = next(iter(policies.values()))["Properties"]["ResponseHeadersPolicyConfig"]
    found: dict[str, tuple[str, bool]] = {}
    security = config.get("SecurityHeadersConfig", {})
    if "ContentSecurityPolicy" in security:
        csp = security["ContentSecurityPolicy"]
        policy = csp_text(csp["ContentSecurityPolicy"], local_uploads)
        if local_stripe:
            policy = local_csp(policy, local_stripe)
        found["Content-Security-Policy"] = (policy, csp["Override"])
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


# The branding bucket's origin (logo uploads from the browser); locally moto's endpoint stands for it.
UPLOADS_ORIGIN = "https://${BrandingBucket.RegionalDomainName}"


def csp_text(value: str | dict[str, Any], local_uploads: str | None = None) -> str:
    """The policy as one line; its `!Sub` of the uploads origin becomes `local_uploads` when given."""
    text = value["Fn::Sub"] if isinstance(value, dict) else value
    if local_uploads:
        text = text.replace(UPLOADS_ORIGIN, local_uploads.rstrip("/"))
    return " ".join(str(text).split())


def local_csp(policy: str, local_stripe: str) -> str:
    """The CSP with Stripe's origins swapped for the local Stripe's (each named once per directive)."""
    directives = []
    for directive in policy.split(";"):
        words: list[str] = []
        for word in directive.split():
            word = local_stripe if word in STRIPE_ORIGINS else word
            if word not in words:
                words.append(word)
        directives.append(" ".join(words))
    return "; ".join(d for d in directives if d)


def apply(headers: Any, policy: dict[str, tuple[str, bool]]) -> None:
    """Adds the policy's headers to a response's headers; `Override: false` keeps the origin's own."""
    for name, (value, override) in policy.items():
        if override or name not in headers:
            headers[name] = value
