"""The tenant's staff directory: the user pool's `staff` group. The only module of this service that
calls Cognito (as services/auth/cognito.py is for auth)."""

from __future__ import annotations

from functools import cache
from typing import Any

from services.notifications.logic.records import StaffMember
from services.notifications.settings import Consumer
from shared.settings import load

STAFF_GROUP = "staff"


@cache
def _cognito() -> Any:
    from shared.aws import client  # lazily: only the consumer reads the staff directory

    return client("cognito-idp")


def staff_members() -> list[StaffMember]:
    """Every enabled member of the `staff` group with an email, every page of it."""
    members: list[StaffMember] = []
    paginator = _cognito().get_paginator("list_users_in_group")
    for page in paginator.paginate(UserPoolId=load(Consumer).user_pool_id, GroupName=STAFF_GROUP):
        for user in page.get("Users", []):
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            if user.get("Enabled", True) and attributes.get("email"):
                members.append(
                    StaffMember(
                        subject=attributes.get("sub") or user["Username"],
                        email=attributes["email"],
                        name=attributes.get("given_name"),
                    )
                )
    return members
