"""`python -m bench.tenants_bench`: the tenant CLI against moto's CloudFormation (a moto server of its
own): the first deploy of each of 10 tenants, then `upgrade --all` of the 10 one at a time and in
waves of 5. The template is the real one less what moto cannot create (infra/tenants/moto.py)."""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from pathlib import Path

TENANTS = 10


def main() -> None:
    import logging

    from infra.local.portal import start_moto_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server, endpoint = start_moto_server()
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )  # fmt: skip
    import boto3

    from infra.tenants.__main__ import Cli
    from infra.tenants.__main__ import main as cli_main
    from infra.tenants.moto import runnable_by_moto
    from infra.tenants.stacks import Stacks

    directory = Path(tempfile.mkdtemp())
    cli = Cli(
        lambda: Stacks(boto3.Session(region_name="us-east-1"), poll_seconds=0.05, adapt=runnable_by_moto),
        directory, io.StringIO(), code=b"code",
    )  # fmt: skip
    names = [f"bench{i:02d}" for i in range(TENANTS)]
    deploys = []
    for name in names:
        cli_main(["new", name, "--tenant-name", name, "--mail-from", f"b@{name}.example"], cli)
        started = time.perf_counter()
        assert cli_main(["deploy", name, "--release", "r1"], cli) == 0
        deploys.append(time.perf_counter() - started)
    print(f"deploy (create) per tenant: median {statistics.median(deploys):.1f} s, "
          f"min {min(deploys):.1f} s, max {max(deploys):.1f} s")  # fmt: skip
    for release, wave in (("r2", 1), ("r3", 5)):
        started = time.perf_counter()
        assert cli_main(["upgrade", "--all", "--wave", str(wave), "--release", release], cli) == 0
        print(f"upgrade --all of {TENANTS} tenants, waves of {wave}: {time.perf_counter() - started:.1f} s")
    server.stop()


if __name__ == "__main__":
    main()
