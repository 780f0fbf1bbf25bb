"""template.yaml as the local runtime reads it: the decoded document, intrinsic functions resolved
against what the provisioner created in moto, and the functions' routes and event sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode_str

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"


def load(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    template, problems = decode_str(path.read_text())
    if problems or template is None:
        raise ValueError(f"template.yaml could not be read: {problems}")
    return _plain(template)


def _plain(node: Any) -> Any:
    """cfn-lint's node classes → plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


@dataclass
class Resolver:
    """Resolves Ref, Fn::GetAtt, Fn::Sub, Fn::If, Fn::Equals against parameters and created resources."""

    parameters: dict[str, str]
    conditions: dict[str, Any]
    refs: dict[str, str] = field(default_factory=dict)  # logical id → physical id (what Ref returns)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)  # logical id → {Arn: …}
    region: str = "us-east-1"
    account: str = "123456789012"

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::StackName": "local",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        for source in (pseudo, self.parameters, self.refs):
            if name in source:
                return source[name]
        raise KeyError(f"Ref {name}: not created (yet)")

    def get_att(self, name: str, attribute: str) -> str:
        try:
            return self.attributes[name][attribute]
        except KeyError:
            raise KeyError(f"GetAtt {name}.{attribute}: not created (yet)") from None

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.conditions[name]))

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, value),) = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                name, attribute = value if isinstance(value, list) else value.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                return self._sub(value)
            if key == "Fn::If":
                name, when_true, when_false = value
                return self.resolve(when_true if self.condition(name) else when_false)
            if key == "Fn::Not":
                return not self.resolve(value[0])
            if key == "Fn::Equals":
                left, right = self.resolve(value)
                return left == right
            if key == "Condition" and isinstance(value, str):
                return self.condition(value)
        return {key: self.resolve(value) for key, value in node.items()}

    def _sub(self, value: str | list[Any]) -> str:
        text, variables = (value, {}) if isinstance(value, str) else (value[0], self.resolve(value[1]))

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name:
                return self.get_att(*name.split(".", 1))
            return self.ref(name)

        return re.sub(r"\$\{([^}!]+)\}", replace, text)


@dataclass(frozen=True)
class Route:
    function: str  # logical id
    path: str  # API Gateway path template, e.g. /invoices/{invoice_id}
    method: str
    public: bool


def routes(template: dict[str, Any]) -> list[Route]:
    found = []
    for name, function in resources_of_type(template, "AWS::Serverless::Function").items():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] != "Api":
                continue
            props = event["Properties"]
            public = props.get("Auth", {}).get("Authorizer") == "NONE"
            found.append(
                Route(function=name, path=props["Path"], method=props["Method"].upper(), public=public)
            )
    return found


def handler_of(template: dict[str, Any], function: str) -> str:
    return str(template["Resources"][function]["Properties"]["Handler"])
