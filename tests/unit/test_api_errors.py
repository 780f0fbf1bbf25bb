"""Domain errors are plain exceptions; shared.api is the one place they become HTTP."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import chalice

from shared import errors
from shared.api import create_app
from shared.contract import operation
from shared.settings import EnvSettings

ROOT = Path(__file__).resolve().parents[2]


def _event(path: str) -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": "GET",
        "headers": {},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "body": None,
        "isBase64Encoded": False,
        "requestContext": {"resourcePath": path, "httpMethod": "GET", "requestId": "r1"},
    }


def test_domain_errors_know_nothing_of_chalice() -> None:
    for error in [errors.DomainError, errors.NotFound, errors.TooManyAttempts]:
        assert not any(base.__module__.startswith("chalice") for base in error.__mro__)
    tree = ast.parse((ROOT / "shared" / "errors.py").read_text())
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not any(name.startswith("chalice") for name in imported)


def test_a_route_answers_a_domain_error_as_the_portals_error_body_and_anything_else_as_a_500() -> None:
    app = create_app("example", EnvSettings)

    @app.route("/missing", methods=["GET"])
    @operation("An example", access="public")
    def missing() -> None:
        raise errors.NotFound("No such thing.", {"id": "x"})

    @app.route("/slow", methods=["GET"])
    @operation("An example", access="public")
    def slow() -> None:
        raise errors.TooManyAttempts("Wait.", 7)

    @app.route("/broken", methods=["GET"])
    @operation("An example", access="public")
    def broken() -> None:
        raise RuntimeError("bug")

    answer = app(_event("/missing"), None)
    assert answer["statusCode"] == 404
    assert json.loads(answer["body"]) == {
        "error": {"code": "not_found", "message": "No such thing.", "details": {"id": "x"}}
    }
    slow_answer = app(_event("/slow"), None)
    assert slow_answer["statusCode"] == 429 and slow_answer["headers"]["Retry-After"] == "7"
    broken_answer = app(_event("/broken"), None)
    assert broken_answer["statusCode"] == 500
    assert json.loads(broken_answer["body"])["error"]["code"] == "internal_error"
    assert isinstance(app, chalice.Chalice)


def _imports(path: Path) -> set[str]:
    """Every services.* module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("services"):
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("services")}
    return found


def test_the_service_modules_import_no_loop() -> None:
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts): path
        for path in (ROOT / "services").rglob("*.py")
        if path.name != "__init__.py"
    }
    graph = {name: _imports(path) & set(modules) for name, path in modules.items()}
    lazy = {"lazy_module"}  # `store = lazy_module("…")` is an import too
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in lazy and node.args:
                target = getattr(node.args[0], "value", None)
                if target in modules:
                    graph[name].add(target)

    def loop_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return [*path, nxt]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    loops = [loop for name in graph if (loop := loop_from(name))]
    assert not loops, loops[0]
