"""The branding bucket: logos staff upload straight from the browser (S3 presigned POST, size and type
bound by the POST policy), checked here after the upload, and read back for `GET /branding/logo`."""

from __future__ import annotations

from functools import cache
from typing import Any

from services.customers.settings import Settings
from shared.settings import load

UPLOAD_SECONDS = 300
PREFIX = "logos/"


@cache
def _s3() -> Any:
    from botocore.config import Config

    from shared.aws import session

    # The upload URL must be the bucket's regional origin, which the CSP's connect-src names
    # (template.yaml: BrandingBucket.RegionalDomainName): virtual-hosted and regional, never the global
    # s3.amazonaws.com botocore would otherwise sign POSTs for (moto's IP endpoint stays path-style).
    regional = Config(s3={"addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"})
    return session().create_client("s3", config=regional)


def _bucket() -> str:
    bucket = load(Settings).branding_bucket
    if not bucket:
        raise RuntimeError("BRANDING_BUCKET is not set")
    return bucket


def key_of(upload_id: str) -> str:
    return f"{PREFIX}{upload_id}"


def presigned_post(upload_id: str, content_type: str, max_bytes: int) -> tuple[str, dict[str, str]]:
    """URL and form fields for one upload of at most `max_bytes` of `content_type` to one key."""
    post = _s3().generate_presigned_post(
        Bucket=_bucket(),
        Key=key_of(upload_id),
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return str(post["url"]), {str(k): str(v) for k, v in post["fields"].items()}


def head(upload_id: str) -> int | None:
    """The uploaded object's real size, or None when nothing was uploaded."""
    try:
        return int(_s3().head_object(Bucket=_bucket(), Key=key_of(upload_id))["ContentLength"])
    except _s3().exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise


def first_bytes(upload_id: str, count: int = 16) -> bytes:
    response = _s3().get_object(Bucket=_bucket(), Key=key_of(upload_id), Range=f"bytes=0-{count - 1}")
    return bytes(response["Body"].read())


def read(key: str) -> bytes | None:
    try:
        return bytes(_s3().get_object(Bucket=_bucket(), Key=key)["Body"].read())
    except _s3().exceptions.NoSuchKey:
        return None


def delete(upload_id: str) -> None:
    _s3().delete_object(Bucket=_bucket(), Key=key_of(upload_id))
