"""`make bench`: figures, not assertions. Prints each table and writes bench/results.md with the
machine and date. `python -m bench cold|enumeration|propagation|list|warm|payments|statement|subscriptions`
runs one part (results.md is written only for all).

- cold start: every function's handler import plus its first request, in a fresh interpreter ÷
  `import boto3` (bench/cold_start.py);
- list latency: one customer with 100 invoices vs one with 10,000, same page size (goal ≤ 1.2×);
- warm request latency p50/p99 through the local gateway ÷ a bare moto GetItem;
- forgot password: answer time for a known vs an unknown email (no enumeration by timing);
- propagation: a portal preference change → visible in each service's own copy;
- payments: POST /payments round trips and latency, webhook → paid, the payments API's cold start;
- statement: a statement of 100 / 1,000 / 10,000 documents read, as PDF and as CSV: time and memory."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    auth_enumeration,
    authorizer_bench,
    cold_start,
    payments_bench,
    portal_bench,
    propagation,
    statement_bench,
    subscriptions_bench,
)

RESULTS = Path(__file__).resolve().parent / "results.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = ""
    return f"{cpu}, {os.cpu_count()} cores{memory}; {platform.platform()}; Python {platform.python_version()}"


def cold_table(portal: object) -> list[str]:
    results = cold_start.measure(portal)
    lines = [
        f"### Cold start: import + first request (median of {cold_start.RUNS} fresh interpreters each, "
        f"alternating with `import boto3`; goal ≤ {cold_start.GOAL}×)",
        "",
        "| function | handler | first request (replayed) | import ms | first request ms | "
        "(waiting on AWS ms) | `import boto3` ms | × boto3 | × boto3 in CPU time | goal |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verdict = "ok" if r.ratio <= cold_start.GOAL else "over"
        lines.append(
            f"| {r.function} | `{r.handler}` | {r.first_request} | {r.imported * 1000:.0f} | "
            f"{r.first * 1000:.0f} | {r.aws * 1000:.0f} | {r.baseline * 1000:.0f} | {r.ratio:.2f} | "
            f"{r.cpu_ratio:.2f} | {verdict} |"
        )
    lines += [
        "",
        "× boto3 = (import + the first request's own work) ÷ `import boto3`; the first request's waits on "
        "AWS (moto) are shown in brackets and not counted: they are the same warm or cold. CPU time is "
        "the steadier figure where other work shares the machine. The floor rows: what any function "
        "pays that reads DynamoDB on its first request (botocore loads the DynamoDB service model for "
        "its first client), and what one pays that also loads the libraries every function here uses.",
    ]
    return lines


def list_table(portal: object) -> list[str]:
    results, notes = portal_bench.list_latency(portal)
    lines = [
        f"### List latency as history grows (page of {portal_bench.PAGE}; goal ≤ 1.2×)",
        "",
        "| request | p50 ms | p99 ms | p50 ms outside DynamoDB | items read | 10,000 ÷ 100: p50 | "
        "outside DynamoDB | items read |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    half = len(results) // 2
    for small, large in zip(results[:half], results[half:], strict=True):
        for r in (small, large):
            ratios = " |  | "
            if r is large:
                outside = large.p50_outside_dynamodb / small.p50_outside_dynamodb
                items = large.items_read / max(small.items_read, 1)
                ratios = f"{large.p50 / small.p50:.2f} | {outside:.2f} | {items:.2f}"
            ms = f"{r.p50 * 1000:.1f} | {r.p99 * 1000:.1f} | {r.p50_outside_dynamodb * 1000:.1f}"
            lines.append(f"| {r.name} | {ms} | {r.items_read} | {ratios} |")
    lines += [
        "",
        "Items read is what DynamoDB bills and what bounds its latency (a Query with Limit reads one page). "
        "moto evaluates a Query by going through every item of the index partition in Python, so its "
        "own time grows with the history; the time outside DynamoDB is the portal's.",
        "",
        "; ".join(f"{k}: {v}" for k, v in notes.items()),
    ]
    return lines


def warm_table(portal: object) -> list[str]:
    baseline, results = portal_bench.warm_latency(portal)
    lines = [
        "### Warm request latency through the local gateway (200 requests each, after warm-up)",
        "",
        "| request | p50 ms | p99 ms | p50 ÷ GetItem p50 | p99 ÷ GetItem p99 |",
        "|---|---:|---:|---:|---:|",
        f"| {baseline.name} | {baseline.p50 * 1000:.2f} | {baseline.p99 * 1000:.2f} | 1.0 | 1.0 |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.p50 * 1000:.2f} | {r.p99 * 1000:.2f} | "
            f"{r.p50 / baseline.p50:.1f} | {r.p99 / baseline.p99:.1f} |"
        )
    return lines


def enumeration_table(portal: object) -> list[str]:
    figures = {**auth_enumeration.measure(portal), **auth_enumeration.measure_signup(portal)}
    lines = [
        f"### Forgot password, sign-up: known vs unknown email ({auth_enumeration.TRIES} each, interleaved)",
        "",
        "| figure | ms |",
        "|---|---:|",
    ]
    lines += [f"| {name.removesuffix(' (ms)')} | {value} |" for name, value in figures.items()]
    return lines


def authorizer_table(portal: object) -> list[str]:
    figures = authorizer_bench.measure(portal)
    lines = [
        "### Session authorizer: added latency, DynamoDB reads per 1,000 requests",
        "",
        "| figure | value |",
        "|---|---:|",
    ]
    return lines + [f"| {name} | {value} |" for name, value in figures.items()]


def main(argv: list[str]) -> None:
    parts = argv or [
        "cold",
        "enumeration",
        "authorizer",
        "propagation",
        "payments",
        "statement",
        "subscriptions",
        "list",
        "warm",
    ]
    sections: list[list[str]] = []
    if parts:
        portal = portal_bench.start_portal()
        try:
            if "cold" in parts:
                sections.append(cold_table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            if "enumeration" in parts:
                sections.append(enumeration_table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            if "authorizer" in parts:
                sections.append(authorizer_table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            if "propagation" in parts:
                sections.append(propagation.table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            if "payments" in parts:
                sections.append(payments_bench.table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            if "statement" in parts:
                sections.append(statement_bench.measure(portal))
            if "subscriptions" in parts:
                sections.append(subscriptions_bench.table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            # Warm latency first: the list benchmark leaves 10,100 invoices in the table, and moto's
            # Query time grows with the index (see the note under the list table).
            if "warm" in parts:
                sections.append(warm_table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
            if "list" in parts:
                sections.append(list_table(portal))
                print("\n".join(sections[-1]) + "\n", flush=True)
        finally:
            portal.stop()
    if not argv:
        header = [
            "# Benchmarks (`make bench`)",
            "",
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
            "Figures, not assertions: each is a ratio to a baseline measured in the same run. The local "
            "portal is moto in this process, so absolute milliseconds are moto's, not AWS's.",
            "",
        ]
        RESULTS.write_text("\n".join(header + [line for section in sections for line in [*section, ""]]))
        print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
