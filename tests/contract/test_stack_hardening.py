"""The stack is production-ready and tenant-scoped (issue 15): data retained and recoverable, logs kept
for a set time, tracing on, an alarm to the ops topic for every dead-letter queue, every function and
the API's 5xx, and every ARN any policy grants is this stack's own or a documented AWS-managed one
(read from the template as CloudFormation receives it, after the SAM transform)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from infra.local.template import load, resources_of_type
from infra.tenants.package import translate

TEMPLATE = load()
RESOURCES = TEMPLATE["Resources"]
# AWS-managed policies SAM attaches to functions, each allowed for the reason given.
AWS_MANAGED = {
    # CloudWatch Logs for the function's own log streams.
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    # X-Ray segments (Tracing: Active); X-Ray has no resource-level permissions.
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    # Pollers of SQS queues and DynamoDB streams: these grant on every queue / stream of the account,
    # so every function carries FunctionPermissionsBoundary, which confines SQS and DynamoDB to the
    # stack's own names (test below).
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
}
# Resource "*" is allowed only where the resource is the policy's own object (a key policy's "*" is
# that key) or for the boundary's "everything but SQS and DynamoDB" (it grants nothing by itself).
STAR_ALLOWED = {
    ("AuthSecretsKey", "AccountAdministers"),
    ("FunctionPermissionsBoundary", "EverythingElseAsTheFunctionsOwnPoliciesSay"),
}


@functools.cache
def _translated() -> dict[str, Any]:
    parameters = {"TenantId": "acme", "TenantName": "Acme", "MailFrom": "billing@acme.example"}
    return translate(TEMPLATE, {"Bucket": "artifacts", "Key": "code.zip"}, parameters, "us-east-1")


def _statements(node: Any, owner: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if isinstance(node.get("Statement"), list):
            for statement in node["Statement"]:
                yield owner, statement
        for value in node.values():
            yield from _statements(value, owner)
    elif isinstance(node, list):
        for value in node:
            yield from _statements(value, owner)


def _own(resource: Any, names: set[str]) -> bool:
    """An ARN of a resource this stack creates, or a name scoped by the stack's own names."""
    if isinstance(resource, dict) and "Ref" in resource:
        return resource["Ref"] in names
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        return resource["Fn::GetAtt"][0] in names
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        text = resource["Fn::Sub"] if isinstance(resource["Fn::Sub"], str) else resource["Fn::Sub"][0]
        variables = re.findall(r"\$\{([^}!]+)\}", text)
        resource_refs = [v.split(".", 1)[0] for v in variables if v.split(".", 1)[0] in names]
        scoped = resource_refs or {"AWS::StackName", "MailFrom"} & set(variables)
        if text.startswith("${") and resource_refs:
            return True  # "${Table.Arn}/index/*": under one of the stack's resources
        return bool(scoped) and "${AWS::AccountId}" in text and not text.endswith(":*")
    return False


def test_every_arn_any_policy_grants_is_the_stacks_own_or_a_documented_aws_managed_one() -> None:
    translated = _translated()["Resources"]
    names = set(translated)
    foreign = []
    for name, resource in translated.items():
        for owner, statement in _statements(resource.get("Properties", {}), name):
            if statement.get("Effect") != "Allow":
                continue
            targets = statement.get("Resource", [])
            for target in targets if isinstance(targets, list) else [targets]:
                if target == "*":
                    if (owner, statement.get("Sid")) not in STAR_ALLOWED:
                        foreign.append((owner, statement.get("Sid"), target))
                elif not _own(target, names):
                    foreign.append((owner, statement.get("Sid"), target))
        for managed in resource.get("Properties", {}).get("ManagedPolicyArns", []):
            if managed not in AWS_MANAGED:
                foreign.append((name, "ManagedPolicyArns", managed))
    assert foreign == []


def test_every_function_is_bounded_to_the_stacks_own_queues_and_tables() -> None:
    translated = _translated()["Resources"]
    roles = {n: r for n, r in translated.items() if r["Type"] == "AWS::IAM::Role"}
    assert roles
    for name, role in roles.items():
        assert role["Properties"]["PermissionsBoundary"] == {"Ref": "FunctionPermissionsBoundary"}, name
    boundary = RESOURCES["FunctionPermissionsBoundary"]["Properties"]["PolicyDocument"]["Statement"]
    by_sid = {s["Sid"]: s for s in boundary}
    for sid, service in (("OwnQueues", "sqs"), ("OwnTablesAndStreams", "dynamodb")):
        assert by_sid[sid]["Action"] == f"{service}:*"
        assert "${AWS::StackName}-*" in by_sid[sid]["Resource"]["Fn::Sub"]
    assert set(by_sid["EverythingElseAsTheFunctionsOwnPoliciesSay"]["NotAction"]) == {"sqs:*", "dynamodb:*"}


def test_every_table_is_retained_recoverable_and_encrypted() -> None:
    tables = resources_of_type(TEMPLATE, "AWS::DynamoDB::Table")
    assert tables
    for name, table in tables.items():
        assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain", name
        props = table["Properties"]
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert props["SSESpecification"] == {"SSEEnabled": True}, name


def _alarms() -> dict[str, dict[str, Any]]:
    return {n: r["Properties"] for n, r in resources_of_type(TEMPLATE, "AWS::CloudWatch::Alarm").items()}


def test_every_alarm_goes_to_the_topic_whose_email_is_a_parameter() -> None:
    for name, alarm in _alarms().items():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
    subscription = RESOURCES["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"}, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}
    }  # fmt: skip


def test_every_dead_letter_queue_every_function_and_the_apis_5xx_have_an_alarm() -> None:
    alarms = list(_alarms().values())
    watched_queues = {
        a["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for a in alarms
        if a["Namespace"] == "AWS/SQS" and a["MetricName"] == "ApproximateNumberOfMessagesVisible"
    }
    dead_letter = {
        queue["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for queue in resources_of_type(TEMPLATE, "AWS::SQS::Queue").values()
        if "RedrivePolicy" in queue.get("Properties", {})
    }
    named = {n for n in resources_of_type(TEMPLATE, "AWS::SQS::Queue") if n.endswith("DeadLetterQueue")}
    assert dead_letter | named <= watched_queues
    watched_functions = {
        a["Dimensions"][0]["Value"]["Ref"]
        for a in alarms
        if a["Namespace"] == "AWS/Lambda" and a["MetricName"] == "Errors"
    }
    assert set(resources_of_type(TEMPLATE, "AWS::Serverless::Function")) == watched_functions
    (api_errors,) = [a for a in alarms if a["Namespace"] == "AWS/ApiGateway"]
    assert api_errors["MetricName"] == "5XXError"
    dimensions = {d["Name"]: d["Value"] for d in api_errors["Dimensions"]}
    assert dimensions["ApiName"] == RESOURCES["Api"]["Properties"]["Name"]
    assert dimensions["Stage"] == RESOURCES["Api"]["Properties"]["StageName"]


def test_logs_are_kept_for_a_set_time_and_traced_and_the_api_logs_every_request() -> None:
    function = TEMPLATE["Globals"]["Function"]
    assert function["Tracing"] == "Active"
    group = RESOURCES[function["LoggingConfig"]["LogGroup"]["Ref"]]
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    api = RESOURCES["Api"]["Properties"]
    assert api["TracingEnabled"] is True
    access = api["AccessLogSetting"]["DestinationArn"]["Fn::GetAtt"][0]
    assert RESOURCES[access]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    for name in ("requestId", "status", "resource"):
        assert f'"{name}"' in api["AccessLogSetting"]["Format"]


def test_a_custom_domain_is_served_with_its_certificate_only_when_ops_give_one() -> None:
    (distribution,) = resources_of_type(TEMPLATE, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    assert config["Aliases"]["Fn::If"][0] == "HasCustomDomain"
    with_domain, without = config["ViewerCertificate"]["Fn::If"][1:]
    assert with_domain["AcmCertificateArn"] == {"Ref": "CertificateArn"}
    assert with_domain["SslSupportMethod"] == "sni-only"
    assert without == {"CloudFrontDefaultCertificate": True}
    assert TEMPLATE["Conditions"]["HasCustomDomain"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]
    }
