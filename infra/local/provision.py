"""Creates every resource of template.yaml in moto, in dependency order, and records what `Ref` and
`Fn::GetAtt` return so the functions' environment resolves exactly as in AWS. A resource type the
local runtime does not know is an error: the template and the local run cannot silently drift."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

from infra.local.template import Resolver, load

# Types the local gateway/worker emulate themselves instead of creating them in moto.
# Lambda permissions only let AWS services invoke a function; locally nothing checks them (and moto
# does not run Cognito triggers: the trigger's handler is unit-tested with Cognito's event shape).
EMULATED = {
    "AWS::Serverless::Api",
    "AWS::ApiGateway::GatewayResponse",
    "AWS::Serverless::Function",
    "AWS::Lambda::Permission",
    "AWS::IAM::ManagedPolicy",  # the functions' permissions boundary: nothing checks IAM locally
}
# The CDN in front of the bucket and the API (CloudFront, its functions and headers policy, the bucket
# policy that admits only it): locally the gateway serves web/dist and the API on one origin itself and
# adds the ResponseHeadersPolicy's headers from the template (infra/local/headers.py).
SERVED_BY_GATEWAY = {
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CloudFront::Function",
    "AWS::S3::BucketPolicy",
}
ORDER = [
    "AWS::KMS::Key",
    "AWS::SecretsManager::Secret",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolIdentityProvider",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::UserPoolDomain",
    "AWS::DynamoDB::Table",
    "AWS::Events::EventBus",
    "AWS::Events::Archive",
    "AWS::SQS::Queue",
    "AWS::Events::Rule",
    "AWS::SQS::QueuePolicy",
    "AWS::S3::Bucket",
    "AWS::SES::EmailIdentity",
    "AWS::Logs::LogGroup",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::CloudWatch::Alarm",
]


@dataclass
class FunctionSpec:
    name: str
    handler: str
    environment: dict[str, str]
    events: dict[str, dict[str, Any]]


@dataclass
class Stack:
    template: dict[str, Any]
    resolver: Resolver
    functions: dict[str, FunctionSpec] = field(default_factory=dict)

    def ref(self, logical_id: str) -> str:
        return self.resolver.ref(logical_id)

    def att(self, logical_id: str, attribute: str) -> str:
        return self.resolver.get_att(logical_id, attribute)

    def environment(self) -> dict[str, str]:
        """What every function's environment holds (locally they share one process)."""
        merged: dict[str, str] = {}
        for spec in self.functions.values():
            merged.update(spec.environment)
        return merged


def provision(parameters: dict[str, str], region: str = "us-east-1") -> Stack:
    template = load()
    declared = {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}
    values = {name: str(parameters.get(name, default)) for name, default in declared.items()}
    missing = [name for name, value in values.items() if value == "None"]
    if missing:
        raise ValueError(f"tenant parameters missing: {missing}")
    resolver = Resolver(parameters=values, conditions=template.get("Conditions", {}), region=region)
    stack = Stack(template=template, resolver=resolver)
    prefix = f"portal-{values['TenantId']}-{values['Stage']}"
    resources = template["Resources"]
    unknown = {r["Type"] for r in resources.values()} - set(ORDER) - EMULATED - SERVED_BY_GATEWAY
    if unknown:
        raise ValueError(f"the local runtime cannot create {sorted(unknown)}; teach infra/local/provision.py")
    _name_functions(stack, prefix)  # resources (e.g. a pool's trigger) may refer to a function's ARN
    creators = _Creators(resolver, prefix, region)
    for resource_type in ORDER:
        pending = {
            n: r
            for n, r in resources.items()
            if r["Type"] == resource_type and ("Condition" not in r or resolver.condition(r["Condition"]))
        }
        # Queues may reference each other (dead-letter queues): create those without references first.
        for name in sorted(pending, key=lambda n: "RedrivePolicy" in pending[n].get("Properties", {})):
            creators.create(resource_type, name, pending[name].get("Properties", {}))
    resolver.refs["Api"] = "local"
    _collect_functions(stack)
    return stack


def _functions(template: dict[str, Any]) -> dict[str, Any]:
    return {n: r for n, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}


def _name_functions(stack: Stack, prefix: str) -> None:
    resolver = stack.resolver
    for name in _functions(stack.template):
        resolver.refs[name] = f"{prefix}-{name}"
        resolver.attributes[name] = {
            "Arn": f"arn:aws:lambda:{resolver.region}:{resolver.account}:function:{prefix}-{name}"
        }


def _collect_functions(stack: Stack) -> None:
    resolver, template = stack.resolver, stack.template
    global_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for name, resource in _functions(template).items():
        props = resource["Properties"]
        env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
        stack.functions[name] = FunctionSpec(
            name=name,
            handler=props["Handler"],
            environment={k: str(v) for k, v in resolver.resolve(env).items()},
            events=resolver.resolve(props.get("Events", {})),
        )


class _Creators:
    def __init__(self, resolver: Resolver, prefix: str, region: str) -> None:
        self.resolver, self.prefix, self.region = resolver, prefix, region

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=self.region)

    def create(self, resource_type: str, name: str, raw_props: dict[str, Any]) -> None:
        props = self.resolver.resolve(raw_props)
        method = getattr(self, "_" + resource_type.split("::", 1)[1].replace("::", "_").lower())
        method(name, props)

    def _record(self, name: str, ref: str, **attributes: str) -> None:
        self.resolver.refs[name] = ref
        self.resolver.attributes[name] = attributes

    def _arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.resolver.account}:{resource}"

    def _kms_key(self, name: str, props: dict[str, Any]) -> None:
        key = self.client("kms").create_key(
            Description=props.get("Description", name), Policy=json.dumps(props["KeyPolicy"])
        )["KeyMetadata"]
        self._record(name, key["KeyId"], Arn=key["Arn"], KeyId=key["KeyId"])

    def _secretsmanager_secret(self, name: str, props: dict[str, Any]) -> None:
        # Ref (and GetAtt Id) of a secret is its ARN, as in CloudFormation.
        args = {k: props[k] for k in ("Description", "SecretString", "KmsKeyId") if k in props}
        secret_name = props.get("Name", f"{self.prefix}-{name}")
        arn = self.client("secretsmanager").create_secret(Name=secret_name, **args)["ARN"]
        self._record(name, arn, Id=arn)

    def _cognito_userpool(self, name: str, props: dict[str, Any]) -> None:
        # CloudFormation's EnabledMfas is SetUserPoolMfaConfig in the API.
        args = {k: v for k, v in props.items() if k not in {"UserPoolName", "EnabledMfas"}}
        cognito = self.client("cognito-idp")
        pool = cognito.create_user_pool(PoolName=props["UserPoolName"], **args)["UserPool"]
        if "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", []):
            cognito.set_user_pool_mfa_config(
                UserPoolId=pool["Id"],
                SoftwareTokenMfaConfiguration={"Enabled": True},
                MfaConfiguration=props.get("MfaConfiguration", "OFF"),
            )
        self._record(
            name,
            pool["Id"],
            Arn=pool["Arn"],
            ProviderName=f"cognito-idp.{self.region}.amazonaws.com/{pool['Id']}",
        )

    def _cognito_userpoolclient(self, name: str, props: dict[str, Any]) -> None:
        client = self.client("cognito-idp").create_user_pool_client(**props)["UserPoolClient"]
        self._record(name, client["ClientId"])

    def _cognito_userpooldomain(self, name: str, props: dict[str, Any]) -> None:
        self.client("cognito-idp").create_user_pool_domain(**props)
        self._record(name, props["Domain"])

    def _cognito_userpoolidentityprovider(self, name: str, props: dict[str, Any]) -> None:
        self.client("cognito-idp").create_identity_provider(**props)
        self._record(name, props["ProviderName"])

    def _cognito_userpoolgroup(self, name: str, props: dict[str, Any]) -> None:
        self.client("cognito-idp").create_group(**props)
        self._record(name, props["GroupName"])

    def _dynamodb_table(self, name: str, props: dict[str, Any]) -> None:
        table_name = props.get("TableName", f"{self.prefix}-{name}")
        args: dict[str, Any] = {
            k: props[k]
            for k in ("AttributeDefinitions", "KeySchema", "BillingMode", "GlobalSecondaryIndexes")
            if k in props
        }
        if "StreamSpecification" in props:
            args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        dynamodb = self.client("dynamodb")
        table = dynamodb.create_table(TableName=table_name, **args)["TableDescription"]
        if "TimeToLiveSpecification" in props:
            dynamodb.update_time_to_live(
                TableName=table_name, TimeToLiveSpecification=props["TimeToLiveSpecification"]
            )
        attributes = {"Arn": table["TableArn"]}
        if "LatestStreamArn" in table:
            attributes["StreamArn"] = table["LatestStreamArn"]
        self._record(name, table_name, **attributes)

    def _events_eventbus(self, name: str, props: dict[str, Any]) -> None:
        bus = self.client("events").create_event_bus(Name=props["Name"])
        self._record(name, props["Name"], Arn=bus["EventBusArn"], Name=props["Name"])

    def _events_archive(self, name: str, props: dict[str, Any]) -> None:
        archive_name = props.get("ArchiveName", f"{self.prefix}-{name}"[:48])
        args = {k: props[k] for k in ("RetentionDays", "Description") if k in props}
        archive = self.client("events").create_archive(
            ArchiveName=archive_name, EventSourceArn=props["SourceArn"], **args
        )
        self._record(name, archive_name, Arn=archive["ArchiveArn"])

    def _sqs_queue(self, name: str, props: dict[str, Any]) -> None:
        queue_name = props.get("QueueName", f"{self.prefix}-{name}")
        attributes = {
            k: (json.dumps(v) if isinstance(v, dict) else str(v))
            for k, v in props.items()
            if k != "QueueName"
        }
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self._record(name, url, Arn=arn, QueueName=queue_name, QueueUrl=url)

    def _events_rule(self, name: str, props: dict[str, Any]) -> None:
        events = self.client("events")
        rule_name = props.get("Name", f"{self.prefix}-{name}")
        bus = props.get("EventBusName", "default")
        rule = events.put_rule(
            Name=rule_name,
            EventBusName=bus,
            EventPattern=json.dumps(props["EventPattern"]),
            State=props.get("State", "ENABLED"),
            Description=props.get("Description", ""),
        )
        events.put_targets(Rule=rule_name, EventBusName=bus, Targets=props["Targets"])
        self._record(name, rule_name, Arn=rule["RuleArn"])

    def _sqs_queuepolicy(self, name: str, props: dict[str, Any]) -> None:
        for url in props["Queues"]:
            self.client("sqs").set_queue_attributes(
                QueueUrl=url, Attributes={"Policy": json.dumps(props["PolicyDocument"])}
            )
        self._record(name, name)

    def _ses_emailidentity(self, name: str, props: dict[str, Any]) -> None:
        identity = props["EmailIdentity"]
        self.client("sesv2").create_email_identity(EmailIdentity=identity)
        self._record(name, identity)

    def _cloudwatch_alarm(self, name: str, props: dict[str, Any]) -> None:
        alarm_name = props.get("AlarmName", f"{self.prefix}-{name}")
        args = {k: v for k, v in props.items() if k != "AlarmName"}
        self.client("cloudwatch").put_metric_alarm(AlarmName=alarm_name, **args)
        self._record(name, alarm_name, Arn=self._arn("cloudwatch", f"alarm:{alarm_name}"))

    def _logs_loggroup(self, name: str, props: dict[str, Any]) -> None:
        group = props["LogGroupName"]
        logs = self.client("logs")
        logs.create_log_group(logGroupName=group)
        logs.put_retention_policy(logGroupName=group, retentionInDays=int(props["RetentionInDays"]))
        self._record(name, group, Arn=self._arn("logs", f"log-group:{group}:*"))

    def _sns_topic(self, name: str, props: dict[str, Any]) -> None:
        arn = self.client("sns").create_topic(Name=props["TopicName"])["TopicArn"]
        self._record(name, arn, TopicArn=arn, TopicName=props["TopicName"])

    def _sns_subscription(self, name: str, props: dict[str, Any]) -> None:
        arn = self.client("sns").subscribe(
            TopicArn=props["TopicArn"], Protocol=props["Protocol"], Endpoint=props["Endpoint"]
        )["SubscriptionArn"]
        self._record(name, arn)

    def _s3_bucket(self, name: str, props: dict[str, Any]) -> None:
        bucket = props.get("BucketName", f"{self.prefix}-{name}".lower())
        s3 = self.client("s3")
        s3.create_bucket(Bucket=bucket)
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        self._record(name, bucket, Arn=f"arn:aws:s3:::{bucket}", DomainName=f"{bucket}.s3.amazonaws.com")
