"""What `sam build` packages is what the tests ran: the same pinned runtime dependencies."""

import tomllib
from pathlib import Path

from infra.local.template import load, resources_of_type

ROOT = Path(__file__).parents[2]


def test_lambda_requirements_are_the_pyproject_runtime_dependencies() -> None:
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if line and not line.startswith("#")] == pinned
    assert all("==" in requirement for requirement in pinned)


def test_every_function_is_built_by_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "build-%Function:" in makefile
    for name, function in resources_of_type(load(), "AWS::Serverless::Function").items():
        assert name.endswith("Function")
        assert function.get("Metadata", {}).get("BuildMethod") == "makefile", name
