"""`make bench`: figures, not assertions. Cold-start import time of every Lambda handler module in a
fresh interpreter, as a ratio to `import boto3` alone measured in the same run."""

from __future__ import annotations

import statistics
import subprocess
import sys

from infra.local.template import load, resources_of_type

RUNS = 5


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"AWS_DEFAULT_REGION": "us-east-1", "PATH": ""},
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def main() -> None:
    functions = resources_of_type(load(), "AWS::Serverless::Function")
    modules = sorted({f["Properties"]["Handler"].rpartition(".")[0] for f in functions.values()})
    baseline = import_seconds("boto3")
    print(f"cold import, median of {RUNS} fresh interpreters (goal ≤ 1.5× boto3)")
    print(f"{'module':40} {'ms':>8} {'× boto3':>8}")
    print(f"{'boto3':40} {baseline * 1000:8.0f} {1.0:8.2f}")
    for module in modules:
        seconds = import_seconds(module)
        print(f"{module:40} {seconds * 1000:8.0f} {seconds / baseline:8.2f}")


if __name__ == "__main__":
    main()
