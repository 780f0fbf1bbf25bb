"""What `make run` serves (every function in its own container process) answers as API Gateway does:
an ID token the authorizer refuses — malformed, forged, or of a session that ended — is 401, never
the 500 of a crashed authorizer, so the SPA refreshes or signs in again instead of showing errors."""

from __future__ import annotations

import time
from typing import Any

import pytest

from infra.local.containers import ContainerPool
from tests.auth_support import sign_in
from tests.integration.test_sessions import session_bound
from tests.support import ApiClient, Customer, PortalHandle


@pytest.fixture(scope="module")
def containers(portal: PortalHandle) -> Any:
    return portal.local.concurrent_gateway(containers=2)


def test_a_refused_token_is_401_in_container_mode_as_in_process(
    portal: PortalHandle, containers: Any, customer: Customer
) -> None:
    session = sign_in(portal, customer.email)
    assert ApiClient(containers, session["id_token"]).get("/me").status_code == 200
    forged = session["id_token"][:-4] + ("AAAA" if not session["id_token"].endswith("AAAA") else "BBBB")
    for token in ("garbage", "Bearer x.y.z", forged):
        for gateway in (portal.gateway, containers):
            answer = ApiClient(gateway, token).get("/me")
            assert answer.status_code == 401, (token, answer.get_data(as_text=True))

    assert ApiClient(containers, session["id_token"]).post("/auth/logout").status_code == 204
    time.sleep(session_bound(portal) + 0.2)  # the authorizer's caches, as in AWS
    ended = ApiClient(containers, session["id_token"]).get("/dashboard")
    assert ended.status_code == 401, ended.get_data(as_text=True)


def test_a_container_error_carries_the_handlers_type_and_message() -> None:
    """As Lambda's errorType/errorMessage: the caller can tell what the handler raised."""
    from infra.local.containers import FunctionError

    pool = ContainerPool("Broken", "tests.integration.parity_handlers.refuse")
    try:
        with pytest.raises(FunctionError) as raised:
            pool.invoke({})
    finally:
        pool.stop()
    assert raised.value.error_type == "Exception" and raised.value.error_message == "Unauthorized"
    assert "Traceback" in str(raised.value)
