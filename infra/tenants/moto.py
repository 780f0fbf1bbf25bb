"""What moto's CloudFormation can run of the portal's stack, said out loud.

moto 5.2.5 creates only the resource types it has a CloudFormation model for; any other it skips with a
warning, and a template that then refers to the skipped resource (Ref, Fn::GetAtt) fails to execute.
So the tenant CLI's tests run the real translated template with exactly those resources taken out and
every reference to one of them replaced by a visible placeholder (`moto-cannot-create:<LogicalId>`).
MOTO_CANNOT_CREATE is the list; a test checks it is exactly what the template holds that moto lacks,
so neither a new gap nor a closed one goes unnoticed."""

from __future__ import annotations

import re
import warnings
from typing import Any

MOTO_CANNOT_CREATE = frozenset(
    {
        # moto has a model, but it ignores a RestApi's Body (the OpenAPI document SAM writes), so a
        # Deployment of it fails ("The REST API doesn't contain any methods").
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::GatewayResponse",
        "AWS::ApiGateway::Stage",
        "AWS::CloudFront::Distribution",
        "AWS::CloudFront::Function",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::CloudWatch::Alarm",
        "AWS::Cognito::UserPool",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::UserPoolIdentityProvider",
        "AWS::S3::BucketPolicy",
        "AWS::SES::EmailIdentity",
        "AWS::SNS::Subscription",
        "AWS::SQS::QueuePolicy",
        "AWS::SecretsManager::Secret",
    }
)
MOTO_CANNOT_RUN = frozenset({"AWS::ApiGateway::Deployment"})  # has a model, fails on SAM's APIs
PLACEHOLDER = "moto-cannot-create:"
# Properties AWS makes optional that moto's models require (each filled with a visible stand-in).
MOTO_REQUIRES = {("AWS::ApiGateway::RestApi", "Name")}


def unsupported_types(template: dict[str, Any]) -> set[str]:
    from moto.cloudformation.parsing import resource_class_from_type

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        types = {resource["Type"] for resource in template["Resources"].values()}
        return {t for t in types if not resource_class_from_type(t)} | (types & MOTO_CANNOT_RUN)


def runnable_by_moto(template: dict[str, Any]) -> dict[str, Any]:
    """The template less the resources moto cannot create, references to them made placeholders."""
    resources = template["Resources"]
    gone = {name for name, r in resources.items() if r["Type"] in MOTO_CANNOT_CREATE}
    kept = {name: r for name, r in resources.items() if name not in gone}
    for resource in kept.values():
        depends = resource.get("DependsOn")
        if depends is not None:
            depends = [depends] if isinstance(depends, str) else depends
            resource["DependsOn"] = [name for name in depends if name not in gone]
    for resource in kept.values():
        for resource_type, name in MOTO_REQUIRES:
            if resource["Type"] == resource_type:
                resource.setdefault("Properties", {}).setdefault(name, f"moto-requires-{name}")
        # moto's Ref of an EventBus is its model object, not the bus name (a put_rule then fails).
        bus = resource.get("Properties", {}).get("EventBusName")
        if resource["Type"] == "AWS::Events::Rule" and isinstance(bus, dict) and "Ref" in bus:
            resource["Properties"]["EventBusName"] = {"Fn::GetAtt": [bus["Ref"], "Name"]}
    adapted = {**template, "Resources": _replace(kept, gone)}
    adapted["Outputs"] = {
        name: output
        for name, output in _replace(template.get("Outputs", {}), gone).items()
        if PLACEHOLDER not in str(output)
    }
    return adapted


def _replace(node: Any, gone: set[str]) -> Any:
    if isinstance(node, list):
        return [_replace(item, gone) for item in node]
    if isinstance(node, str):
        return node
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref" and value in gone:
            return f"{PLACEHOLDER}{value}"
        if key == "Fn::GetAtt":
            name = value[0] if isinstance(value, list) else value.split(".", 1)[0]
            if name in gone:
                return f"arn:aws:moto:::{PLACEHOLDER}{name}"
        if key == "Fn::Sub":
            text, variables = (value, {}) if isinstance(value, str) else (value[0], value[1])

            def swap(match: re.Match[str]) -> str:
                name = match.group(1).split(".", 1)[0]
                return f"{PLACEHOLDER}{name}" if name in gone and name not in variables else match.group(0)

            text = re.sub(r"\$\{([^}!]+)\}", swap, text)
            return {"Fn::Sub": text if isinstance(value, str) else [text, _replace(variables, gone)]}
    return {key: _replace(value, gone) for key, value in node.items()}
