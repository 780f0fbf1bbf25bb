"""Configuration in one place: a function's environment, read once into a typed, frozen settings
object. A handler module checks the settings of its function(s) when it is imported, so a function
deployed without a variable fails at cold start naming the variable — not on some later request.

Each service declares its models in `services/<svc>/settings.py` (fields aliased to the variable
names of template.yaml); code reads `load(Model).field`, cached per model for the container.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SettingsT = TypeVar("SettingsT", bound="EnvSettings")


class MissingSettings(RuntimeError):
    """The function's environment lacks (or has an invalid) variable its code needs."""


class EnvSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=False)

    @classmethod
    def from_environ(cls: type[SettingsT], environ: Mapping[str, str] | None = None) -> SettingsT:
        source = dict(os.environ if environ is None else environ)
        try:
            return cls.model_validate(source)
        except ValidationError as error:
            problems = []
            for item in error.errors(include_url=False, include_input=False):
                name = str(item["loc"][0]) if item["loc"] else "?"
                problems.append(name if item["type"] == "missing" else f"{name} ({item['msg']})")
            raise MissingSettings(
                f"{cls.__module__}.{cls.__name__}: environment variable(s) not set or invalid: "
                f"{', '.join(problems)} (each function's environment is declared in template.yaml)"
            ) from None


class Common(EnvSettings):
    """What every function has (template.yaml Globals)."""

    region: str = Field("us-east-1", alias="AWS_DEFAULT_REGION")
    tenant_name: str = Field(alias="TENANT_NAME")
    portal_url: str = Field(alias="PORTAL_URL")
    mail_from: str = Field(alias="MAIL_FROM")
    event_bus_name: str = Field(alias="EVENT_BUS_NAME")
    # How long a container reuses the portal preferences it read (0 locally: changes show at once).
    preferences_cache_seconds: float = Field(30.0, alias="PREFERENCES_CACHE_SECONDS")


def load(model: type[SettingsT]) -> SettingsT:
    return cast(SettingsT, _load(model))


@cache
def _load(model: type[EnvSettings]) -> EnvSettings:
    return model.from_environ()


def common() -> Common:
    return load(Common)


def check_at_cold_start(module: str, models: Mapping[str, type[EnvSettings]]) -> None:
    """Validate the settings of the function this container runs. Lambda names it in `_HANDLER`
    (`<module>.<handler>`); where it is not set (the local runtime serves every function in one
    process, with their environments merged) every handler's model of the module is checked."""
    handler = os.environ.get("_HANDLER", "")
    chosen = [model for name, model in models.items() if handler == f"{module}.{name}"]
    for model in chosen or models.values():
        load(model)


def forget() -> None:
    """Tests only: read the environment again."""
    _load.cache_clear()
