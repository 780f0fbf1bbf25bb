"""template.yaml → plain CloudFormation for a change set, as `sam package` + the service-side SAM
transform would make it: the function code uploaded to an artifacts bucket, CodeUri pointing at it,
then aws-sam-translator expanding the Serverless resources locally (so the change set describes real
resource types, and moto's CloudFormation, which has no SAM transform, can run it)."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infra.local.template import ROOT, load

# What the functions' code is (CodeUri "."); `sam build` adds the pinned dependencies (Makefile
# build-%Function), a plain package holds the sources only (enough for CloudFormation, not to run).
CODE_FOLDERS = ("shared", "services")


def artifacts_bucket(account: str, region: str) -> str:
    return f"billing-portal-artifacts-{account}-{region}"


def zip_code(root: Path = ROOT, folders: tuple[str, ...] = CODE_FOLDERS) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            for path in sorted((root / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    # A fixed date: the same code gives the same zip, so an unchanged release changes
                    # no function.
                    info = zipfile.ZipInfo(str(path.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(s3: Any, bucket: str, key: str, body: bytes, region: str) -> None:
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError:
        config = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=bucket, **config)
    s3.put_object(Bucket=bucket, Key=key, Body=body)


def translate(
    template: dict[str, Any], code: dict[str, str], parameters: dict[str, str], region: str
) -> dict[str, Any]:
    """The SAM template as plain CloudFormation, every function's code at `code` ({Bucket, Key})."""
    import boto3
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam = copy.deepcopy(template)
    sam.setdefault("Globals", {}).setdefault("Function", {})["CodeUri"] = dict(code)
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"].pop("CodeUri", None)
            resource.pop("Metadata", None)  # build hints for `sam build` only
    # The session only tells the translator the region (AWS::Region in the ARNs it writes).
    translator = Translator(
        managed_policy_map=None, sam_parser=Parser(), boto_session=boto3.Session(region_name=region)
    )
    try:
        return dict(translator.translate(sam_template=sam, parameter_values=dict(parameters)))
    except InvalidDocumentException as error:
        causes = "; ".join(str(cause) for cause in error.causes)
        raise ValueError(f"template.yaml does not translate: {causes}") from None


def packaged_template(
    s3: Any,
    account: str,
    region: str,
    release: str,
    parameters: dict[str, str],
    code: bytes | None = None,
    adapt: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[str, str]:
    """Uploads the code and the translated template; answers (bucket, template key)."""
    bucket = artifacts_bucket(account, region)
    code = zip_code() if code is None else code
    code_key = f"code/{hashlib.sha256(code).hexdigest()}.zip"
    upload(s3, bucket, code_key, code, region)
    template = translate(load(), {"Bucket": bucket, "Key": code_key}, parameters, region)
    # The release the stack runs, readable from the deployed template (get_template) as well as the tag.
    template.setdefault("Metadata", {})["BillingPortal"] = {"Release": release}
    if adapt is not None:  # the tests' one use: what moto's CloudFormation can create (infra/tenants/moto.py)
        template = adapt(template)
    body = json.dumps(template, sort_keys=True).encode()
    template_key = f"templates/{release}/{hashlib.sha256(body).hexdigest()}.json"
    upload(s3, bucket, template_key, body, region)
    return bucket, template_key
