"""Auth's event plumbing: the requests consumer (sends invitation and reset emails out of the request
path), the outbox publisher (portal.auth audit events), the directory consumer (its projection of
portal.customers events) and Cognito's pre-token-generation trigger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.auth.settings import Requests, Tables
from shared.events import publish_outbox_records
from shared.observability import logger
from shared.settings import Common, check_at_cold_start

check_at_cold_start(
    __name__,
    {
        "process_requests": Requests,
        "publish_outbox": Common,
        "cognito_trigger": Tables,
        "directory": Tables,
    },
)

SOURCE = "portal.auth"


def _invitation(image: dict[str, Any]) -> None:
    from services.auth.logic.invitations import send_invitation

    send_invitation(image["customer_id"]["S"], image["contact_id"]["S"], image["email"]["S"])


def _password_reset(image: dict[str, Any]) -> None:
    from services.auth.logic.passwords import send_reset

    send_reset(image["email"]["S"])


def _password_changed(image: dict[str, Any]) -> None:
    from services.auth.logic.passwords import send_changed_notice

    send_changed_notice(image["email"]["S"])


def _signup(image: dict[str, Any]) -> None:
    import json

    from services.auth.logic.signup import process_sign_up

    names = json.loads(image.get("data", {}).get("S", "{}"))
    process_sign_up(image["customer_id"]["S"], image["email"]["S"], names["first_name"], names["last_name"])


def _email_change(image: dict[str, Any]) -> None:
    from services.auth.logic.email_change import send_code

    send_code(image["email"]["S"])


def _email_changed(image: dict[str, Any]) -> None:
    import json

    from services.auth.logic.email_change import send_changed_notice

    data = json.loads(image.get("data", {}).get("S", "{}"))
    who = (image.get("customer_id", {}).get("S"), image.get("contact_id", {}).get("S"))
    send_changed_notice(image["email"]["S"], data["new_email"], *who)


def _revoke_login(image: dict[str, Any]) -> None:
    from services.auth.logic.access import revoke_removed_contact

    revoke_removed_contact(image["customer_id"]["S"], image["contact_id"]["S"])


REQUEST_HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "signup": _signup,
    "invitation": _invitation,
    "password_reset": _password_reset,
    "password_changed": _password_changed,
    "email_change": _email_change,
    "email_changed": _email_changed,
    "revoke_login": _revoke_login,
}


@logger.inject_lambda_context
def process_requests(event: dict[str, Any], context: Any) -> dict[str, int]:
    """A failure raises: the stream retries the batch (bisecting), then sends it to the DLQ."""
    handled = 0
    for record in event.get("Records", []):
        image = record.get("dynamodb", {}).get("NewImage", {})
        kind = image.get("kind", {}).get("S", "")
        handler = REQUEST_HANDLERS.get(kind)
        if handler is None:
            logger.error("unknown auth request", extra={"kind": kind})
            continue
        handler(image)
        handled += 1
    return {"handled": handled}


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """portal.customers events (rule → AuthDirectoryQueue) into auth's own projection."""
    from services.auth.logic.contact_persons import apply_directory_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_directory_event)


@logger.inject_lambda_context
def publish_outbox(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"published": publish_outbox_records(event, SOURCE)}


def cognito_trigger(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Cognito's user-pool triggers (one function): pre-sign-up and pre-token-generation."""
    source = str(event.get("triggerSource", ""))
    if source.startswith("PreSignUp_"):
        return pre_sign_up(event)
    if source.startswith("TokenGeneration_"):
        return token_claims(event)
    return event


def _federated(attributes: dict[str, str]) -> bool:
    return bool(attributes.get("identities"))


def pre_sign_up(event: dict[str, Any]) -> dict[str, Any]:
    """Only users of the tenant's identity provider sign themselves up (the pool allows no other
    self sign-up): they must match a contact by verified email. Raising refuses, and Cognito shows
    the message to the user."""
    from services.auth.logic.sso import link

    attributes = event.get("request", {}).get("userAttributes", {})
    if event.get("triggerSource") == "PreSignUp_ExternalProvider":
        verified = attributes.get("email_verified", "false") == "true"
        link(attributes.get("email", ""), verified, str(event.get("userName", "")))
        event.setdefault("response", {})["autoVerifyEmail"] = True
    return event


def token_claims(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Pre-token-generation (V1): the customer, contact and role of the user as plain claims, taken
    only from attributes users cannot write themselves (see the app client's WriteAttributes), or for
    a user of the tenant's identity provider, from the contact its verified email links it to."""
    attributes = event.get("request", {}).get("userAttributes", {})
    groups = event.get("request", {}).get("groupConfiguration", {}).get("groupsToOverride", []) or []
    customer_id = attributes.get("custom:customer_id", "")
    contact_id = attributes.get("custom:contact_id", "")
    if _federated(attributes) and not customer_id:
        from services.auth.logic.sso import link

        verified = attributes.get("email_verified", "false") == "true"
        linked = link(attributes.get("email", ""), verified, str(event.get("userName", "")))
        customer_id, contact_id = linked.customer_id, linked.contact_id
    claims = {
        "customer_id": customer_id,
        "contact_id": contact_id,
        "custom:customer_id": customer_id,
        "custom:contact_id": contact_id,
        "portal_role": "staff" if "staff" in groups else ("contact" if customer_id else "none"),
    }
    event["response"] = {"claimsOverrideDetails": {"claimsToAddOrOverride": claims}}
    return event
