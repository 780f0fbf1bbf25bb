"""Two tenants side by side locally, as `make run TENANTS="demo acme"` runs them: the test session's
portal is the demo tenant, acme runs from infra/tenants/acme.json in its own process on the same moto
server (the services keep their configuration in their process's environment, so two tenants cannot
share one process) and its own port. A token of one tenant opens nothing in the other's API; an event
of one tenant never becomes the other's email."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from email.utils import parseaddr

import pytest
import requests

from infra.local.portal import tenant_parameters
from infra.local.template import ROOT
from tests.support import ApiClient, Customer, PortalHandle, create_invoice, sent_messages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Tenant:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process, self.url = process, url
        self.output: list[str] = []

    def stop(self) -> int:
        """Stops the tenant's process; it delivers what its queues hold first."""
        self.process.terminate()
        out, _ = self.process.communicate(timeout=60)
        self.output.append(out)
        return self.process.returncode


@pytest.fixture(scope="module")
def acme(portal: PortalHandle) -> Iterator[Tenant]:
    port = _free_port()
    environment = {
        **os.environ,
        "LOCAL_MOTO_ENDPOINT": portal.local.endpoint,
        "PORT": str(port),
        "LOCAL_STRIPE_PORT": str(_free_port()),
        "LOCAL_CONTAINERS": "0",  # one process for the whole tenant: enough here, and cheaper
        "TENANTS": "acme",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local", "--no-seed"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    tenant = Tenant(process, f"http://127.0.0.1:{port}")
    assert process.stdout is not None
    for line in process.stdout:  # its start is over when it says so (or it died)
        tenant.output.append(line)
        if "billing portal ready" in line:
            break
    else:
        pytest.fail("acme did not start:\n" + "".join(tenant.output))
    yield tenant
    if process.poll() is None:
        tenant.stop()


def test_a_token_of_one_tenant_opens_nothing_in_the_others_api(
    acme: Tenant, customer: Customer, staff: ApiClient
) -> None:
    assert customer.api.get("/invoices").status_code == 200  # good at home
    for path, token in (("/invoices", customer.api.token), ("/staff/portal/preferences", staff.token)):
        answer = requests.get(f"{acme.url}/api{path}", headers={"Authorization": str(token)}, timeout=30)
        assert answer.status_code == 401, (path, answer.text)
        assert answer.json()["error"]["code"] == "unauthenticated"
    assert requests.get(f"{acme.url}/api/invoices", timeout=30).status_code == 401


def test_a_notification_of_one_tenant_never_reaches_the_others_mailbox(
    portal: PortalHandle, acme: Tenant, customer: Customer, staff: ApiClient
) -> None:
    since = len(sent_messages())
    create_invoice(staff, customer.customer_id, date.today().isoformat())
    portal.drain()
    assert acme.stop() == 0, "".join(acme.output)  # acme delivered all its queues held, then stopped
    mails = [m for m in sent_messages()[since:] if customer.email in str(m.destinations)]
    senders = {parseaddr(mail.source)[1] for mail in mails}
    assert mails and senders == {tenant_parameters("demo")["MailFrom"]}
    acme_from = tenant_parameters("acme")["MailFrom"]
    assert [m for m in sent_messages()[since:] if parseaddr(m.source)[1] == acme_from] == []
