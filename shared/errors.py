"""Domain errors and their one mapping to HTTP.

Every error a use case raises is a `DomainError`, a plain exception (no web framework here: logic and
stores raise them, consumers may too). Its `status` and `code` say what it means over HTTP;
`shared.api` is the one place that turns it into the portal's JSON error shape
`{"error": {"code", "message", "details"}}`.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}


class ValidationFailed(DomainError):
    status = 400
    code = "validation_failed"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class ModuleDisabled(DomainError):
    status = 403
    code = "module_disabled"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class NotAcceptable(DomainError):
    """A file route asked for without its media type in `Accept` (API Gateway would send base64 text)."""

    status = 406
    code = "not_acceptable"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Gone(DomainError):
    """A one-time link that expired, was used, or was replaced by a newer one."""

    status = 410
    code = "link_expired"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(
            message,
            {"retry_after_seconds": retry_after_seconds},
            {"Retry-After": str(retry_after_seconds)},
        )


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def to_response_body(error: DomainError) -> dict[str, Any]:
    return error_body(error.code, error.message, error.details)
