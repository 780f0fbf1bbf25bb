"""Cold start: the import time of every Lambda handler module of template.yaml in a fresh interpreter,
as a ratio to `import boto3` alone measured in the same run (goal ≤ 1.5×)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from dataclasses import dataclass

from infra.local.template import load, resources_of_type

GOAL = 1.5


@dataclass(frozen=True)
class ColdStart:
    module: str
    seconds: float
    ratio: float


def import_seconds(module: str, runs: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"AWS_DEFAULT_REGION": "us-east-1", "PATH": ""},
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def handler_modules() -> list[str]:
    functions = resources_of_type(load(), "AWS::Serverless::Function")
    return sorted({str(f["Properties"]["Handler"]).rpartition(".")[0] for f in functions.values()})


def measure(runs: int = 7) -> tuple[float, list[ColdStart]]:
    # boto3 is measured between the handlers too, so a machine that slows down mid-run shows.
    baseline = statistics.median(import_seconds("boto3", runs) for _ in range(3))
    results = []
    for module in handler_modules():
        seconds = import_seconds(module, runs)
        results.append(ColdStart(module, seconds, seconds / baseline))
    return baseline, results
