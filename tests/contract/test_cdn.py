"""In AWS the web app and the API are served by one CloudFront distribution: the web bucket stays
private behind Origin Access Control, the API is never cached, and every response (web app and API)
carries the one ResponseHeadersPolicy. The local runtime handles each of these types explicitly."""

from __future__ import annotations

from typing import Any

from infra.local import provision
from infra.local.template import load, resources_of_type

TEMPLATE = load()
RESOURCES = TEMPLATE["Resources"]
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def _distribution() -> dict[str, Any]:
    (distribution,) = resources_of_type(TEMPLATE, "AWS::CloudFront::Distribution").values()
    return dict(distribution["Properties"]["DistributionConfig"])


def _origin(config: dict[str, Any], origin_id: str) -> dict[str, Any]:
    return next(origin for origin in config["Origins"] if origin["Id"] == origin_id)


def test_the_web_bucket_is_private_and_read_only_by_the_distribution_through_oac() -> None:
    bucket = RESOURCES["WebBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    config = _distribution()
    web = _origin(config, config["DefaultCacheBehavior"]["TargetOriginId"])
    assert web["DomainName"] == {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]}
    oac_name = web["OriginAccessControlId"]["Fn::GetAtt"][0]
    oac = RESOURCES[oac_name]["Properties"]["OriginAccessControlConfig"]
    assert oac["OriginAccessControlOriginType"] == "s3" and oac["SigningBehavior"] == "always"
    assert web["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # OAC, not the legacy identity

    (policy,) = resources_of_type(TEMPLATE, "AWS::S3::BucketPolicy").values()
    assert policy["Properties"]["Bucket"] == {"Ref": "WebBucket"}
    allows = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert len(allows) == 1
    (allow,) = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${WebDistribution}")


def test_the_api_goes_uncached_to_api_gateway_and_both_behaviours_send_the_security_headers() -> None:
    config = _distribution()
    (policy_name,) = resources_of_type(TEMPLATE, "AWS::CloudFront::ResponseHeadersPolicy")
    default = config["DefaultCacheBehavior"]
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    for behaviour in (default, api):
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": policy_name}
        assert behaviour["ViewerProtocolPolicy"] in {"https-only", "redirect-to-https"}
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert {"POST", "PUT", "DELETE"} <= set(api["AllowedMethods"])
    origin = _origin(config, api["TargetOriginId"])
    assert "${Api}.execute-api" in origin["DomainName"]["Fn::Sub"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_the_local_runtime_handles_every_cdn_type_explicitly() -> None:
    cdn_types = {r["Type"] for r in RESOURCES.values() if r["Type"].startswith("AWS::CloudFront::")}
    assert cdn_types == {
        "AWS::CloudFront::Distribution",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::CloudFront::Function",
    }
    assert cdn_types | {"AWS::S3::BucketPolicy"} <= provision.SERVED_BY_GATEWAY
    handled = set(provision.ORDER) | provision.EMULATED | provision.SERVED_BY_GATEWAY
    assert {r["Type"] for r in RESOURCES.values()} <= handled
