"""`make run`: the whole portal on moto at http://127.0.0.1:8000 with the demo tenant."""

from __future__ import annotations

import os
import signal
import sys
import time

from werkzeug.serving import make_server

from infra.local.portal import LocalPortal
from infra.local.stripe_local import settle_seconds_from_environment

HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))
# The local Stripe (its API, Stripe.js stand-in and webhooks; test cards in README "Local payments").
STRIPE_PORT = int(os.environ.get("LOCAL_STRIPE_PORT", "12111"))
# Processes that may serve each function at once, as Lambda runs concurrent requests in separate
# containers (LOCAL_CONTAINERS=0 runs every handler inside this process, one request at a time).
CONTAINERS = int(os.environ.get("LOCAL_CONTAINERS", "4"))


def main() -> None:
    started = time.monotonic()
    # Claim the port first, so a busy port fails at once rather than after the seed.
    server = make_server(HOST, PORT, lambda environ, start_response: [], threaded=True)
    print("Starting moto and creating template.yaml's resources …", flush=True)
    portal = LocalPortal.start(
        stripe_port=STRIPE_PORT, stripe_settle_seconds=settle_seconds_from_environment()
    )
    # Stripe's webhooks reach the portal over HTTP, at the address a tenant registers with Stripe.
    portal.stripe.deliver_to(f"http://{HOST}:{PORT}/api/webhooks/stripe")
    from infra.local.seed import seed_demo

    logins = seed_demo(portal.worker.drain)
    portal.worker.drain()
    # The seed's events ran in this process; from now on requests and events run in containers,
    # started on first use as Lambda does (none of their cold starts delays the start).
    portal.use_containers(CONTAINERS)
    portal.worker.start()
    server.app = portal.gateway

    def stop(*_: object) -> None:
        raise KeyboardInterrupt  # SIGTERM stops like Ctrl-C: the finally below cleans up

    signal.signal(signal.SIGTERM, stop)
    print(f"\nBilling portal ready in {time.monotonic() - started:.1f} s: http://{HOST}:{PORT}")
    print(f"Local Stripe (test cards: README, Local payments): {portal.stripe.url}\n")
    print("Demo logins (email, then password):")
    width = max(len(login.email) for login in logins)
    for login in logins:
        print(f"  {login.email:{width}}  {login.password}    ({login.who})")
    print("\nCtrl-C stops everything.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
    finally:
        server.server_close()
        portal.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
