"""Each service owns its tables: template.yaml lets a function reach (IAM policy, environment) only
the tables of its own service, and every pynamodb model of a service maps one of its own tables. A
service learns other services' facts from their events, into a projection in its own table."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from infra.local.template import ROOT, load, resources_of_type

TABLE_NAME = re.compile(r"^((?:[A-Z][a-z]+)+)Table$")  # <Service>Table: the service that owns it
HANDLER = re.compile(r"^services\.([a-z_]+)\.")


def table_owners(template: dict[str, Any]) -> dict[str, str]:
    owners = {}
    for name in resources_of_type(template, "AWS::DynamoDB::Table"):
        match = TABLE_NAME.match(name)
        assert match, f"name the table {name} <Service>Table after the service that owns it"
        service = re.sub(r"(?<!^)(?=[A-Z])", "_", match.group(1)).lower()  # CreditNotes → credit_notes
        assert (ROOT / "services" / service).is_dir(), f"{name}: no service {service} owns it"
        owners[name] = service
    return owners


def referenced(node: Any, names: set[str]) -> set[str]:
    """Logical ids of `names` that a template node refers to (Ref, Fn::GetAtt, ${…} in Fn::Sub)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and value in names:
                found.add(value)
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) else str(value).split(".")[0]
                if target in names:
                    found.add(target)
            found |= referenced(value, names)
    elif isinstance(node, list):
        for value in node:
            found |= referenced(value, names)
    elif isinstance(node, str):
        found |= {n for n in re.findall(r"\$\{([A-Za-z0-9]+)[.}]", node) if n in names}
    return found


def foreign_tables(template: dict[str, Any]) -> list[str]:
    """'<function> (<service>) → <table> (<owner>)' for every reach into another service's table."""
    owners = table_owners(template)
    problems = []
    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {})
    for table in sorted(referenced(globals_env, set(owners))):
        problems.append(f"Globals (every function) → {table} ({owners[table]})")
    for name, function in resources_of_type(template, "AWS::Serverless::Function").items():
        properties = function["Properties"]
        match = HANDLER.match(properties["Handler"])
        assert match, f"{name}: handler {properties['Handler']} is not in services/<service>/"
        service = match.group(1)
        reach = {k: properties.get(k) for k in ("Policies", "Environment", "Events")}
        for table in sorted(referenced(reach, set(owners))):
            if owners[table] != service:
                problems.append(f"{name} ({service}) → {table} ({owners[table]})")
    return problems


def test_every_function_reaches_only_its_own_services_tables() -> None:
    problems = foreign_tables(load())
    assert not problems, f"only the owning service may read or write its table: {problems}"


@pytest.mark.parametrize(
    "mutation",
    [
        lambda r: r["InvoicesApiFunction"]["Properties"]["Policies"][0]["Statement"].append(
            {
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem"],
                "Resource": {"Fn::GetAtt": ["CustomersTable", "Arn"]},
            }
        ),
        lambda r: r["AuthApiFunction"]["Properties"]["Environment"]["Variables"].update(
            {"CUSTOMERS_TABLE_NAME": {"Ref": "CustomersTable"}}
        ),
        lambda r: r["NotificationsApiFunction"]["Properties"]["Policies"][0]["Statement"].append(
            {
                "Effect": "Allow",
                "Action": ["dynamodb:Query"],
                "Resource": {"Fn::Sub": "${CustomersTable.Arn}/index/*"},
            }
        ),
    ],
)
def test_the_check_finds_a_grant_on_another_services_table(mutation: Any) -> None:
    template = copy.deepcopy(load())
    mutation(template["Resources"])
    assert foreign_tables(template)


def test_every_services_models_map_its_own_tables(portal: Any) -> None:
    """pynamodb models of services/<svc>/ name only <Svc>Table (a store cannot model another's)."""
    import importlib

    from pynamodb.models import Model

    from shared.dynamo import KeyedRecord

    owners = table_owners(load())
    table_of = {service: portal.local.stack.ref(table) for table, service in owners.items()}
    modules = [
        "services.auth.store",
        "services.auth.directory_store",
        "services.customers.store",
        "services.invoices.store",
        "services.invoices.directory_store",
        "services.invoices.payments_store",
        "services.estimates.store",
        "services.estimates.directory_store",
        "services.credit_notes.store",
        "services.credit_notes.directory_store",
        "services.notifications.store",
        "services.notifications.directory_store",
        "services.payments.store",
        "services.payments.directory_store",
        "services.subscriptions.store",
        "services.subscriptions.directory_store",
    ]
    seen = 0
    for module_name in modules:
        service = module_name.split(".")[1]
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Model) and value not in (Model, KeyedRecord):
                if value.__module__ != module_name and not value.__module__.startswith("shared."):
                    continue  # re-exported from another module of the service: checked there
                assert value.Meta.table_name == table_of[service], (module_name, value.__name__)
                seen += 1
    assert seen >= 7
