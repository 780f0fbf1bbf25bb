"""What template.yaml grants and limits (issue 10, item 9): no function may add users to groups, every
email leaves from the tenant's MailFrom only, the API stage is throttled, and the auth service's
secrets are wrapped by a KMS key only its API function may use."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from infra.local.template import load, resources_of_type

ROOT = Path(__file__).resolve().parents[2]


def _statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for policy in function["Properties"].get("Policies", []) for s in policy.get("Statement", [])]


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def test_no_function_may_add_a_user_to_a_group() -> None:
    """Only the local seed makes staff (with its own credentials): a bug in the auth API cannot."""
    for name, function in resources_of_type(load(), "AWS::Serverless::Function").items():
        for statement in _statements(function):
            assert "cognito-idp:AdminAddUserToGroup" not in _actions(statement), name
    calls = [
        path
        for path in (ROOT / "services").rglob("*.py")
        if re.search(r"admin_add_user_to_group|AdminAddUserToGroup", path.read_text())
    ]
    assert calls == []


def test_every_function_that_sends_email_sends_only_from_the_tenants_address() -> None:
    senders = {}
    for name, function in resources_of_type(load(), "AWS::Serverless::Function").items():
        for statement in _statements(function):
            if any(action.startswith("ses:") for action in _actions(statement)):
                senders[name] = statement
    assert {"AuthRequestsFunction", "NotificationsDeliverFunction"} <= set(senders)
    for name, statement in senders.items():
        assert statement["Effect"] == "Allow"
        assert set(_actions(statement)) <= {"ses:SendEmail", "ses:SendRawEmail"}, name
        assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "MailFrom"}}}, name
        assert statement["Resource"] != "*", name


def test_the_api_stage_is_throttled() -> None:
    template = load()
    settings = template["Resources"]["Api"]["Properties"]["MethodSettings"]
    every_route = next(s for s in settings if s["ResourcePath"] == "/*" and s["HttpMethod"] == "*")
    assert every_route["ThrottlingRateLimit"] == {"Ref": "ApiThrottleRate"}
    assert every_route["ThrottlingBurstLimit"] == {"Ref": "ApiThrottleBurst"}
    parameters = template["Parameters"]
    assert 0 < parameters["ApiThrottleRate"]["Default"] <= parameters["ApiThrottleBurst"]["Default"]


def test_only_the_auth_api_may_unwrap_the_auth_secrets() -> None:
    template = load()
    assert template["Resources"]["AuthSecretsKey"]["Properties"]["EnableKeyRotation"] is True
    users = {}
    for name, function in resources_of_type(template, "AWS::Serverless::Function").items():
        for statement in _statements(function):
            if any(action.startswith("kms:") for action in _actions(statement)):
                users[name] = statement
    assert set(users) == {"AuthApiFunction"}
    assert set(_actions(users["AuthApiFunction"])) == {"kms:GenerateDataKey", "kms:Decrypt"}
    assert users["AuthApiFunction"]["Resource"] == {"Fn::GetAtt": ["AuthSecretsKey", "Arn"]}
