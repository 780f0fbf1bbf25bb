"""A local stand-in for Cognito's hosted UI brokering the tenant's identity provider: /oauth2/authorize
signs in whoever the test says, runs the pool's pre-sign-up trigger (our linking rules) and redirects
back with a code; /oauth2/token checks the code, redirect URI and PKCE verifier (S256), runs the
pre-token-generation trigger and mints ID tokens signed with moto's pool key, as Cognito would."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from services.auth.consumers import cognito_trigger
from tests.support import ApiClient, mint


@dataclass
class IdentityProvider:
    pool_id: str
    client_id: str
    region: str = "us-east-1"
    user: dict[str, str] = field(default_factory=dict)  # who signs in next: email, email_verified
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def client_secret(self) -> str:
        import boto3

        client = boto3.client("cognito-idp").describe_user_pool_client(
            UserPoolId=self.pool_id, ClientId=self.client_id
        )
        return str(client["UserPoolClient"]["ClientSecret"])

    def app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/oauth2/authorize":
            response = self.authorize(request)
        elif request.path == "/oauth2/token" and request.method == "POST":
            response = self.token(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def authorize(self, request: Request) -> Response:
        args = request.args
        assert args["response_type"] == "code" and args["client_id"] == self.client_id
        assert args["code_challenge_method"] == "S256"
        redirect = args["redirect_uri"]
        attributes = {**self.user, "identities": json.dumps([{"providerName": args["identity_provider"]}])}
        # Cognito names a federated user "<provider>_<the provider's subject>".
        user_name = f"{args['identity_provider']}_{self.user.get('email', '').split('@')[0]}"
        try:
            cognito_trigger(
                {
                    "triggerSource": "PreSignUp_ExternalProvider",
                    "userName": user_name,
                    "request": {"userAttributes": attributes},
                },
                None,
            )
        except Exception as refused:  # Cognito sends the trigger's message back as the error description
            query = urlencode(
                {"error": "access_denied", "error_description": str(refused), "state": args["state"]}
            )
            return Response(status=302, headers={"Location": f"{redirect}?{query}"})
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "challenge": args["code_challenge"],
            "redirect_uri": redirect,
            "attributes": attributes,
            "user_name": user_name,
        }
        return Response(
            status=302,
            headers={"Location": f"{redirect}?{urlencode({'code': code, 'state': args['state']})}"},
        )

    def token(self, request: Request) -> Response:
        form = request.form.to_dict()
        self.token_requests.append(form)
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if request.authorization is None or (
            request.authorization.username,
            request.authorization.password,
        ) != (self.client_id, self.client_secret()):
            return Response(
                json.dumps({"error": "invalid_client"}), status=401, content_type="application/json"
            )
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != self.client_id
            or form.get("redirect_uri") != grant["redirect_uri"]
            or challenge != grant["challenge"]
        ):
            return Response(
                json.dumps({"error": "invalid_grant"}), status=400, content_type="application/json"
            )
        event = {
            "triggerSource": "TokenGeneration_HostedAuth",
            "userName": grant["user_name"],
            "request": {"userAttributes": grant["attributes"]},
        }
        try:
            response = cognito_trigger(event, None)["response"]
        except Exception as refused:  # the trigger may refuse here too (e.g. access turned off meanwhile)
            body = json.dumps({"error": "invalid_grant", "error_description": str(refused)})
            return Response(body, status=400, content_type="application/json")
        claims = response["claimsOverrideDetails"]["claimsToAddOrOverride"]
        now = int(time.time())
        user_id = hashlib.sha256(grant["attributes"]["email"].encode()).hexdigest()[:16]
        provider = json.loads(grant["attributes"]["identities"])[0]["providerName"]
        id_claims = {
            "sub": "federated-" + user_id,
            # As Cognito names a federated user: the provider's name and the user's id there.
            "cognito:username": f"{provider}_{user_id}",
            "identities": [{"providerName": provider, "userId": user_id}],
            "aud": self.client_id,
            "iss": f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}",
            "token_use": "id",
            "email": grant["attributes"]["email"],
            "iat": now,
            "exp": now + 900,
            **{k: v for k, v in claims.items() if v},
        }
        id_token = mint(id_claims)
        access_token = mint({**id_claims, "token_use": "access", "client_id": self.client_id})
        body = {"id_token": id_token, "access_token": access_token, "expires_in": 900, "token_type": "Bearer"}
        return Response(json.dumps(body), content_type="application/json")


@contextmanager
def sso_policy(staff: ApiClient, **changes: Any) -> Iterator[None]:
    """The tenant's sign-in policy with some SSO settings (e.g. `sso_email_domains`) while the block runs."""
    before = staff.get("/staff/auth/policy").json
    assert staff.put("/staff/auth/policy", {**before, **changes}).status_code == 200
    try:
        yield
    finally:
        staff.put("/staff/auth/policy", before)


def domain_of(email: str) -> str:
    return email.rpartition("@")[2]


@contextmanager
def running_idp(provider: IdentityProvider, provider_name: str = "Acme SSO") -> Iterator[IdentityProvider]:
    """Serves the stand-in and points the portal's SSO settings at it while the block runs."""
    import os

    from shared.settings import forget as forget_settings

    server = make_server("127.0.0.1", 0, provider.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    saved = {name: os.environ.get(name) for name in ("SSO_DOMAIN_URL", "SSO_PROVIDER_NAME")}
    os.environ.update(
        {"SSO_DOMAIN_URL": f"http://127.0.0.1:{server.server_port}", "SSO_PROVIDER_NAME": provider_name}
    )
    forget_settings()  # the functions read their environment once: read it again
    try:
        yield provider
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        forget_settings()
        server.shutdown()
