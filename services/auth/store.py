"""Auth table: what the auth service knows besides Cognito, and its copy of the customers service's
contacts (kept by the directory consumer from portal.customers events, version-guarded).

  POLICY             POLICY          the tenant's sign-in policy (MFA mode, invitation lifetime)
  CUSTOMER#<cid>     ACCESS          portal access of a customer (absent = enabled)
  CUSTOMER#<cid>     LOGIN#<ctid>    a contact's login: invited / active, the current invitation
  INVITE#<sha256>    INVITE          one invitation link (the token itself is never stored)
  RESET#<sha256>     RESET           one password-reset link
  REQUEST#<id>       REQUEST         work for the requests consumer (send an invitation / a reset)
  HELD#<sha256>      HELD            tokens held back until a required MFA enrolment is confirmed (sealed)
  THROTTLE#<key>     <window>        failed sign-ins of one account or client in a 15-minute window
  SECRET             KEY#<purpose>   a data key wrapped by the KMS key (sign-up links, held tokens)
  OUTBOX#<id>        OUTBOX          portal.auth events (the audit trail) for the outbox publisher
  SESSIONS#<sha256>  SESSIONS        a login's "valid after" marker (ID tokens issued before it are refused)
  CUSTOMER#<cid>     PROFILE         projection: the customer's display name (version)
  CUSTOMER#<cid>     CONTACT#<ctid>  projection: a contact (names, email, primary; removed = tombstone)
  EMAIL#<email>      CONTACT         projection: which contact an email belongs to
  TENANT             SETTINGS        projection: portal preferences and business profile (emails' branding)

Everything short-lived carries `expires_at` (TTL); reads check expiry too, as TTL deletes lazily.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from services.auth.directory_store import (  # re-exported: logic reads the projection here
    DirectoryContact as DirectoryContact,
)
from services.auth.directory_store import contact as contact
from services.auth.directory_store import contact_claim as contact_claim
from services.auth.directory_store import contacts_of as contacts_of
from services.auth.directory_store import customer_name as customer_name
from services.auth.directory_store import tenant_settings as tenant_settings
from services.auth.logic.records import HeldTokens, Link, Login
from services.auth.schemas import SignInPolicy
from services.auth.settings import Tables
from shared.dynamo import KeyedRecord, condition_failed, conditional_transaction, table_meta, transaction
from shared.events import OutboxEvent, outbox_item_fields
from shared.settings import load

TABLE_NAME = load(Tables).auth_table
REQUEST_TTL_SECONDS = 24 * 3600


class AuthItem(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    kind = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    customer_id = UnicodeAttribute(null=True)
    contact_id = UnicodeAttribute(null=True)
    token_hash = UnicodeAttribute(null=True)
    data = UnicodeAttribute(null=True)  # JSON owned by the item's kind
    sso_user = UnicodeAttribute(null=True)  # a login's Cognito username when it came by SSO
    failures = NumberAttribute(null=True)
    last_failure = NumberAttribute(null=True)
    expires_at = NumberAttribute(null=True)
    valid_after = NumberAttribute(null=True)
    # outbox
    event_id = UnicodeAttribute(null=True)
    source = UnicodeAttribute(null=True)
    detail_type = UnicodeAttribute(null=True)
    detail = UnicodeAttribute(null=True)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _login(item: AuthItem) -> Login:
    return Login(
        customer_id=item.customer_id or item.pk.removeprefix("CUSTOMER#"),
        contact_id=item.contact_id or item.sk.removeprefix("LOGIN#"),
        status=item.status,
        email=item.email,
        token_hash=item.token_hash,
        sso_user=item.sso_user,
    )


def _link(item: AuthItem) -> Link:
    return Link(
        token_hash=item.pk.partition("#")[2],
        status=item.status,
        email=item.email,
        expires_at=_int(item.expires_at),
        customer_id=item.customer_id,
        contact_id=item.contact_id,
        kind=item.kind,
        data=item.data,
    )


def _login_key(customer_id: str, contact_id: str) -> AuthItem:
    return AuthItem(pk=f"CUSTOMER#{customer_id}", sk=f"LOGIN#{contact_id}")


def _get(pk: str, sk: str) -> AuthItem | None:
    try:
        return AuthItem.get(pk, sk, consistent_read=True)
    except AuthItem.DoesNotExist:
        return None


def outbox_item(event: OutboxEvent, now: int) -> AuthItem:
    return AuthItem(**outbox_item_fields(event, now))


def publish(event: OutboxEvent, now: int) -> None:
    outbox_item(event, now).save()


# ---- policy and access -------------------------------------------------------------------------------


def policy() -> SignInPolicy:
    item = _get("POLICY", "POLICY")
    return SignInPolicy.model_validate_json(item.data) if item and item.data else SignInPolicy()


def save_policy(value: SignInPolicy) -> None:
    AuthItem(pk="POLICY", sk="POLICY", data=value.model_dump_json()).save()


def customer_access_enabled(customer_id: str) -> bool:
    item = _get(f"CUSTOMER#{customer_id}", "ACCESS")
    return item is None or item.status != "disabled"


def set_customer_access(customer_id: str, enabled: bool, events: list[OutboxEvent], now: int) -> None:
    with transaction() as tx:
        tx.save(
            AuthItem(pk=f"CUSTOMER#{customer_id}", sk="ACCESS", status="enabled" if enabled else "disabled")
        )
        for event in events:
            tx.save(outbox_item(event, now))


# ---- logins of contacts ------------------------------------------------------------------------------


def set_login_status(login: Login, status: str, event: OutboxEvent, now: int) -> None:
    with transaction() as tx:
        key = _login_key(login.customer_id, login.contact_id)
        tx.update(key, actions=[AuthItem.status.set(status)], condition=AuthItem.pk.exists())
        tx.save(outbox_item(event, now))


def activate_sso_login(customer_id: str, contact_id: str, email: str, sso_user: str) -> bool:
    """The login record of a contact signing in by SSO (made on the first sign-in), in one
    conditional UpdateItem: False when staff turned the contact off."""
    actions: list[Action] = [
        AuthItem.status.set("active"),
        AuthItem.email.set(email),
        AuthItem.customer_id.set(customer_id),
        AuthItem.contact_id.set(contact_id),
    ]
    if sso_user:
        actions.append(AuthItem.sso_user.set(sso_user))
    try:
        _login_key(customer_id, contact_id).update(
            actions=actions, condition=AuthItem.status.does_not_exist() | (AuthItem.status != "disabled")
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def login_of(customer_id: str, contact_id: str) -> Login | None:
    item = _get(f"CUSTOMER#{customer_id}", f"LOGIN#{contact_id}")
    return _login(item) if item else None


def logins_of(customer_id: str) -> list[Login]:
    return [
        _login(item) for item in AuthItem.query(f"CUSTOMER#{customer_id}", AuthItem.sk.startswith("LOGIN#"))
    ]


def _request(kind: str, now: int, fields: dict[str, Any]) -> AuthItem:
    from shared.ids import new_id

    return AuthItem(
        pk=f"REQUEST#{new_id()}",
        sk="REQUEST",
        kind=kind,
        email=fields.pop("email", None),
        customer_id=fields.pop("customer_id", None),
        contact_id=fields.pop("contact_id", None),
        data=json.dumps(fields),
        expires_at=now + REQUEST_TTL_SECONDS,
    )


def request_work(kind: str, now: int, **fields: Any) -> None:
    """One PutItem: the same cost whatever the request is for (reset requests reveal nothing)."""
    _request(kind, now, fields).save()


def publish_with_request(event: OutboxEvent, kind: str, now: int, **fields: Any) -> None:
    """An event and the work that follows it, written together."""
    with transaction() as tx:
        tx.save(outbox_item(event, now))
        tx.save(_request(kind, now, fields))


def wrapped_key(purpose: str, new_wrapped_key: Callable[[], bytes]) -> bytes:
    """A purpose's data key as KMS wrapped it, made on first use (the first writer wins)."""
    item = _get("SECRET", f"KEY#{purpose}")
    if item is None or not item.data:
        try:
            AuthItem(pk="SECRET", sk=f"KEY#{purpose}", data=new_wrapped_key().hex()).save(
                condition=AuthItem.pk.does_not_exist()
            )
        except PutError as error:
            if not condition_failed(error):
                raise
        item = _get("SECRET", f"KEY#{purpose}")
    assert item is not None and item.data
    return bytes.fromhex(item.data)


def record_invitation(
    customer_id: str,
    contact_id: str,
    email: str,
    token_hash: str,
    expires_at: int,
    event: OutboxEvent,
    now: int,
) -> None:
    """The new link replaces the contact's previous one (acceptance checks it is the current one)."""
    with transaction() as tx:
        tx.save(
            AuthItem(
                pk=f"INVITE#{token_hash}",
                sk="INVITE",
                status="pending",
                email=email,
                customer_id=customer_id,
                contact_id=contact_id,
                expires_at=expires_at,
            )
        )
        tx.save(
            AuthItem(
                pk=f"CUSTOMER#{customer_id}",
                sk=f"LOGIN#{contact_id}",
                status="invited",
                email=email,
                customer_id=customer_id,
                contact_id=contact_id,
                token_hash=token_hash,
                expires_at=None,
            ),
            condition=AuthItem.status.does_not_exist() | (AuthItem.status != "active"),
        )
        tx.save(outbox_item(event, now))


def record_pending_signup(
    token_hash: str,
    *,
    email: str,
    customer_id: str,
    contact_id: str,
    names: dict[str, str],
    expires_at: int,
) -> None:
    """A sign-up waiting for its emailed link: nothing else exists until it is used."""
    AuthItem(
        pk=f"INVITE#{token_hash}",
        sk="INVITE",
        kind="signup",
        status="pending",
        email=email,
        customer_id=customer_id,
        contact_id=contact_id,
        data=json.dumps(names),
        expires_at=expires_at,
    ).save()


def _use_link(tx: Any, link: Link) -> None:
    tx.update(
        AuthItem(pk=f"INVITE#{link.token_hash}", sk="INVITE"),
        actions=[AuthItem.status.set("used")],
        condition=AuthItem.status == "pending",
    )


def accept_pending_signup(link: Link, events: list[OutboxEvent], now: int) -> bool:
    """Marks the link used and makes the contact's login active, once: False when already used."""
    with conditional_transaction() as tx:
        _use_link(tx, link)
        tx.save(
            AuthItem(
                pk=f"CUSTOMER#{link.customer_id}",
                sk=f"LOGIN#{link.contact_id}",
                status="active",
                email=link.email,
                customer_id=link.customer_id,
                contact_id=link.contact_id,
            ),
            condition=AuthItem.pk.does_not_exist(),
        )
        for event in events:
            tx.save(outbox_item(event, now))
    return tx.committed


def invitation(token_hash: str) -> Link | None:
    item = _get(f"INVITE#{token_hash}", "INVITE")
    return _link(item) if item else None


def accept_invitation(link: Link, event: OutboxEvent, now: int) -> bool:
    """Marks the link used and the login active, once: False when the link was used or replaced."""
    with conditional_transaction() as tx:
        _use_link(tx, link)
        tx.update(
            _login_key(link.customer_id or "", link.contact_id or ""),
            actions=[AuthItem.status.set("active")],
            # A login turned off meanwhile (the contact was removed) stays off.
            condition=(AuthItem.token_hash == link.token_hash) & (AuthItem.status != "disabled"),
        )
        tx.save(outbox_item(event, now))
    return tx.committed


# ---- password resets ---------------------------------------------------------------------------------


def record_reset(token_hash: str, email: str, expires_at: int) -> None:
    AuthItem(
        pk=f"RESET#{token_hash}", sk="RESET", status="pending", email=email, expires_at=expires_at
    ).save()


def reset(token_hash: str) -> Link | None:
    item = _get(f"RESET#{token_hash}", "RESET")
    return _link(item) if item else None


def use_reset(link: Link) -> bool:
    try:
        AuthItem(pk=f"RESET#{link.token_hash}", sk="RESET").update(
            actions=[AuthItem.status.set("used")], condition=AuthItem.status == "pending"
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


# ---- tokens held during a required MFA enrolment ------------------------------------------------------


def hold_tokens(session_hash: str, email: str, sealed_tokens: str, expires_at: int) -> None:
    AuthItem(
        pk=f"HELD#{session_hash}",
        sk="HELD",
        email=email,
        data=sealed_tokens,
        expires_at=expires_at,
    ).save()


def held_tokens(session_hash: str) -> HeldTokens | None:
    item = _get(f"HELD#{session_hash}", "HELD")
    if item is None:
        return None
    return HeldTokens(session_hash, email=item.email, data=item.data, expires_at=_int(item.expires_at))


def release_tokens(held: HeldTokens) -> None:
    AuthItem(pk=f"HELD#{held.session_hash}", sk="HELD").delete()


def mark_login_active(customer_id: str, contact_id: str, email: str) -> None:
    """A login made without an invitation (demo seed, tests)."""
    AuthItem(
        pk=f"CUSTOMER#{customer_id}",
        sk=f"LOGIN#{contact_id}",
        status="active",
        email=email,
        customer_id=customer_id,
        contact_id=contact_id,
    ).save()


# ---- a contact changes their sign-in email -------------------------------------------------------------


def _email_change_key(old_email: str) -> AuthItem:
    import hashlib

    digest = hashlib.sha256(old_email.strip().lower().encode()).hexdigest()  # as the sessions' key
    return AuthItem(pk=f"EMAILCHANGE#{digest}", sk="EMAILCHANGE")


def start_email_change(
    old_email: str, new_email: str, customer_id: str, contact_id: str, expires_at: int, now: int
) -> None:
    """The pending change (replacing an older one: its code stops working) and the work of mailing a
    code to the new address, written together. The code is made by the requests consumer."""
    key = _email_change_key(old_email)
    change = AuthItem(
        pk=key.pk,
        sk=key.sk,
        status="requested",
        email=new_email,
        customer_id=customer_id,
        contact_id=contact_id,
        failures=0,
        expires_at=expires_at,
    )
    with transaction() as tx:
        tx.save(change)
        tx.save(_request("email_change", now, {"email": old_email}))


def email_change(old_email: str) -> AuthItem | None:
    key = _email_change_key(old_email)
    return _get(key.pk, key.sk)


def set_email_change_code(old_email: str, new_email: str, code_hash: str) -> bool:
    """The code's hash on the requested change (False: replaced, or a code was already made)."""
    try:
        _email_change_key(old_email).update(
            actions=[AuthItem.token_hash.set(code_hash), AuthItem.status.set("pending")],
            condition=(AuthItem.status == "requested") & (AuthItem.email == new_email),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def count_wrong_email_code(old_email: str) -> None:
    _email_change_key(old_email).update(
        actions=[AuthItem.failures.add(1)], condition=AuthItem.status == "pending"
    )


def finish_email_change(
    old_email: str,
    new_email: str,
    code_hash: str,
    login: tuple[str, str],
    event: OutboxEvent,
    now: int,
) -> bool:
    """The change used (once), the login's (customer, contact) email moved, its event and the old
    address's notice: one transaction. False: used or replaced meanwhile."""
    customer_id, contact_id = login
    with conditional_transaction() as tx:
        tx.update(
            _email_change_key(old_email),
            actions=[AuthItem.status.set("used")],
            condition=(AuthItem.status == "pending") & (AuthItem.token_hash == code_hash),
        )
        tx.update(
            _login_key(customer_id, contact_id),
            actions=[AuthItem.email.set(new_email)],
            condition=AuthItem.pk.exists(),
        )
        tx.save(outbox_item(event, now))
        notice = {
            "email": old_email,
            "new_email": new_email,
            "customer_id": customer_id,
            "contact_id": contact_id,
        }
        tx.save(_request("email_changed", now, notice))
    return tx.committed
