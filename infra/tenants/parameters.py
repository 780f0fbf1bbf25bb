"""A tenant's parameter file (`infra/tenants/<tenant>.json`): the values of template.yaml's Parameters
for that tenant's stack, validated before anything reaches CloudFormation."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, model_validator

TENANTS_DIR = Path(__file__).resolve().parent
TENANT_ID = r"^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$"  # the template's TenantId AllowedPattern
HOSTNAME = r"^(localhost|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$"
ACM_CERTIFICATE = r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$"
COMMENT = "Parameters of one tenant's stack (billing-portal-<TenantId>); see README, Tenants."


class TenantParameters(BaseModel):
    """Exactly template.yaml's Parameters (names as there). SSO is all-or-nothing: issuer and client id
    together; its client secret never sits in this file, it is read at deploy time from the environment
    variable `sso_secret_variable` names."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)

    tenant_id: str = Field(alias="TenantId", pattern=TENANT_ID)
    tenant_name: str = Field(alias="TenantName", min_length=1, max_length=100)
    stage: Literal["dev", "staging", "prod"] = Field(default="dev", alias="Stage")
    portal_domain: str = Field(default="localhost", alias="PortalDomain", pattern=HOSTNAME)
    mail_from: EmailStr = Field(alias="MailFrom")
    alarm_email: EmailStr | None = Field(default=None, alias="AlarmEmail")
    # An ACM certificate for PortalDomain (CloudFront takes certificates from us-east-1 only).
    certificate_arn: str | None = Field(default=None, alias="CertificateArn", pattern=ACM_CERTIFICATE)
    sso_provider_name: str | None = Field(
        default=None, alias="SsoProviderName", pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$"
    )
    sso_issuer: str | None = Field(default=None, alias="SsoIssuer", pattern=r"^https://[^\s]+$")
    sso_client_id: str | None = Field(default=None, alias="SsoClientId", min_length=1)
    api_throttle_rate: int | None = Field(default=None, alias="ApiThrottleRate", gt=0, le=10_000)
    api_throttle_burst: int | None = Field(default=None, alias="ApiThrottleBurst", gt=0, le=5_000)

    @model_validator(mode="after")
    def _consistent(self) -> TenantParameters:
        sso = [self.sso_issuer, self.sso_client_id]
        if any(sso) and not all(sso):
            raise ValueError("SSO is all or nothing: give SsoIssuer and SsoClientId together")
        if self.sso_provider_name and not self.sso_issuer:
            raise ValueError("SsoProviderName without SsoIssuer: SSO is all or nothing")
        if self.certificate_arn and self.portal_domain == "localhost":
            raise ValueError("CertificateArn needs the PortalDomain it certifies")
        if self.stage == "prod" and self.portal_domain == "localhost":
            raise ValueError("a prod stack needs its PortalDomain")
        if (
            self.api_throttle_rate
            and self.api_throttle_burst
            and self.api_throttle_burst < self.api_throttle_rate
        ):
            raise ValueError("ApiThrottleBurst must be at least ApiThrottleRate")
        return self

    @property
    def has_sso(self) -> bool:
        return bool(self.sso_issuer)

    @property
    def stack_name(self) -> str:
        return stack_name(self.tenant_id)

    @property
    def sso_secret_variable(self) -> str:
        return "PORTAL_SSO_CLIENT_SECRET_" + re.sub(r"[^A-Z0-9]", "_", self.tenant_id.upper())

    def file_values(self) -> dict[str, Any]:
        """What the parameter file holds (set values only, template names)."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")

    def stack_parameters(self, environ: dict[str, str] | None = None) -> dict[str, str]:
        """The values CloudFormation receives; the SSO client secret from the environment."""
        values = {name: str(value) for name, value in self.file_values().items()}
        if self.has_sso:
            secret = (os.environ if environ is None else environ).get(self.sso_secret_variable)
            if not secret:
                raise TenantError(f"{self.tenant_id}: SSO is on: set {self.sso_secret_variable}")
            values["SsoClientSecret"] = secret
        return values


class TenantError(Exception):
    """Something ops must fix before the command can go on (printed without a traceback)."""


def stack_name(tenant_id: str) -> str:
    return f"billing-portal-{tenant_id}"


def path_of(tenant_id: str, directory: Path = TENANTS_DIR) -> Path:
    return directory / f"{tenant_id}.json"


def load(tenant_id: str, directory: Path = TENANTS_DIR) -> TenantParameters:
    path = path_of(tenant_id, directory)
    if not path.exists():
        raise TenantError(f"no tenant {tenant_id!r}: {path} does not exist (python -m infra.tenants new)")
    return parse(path)


def parse(path: Path) -> TenantParameters:
    try:
        document = json.loads(path.read_text())
        parameters = TenantParameters.model_validate(document["Parameters"])
    except (ValueError, KeyError, TypeError) as error:
        raise TenantError(f"{path.name}: {_explain(error)}") from None
    if parameters.tenant_id != path.stem:
        raise TenantError(f"{path.name}: TenantId {parameters.tenant_id!r} must match the file name")
    return parameters


def _explain(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in error.errors()
        )
    if isinstance(error, KeyError):
        return f"missing {error}"
    return str(error)


def tenant_ids(directory: Path = TENANTS_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.json"))


def prefix_clashes(tenant_ids: list[str]) -> list[tuple[str, str]]:
    """Pairs where one id is another's plus "-…": their stacks' resource names would share a prefix,
    which the functions' permissions boundary (template.yaml) relies on being the stack's alone."""
    return [(a, b) for a in tenant_ids for b in tenant_ids if b.startswith(a + "-")]


def write(parameters: TenantParameters, directory: Path = TENANTS_DIR, overwrite: bool = False) -> Path:
    path = path_of(parameters.tenant_id, directory)
    clashes = prefix_clashes([*tenant_ids(directory), parameters.tenant_id])
    if clashes:
        a, b = clashes[0]
        raise TenantError(f"tenant ids {a!r} and {b!r}: one extends the other with '-' (pick another id)")
    if path.exists() and not overwrite:
        raise TenantError(f"{path} exists already")
    document = {"Comment": COMMENT, "Parameters": parameters.file_values()}
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
