"""`make run`: the whole portal on moto at http://127.0.0.1:8000 with the demo tenant.
`make run TENANTS="demo acme"`: every named tenant's stack from its parameter file on one moto server,
each tenant in its own process (the services keep their configuration, table names, pool and bus, in
their process's environment, as a Lambda container does) on its own port: 8000, 8001, …"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from werkzeug.serving import make_server

from infra.local.portal import LocalPortal, start_moto_server
from infra.local.stripe_local import settle_seconds_from_environment

HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))
# The local Stripe (its API, Stripe.js stand-in and webhooks; test cards in README "Local payments").
STRIPE_PORT = int(os.environ.get("LOCAL_STRIPE_PORT", "12111"))
# Processes that may serve each function at once, as Lambda runs concurrent requests in separate
# containers (LOCAL_CONTAINERS=0 runs every handler inside this process, one request at a time).
CONTAINERS = int(os.environ.get("LOCAL_CONTAINERS", "4"))
# Set by the many-tenants parent for each tenant's process.
MOTO_ENDPOINT = os.environ.get("LOCAL_MOTO_ENDPOINT")


def serve_tenant(tenant: str, port: int, stripe_port: int, seed: bool = True) -> None:
    started = time.monotonic()
    # Many tenants print side by side: each line says whose it is. One tenant prints plain lines.
    tag = f"[{tenant}] " if MOTO_ENDPOINT else ""
    # Claim the port first, so a busy port fails at once rather than after the seed.
    server = make_server(HOST, port, lambda environ, start_response: [], threaded=True)
    print(f"{tag}starting: template.yaml's resources in moto …", flush=True)
    portal = LocalPortal.start(
        tenant=tenant,
        stripe_port=stripe_port,
        stripe_settle_seconds=settle_seconds_from_environment(),
        moto_endpoint=MOTO_ENDPOINT,
    )
    url = f"http://{HOST}:{port}"
    os.environ["PORTAL_URL"] = url  # links in this tenant's emails
    # Stripe's webhooks reach the portal over HTTP, at the address a tenant registers with Stripe.
    portal.stripe.deliver_to(f"{url}/api/webhooks/stripe")
    from infra.local.seed import seed_demo

    logins = seed_demo(portal.worker.drain) if seed else []
    portal.worker.drain()
    # The seed's events ran in this process; from now on requests and events run in containers,
    # started on first use as Lambda does (none of their cold starts delays the start).
    portal.use_containers(CONTAINERS)
    portal.worker.start()
    server.app = portal.gateway

    def stop(*_: object) -> None:
        raise KeyboardInterrupt  # SIGTERM stops like Ctrl-C: the finally below cleans up

    signal.signal(signal.SIGTERM, stop)
    print(f"\n{tag}billing portal ready in {time.monotonic() - started:.1f} s: {url}")
    print(f"{tag}local Stripe (test cards: README, Local payments): {portal.stripe.url}")
    print(f"{tag}moto, for `python -m infra.tenants dlq list {tenant} --endpoint-url URL`: {portal.endpoint}")
    if logins:
        print(f"{tag}logins (email, then password):")
        width = max(len(login.email) for login in logins)
        for login in logins:
            print(f"{tag}  {login.email:{width}}  {login.password}    ({login.who})")
    print(f"{tag}Ctrl-C stops everything.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(f"\n{tag}stopping …", flush=True)
    finally:
        server.server_close()
        # What this tenant's queues hold is delivered before it stops (nothing is left half-done).
        portal.worker.stop()
        portal.worker.drain()
        portal.stop()


def serve_tenants(tenants: list[str]) -> None:
    """One moto server here, one process per tenant using it, each on its own ports."""
    server, endpoint = start_moto_server()
    print(f"moto for {len(tenants)} tenants: {endpoint}", flush=True)
    children = []
    for index, tenant in enumerate(tenants):
        environment = {
            **os.environ,
            "LOCAL_MOTO_ENDPOINT": endpoint,
            "PORT": str(PORT + index),
            "LOCAL_STRIPE_PORT": str(STRIPE_PORT + index),
            "TENANTS": tenant,
        }
        command = [sys.executable, "-m", "infra.local", "--tenant", tenant]
        children.append(subprocess.Popen(command, env=environment))

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=30)
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description=__doc__)
    parser.add_argument("--tenant", default="demo", help="run this one tenant (infra/tenants/<tenant>.json)")
    parser.add_argument("--tenants", nargs="+", help="run these tenants side by side")
    parser.add_argument("--no-seed", action="store_true", help="start with empty tables")
    args = parser.parse_args()
    tenants = args.tenants or os.environ.get("TENANTS", "").split()
    if len(tenants) > 1:
        serve_tenants(tenants)
    else:
        serve_tenant(tenants[0] if tenants else args.tenant, PORT, STRIPE_PORT, seed=not args.no_seed)
    sys.exit(0)


if __name__ == "__main__":
    main()
