"""Races as AWS would meet them: requests sent at once through the gateway are served concurrently by
separate container processes (infra/local/containers.py), and what reaches Cognito is counted by the
moto server itself, not by the code under test."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest

from services.auth.logic import throttle
from tests.auth_support import sign_in, totp_code
from tests.integration.test_auth_flows import enrol_mfa
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle

ATTEMPTS = 30
# More containers than the lock allows tries: on check-then-count code every one of the first wave
# passes the check, so the test can fail on it (Lambda would run all 30 at once).
CONTAINERS = 12
COGNITO_SECONDS = 0.3


@pytest.fixture(scope="module")
def concurrent(portal: PortalHandle) -> Any:
    gateway = portal.local.concurrent_gateway(containers=CONTAINERS)
    # Every container started and initialised now (as many requests at once as containers), so the
    # burst below does not queue behind cold starts.
    invalid = at_once(lambda: ApiClient(gateway).post("/auth/login", {}), CONTAINERS)
    assert {r.status_code for r in invalid} == {400}
    return gateway


@contextmanager
def cognito_checks(email: str) -> Iterator[Counter[str]]:
    """Counts the password and code checks moto's Cognito performs for one user (the moto server
    runs in this process; the containers reach it over HTTP). Each check takes a little while, as a
    real one over the network does: tries that are already in flight then overlap for sure."""
    from moto.cognitoidp.models import CognitoIdpBackend

    seen: Counter[str] = Counter()
    lock = threading.Lock()
    originals = {
        name: getattr(CognitoIdpBackend, name)
        for name in ("initiate_auth", "admin_initiate_auth", "respond_to_auth_challenge")
    }

    def counting(name: str) -> Any:
        original = originals[name]

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            flat = [*args, *kwargs.values()]
            if any(isinstance(a, dict) and str(a.get("USERNAME", "")).lower() == email for a in flat):
                with lock:
                    seen[name] += 1
                time.sleep(COGNITO_SECONDS)
            return original(self, *args, **kwargs)

        return wrapper

    for name in originals:
        setattr(CognitoIdpBackend, name, counting(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(CognitoIdpBackend, name, original)


def at_once(send: Any, count: int = ATTEMPTS) -> list[Any]:
    barrier = threading.Barrier(count)

    def one(_: int) -> Any:
        barrier.wait()
        return send()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_wrong_passwords_reach_cognito_at_most_as_often_as_the_lock_allows(
    concurrent: Any, customer: Customer
) -> None:
    def wrong_password() -> Any:
        return ApiClient(concurrent).post(
            "/auth/login", {"email": customer.email, "password": "Wrong-pass-77"}
        )

    with cognito_checks(customer.email) as checks:
        responses = at_once(wrong_password)
    statuses = Counter(r.status_code for r in responses)
    reached = checks["initiate_auth"] + checks["admin_initiate_auth"]
    print(f"\n{ATTEMPTS} concurrent wrong passwords: {reached} reached Cognito, answers {dict(statuses)}")
    assert set(statuses) <= {401, 429}, statuses
    assert statuses[401] == reached  # every try Cognito saw was answered as a failure, none lost
    assert reached <= throttle.LOCK_AFTER, f"{reached} password checks reached Cognito"
    refused = [r for r in responses if r.status_code == 429]
    assert refused and all(int(r.headers["Retry-After"]) >= 1 for r in refused)


def test_concurrent_wrong_mfa_codes_reach_cognito_at_most_as_often_as_the_lock_allows(
    portal: PortalHandle, concurrent: Any, customer: Customer
) -> None:
    secret = enrol_mfa(portal, sign_in(portal, customer.email))
    challenge = sign_in(portal, customer.email)
    assert challenge["challenge"] == "mfa_code"
    right = totp_code(secret)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"

    def wrong_code() -> Any:
        body = {"email": customer.email, "session": challenge["session"], "code": wrong}
        return ApiClient(concurrent).post("/auth/login/mfa", body)

    with cognito_checks(customer.email) as checks:
        responses = at_once(wrong_code)
    statuses = Counter(r.status_code for r in responses)
    reached = checks["respond_to_auth_challenge"]
    print(f"\n{ATTEMPTS} concurrent wrong MFA codes: {reached} reached Cognito, answers {dict(statuses)}")
    assert set(statuses) <= {401, 429}, statuses
    assert reached <= throttle.LOCK_AFTER, f"{reached} code checks reached Cognito"


def test_each_container_is_its_own_process(concurrent: Any) -> None:
    import os

    pids = set(concurrent.invoker.pool("AuthApiFunction").pids())
    assert len(pids) == CONTAINERS and os.getpid() not in pids


def test_the_right_password_before_the_code_step_is_not_a_failure(
    portal: PortalHandle, concurrent: Any, customer: Customer
) -> None:
    enrol_mfa(portal, sign_in(portal, customer.email))
    for _ in range(throttle.LOCK_AFTER + 1):  # each try was counted first, then taken back
        response = ApiClient(concurrent).post("/auth/login", {"email": customer.email, "password": PASSWORD})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.json["challenge"] == "mfa_code"  # type: ignore[index]


def test_each_try_after_the_third_waits_longer_and_refusals_cost_the_client_nothing(
    portal: PortalHandle, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.auth import counters_store as store

    clock = [2_000_000_000.0]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    ip = "192.0.2.44"

    def sign_in_status(password: str) -> Any:
        return ApiClient(portal.gateway).post(
            "/auth/login",
            {"email": customer.email, "password": password},
            environ_overrides={"REMOTE_ADDR": ip},
        )

    for _ in range(throttle.SLOW_AFTER):
        assert sign_in_status("Wrong-pass-77").status_code == 401
    for wait in (1, 2, 4, 8):
        refused = sign_in_status(PASSWORD)
        assert (refused.status_code, refused.headers.get("Retry-After")) == (429, str(wait))
        clock[0] += wait - 0.5
        assert sign_in_status(PASSWORD).status_code == 429  # not yet
        clock[0] += 0.5
        assert sign_in_status("Wrong-pass-77").status_code == 401  # now it may try (and fail)
    window = str(int(clock[0] // throttle.WINDOW_SECONDS))
    counters = store.throttles([(f"THROTTLE#client#{ip}", window)])
    assert counters[f"THROTTLE#client#{ip}"].failures == throttle.SLOW_AFTER + 4  # the 429s not counted
    clock[0] += throttle.MAX_DELAY_SECONDS
    assert sign_in_status(PASSWORD).status_code == 200


def test_a_function_to_function_call_runs_in_the_targets_container(
    portal: PortalHandle, concurrent: Any, customer: Customer
) -> None:
    from werkzeug.test import Client

    from infra.local.lambda_api import LambdaApi

    api = Client(LambdaApi(portal.local.stack, concurrent.invoker))
    answer = api.post(
        "/2015-03-31/functions/CustomersLookupFunction/invocations",
        json={"customer_id": customer.customer_id, "contact_id": customer.contact_id},
    )
    assert answer.status_code == 200 and "X-Amz-Function-Error" not in answer.headers, answer.get_data()
    assert json.loads(answer.get_data())["customer"]["customer_id"] == customer.customer_id
    assert concurrent.invoker.pool("CustomersLookupFunction").pids()  # served by a container
