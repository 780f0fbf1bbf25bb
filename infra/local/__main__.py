"""`make run`: the whole portal on moto at http://127.0.0.1:8000 with the demo tenant."""

from __future__ import annotations

import os
import signal
import sys
import time

from werkzeug.serving import make_server

from infra.local.portal import LocalPortal

HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))


def main() -> None:
    started = time.monotonic()
    print("Starting moto and creating template.yaml's resources …", flush=True)
    portal = LocalPortal.start()
    from infra.local.seed import seed_demo

    logins = seed_demo()
    portal.worker.drain()
    portal.worker.start()
    server = make_server(HOST, PORT, portal.gateway, threaded=True)

    def stop(*_: object) -> None:
        print("\nStopping …", flush=True)
        server.shutdown()

    signal.signal(signal.SIGTERM, stop)
    print(f"\nBilling portal ready in {time.monotonic() - started:.1f} s: http://{HOST}:{PORT}\n")
    print("Demo logins (email, then password):")
    for login in logins:
        print(f"  # {login.who}")
        print(f"  {login.email}")
        print(f"  {login.password}")
    print("\nCtrl-C stops everything.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
