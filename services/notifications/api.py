"""Notifications HTTP API (chalice): the activity feed of a customer's contacts, the staff feed, and
staff members' notification preferences. Routes only; every route is listed in template.yaml."""

from __future__ import annotations

from chalice import Response

from services.notifications.logic import use_cases
from services.notifications.schemas import (
    ActivityPage,
    FeedQuery,
    StaffFeedQuery,
    StaffPreferencesUpdate,
    StaffPreferencesView,
    UnreadCount,
)
from services.notifications.settings import Settings
from shared.api import create_app, json_response, parse_body, parse_query, principal
from shared.contract import operation

app = create_app("notifications", Settings)


@app.route("/activity", methods=["GET"])
@operation(
    "The activity of the caller's customer, newest first, a page at a time, with the unread count",
    access="customer",
    query=FeedQuery,
    response=ActivityPage,
    module="invoices",
)
def activity() -> Response:
    return json_response(use_cases.customer_feed(principal(app), parse_query(app, FeedQuery)))


@app.route("/activity/unread", methods=["GET"])
@operation(
    "How many activity entries the caller has not read",
    access="customer",
    response=UnreadCount,
    module="invoices",
)
def activity_unread() -> Response:
    return json_response(use_cases.customer_unread(principal(app)))


@app.route("/activity/read", methods=["POST"])
@operation(
    "Mark the caller's activity feed read up to its newest entry",
    access="customer",
    response=UnreadCount,
    module="invoices",
)
def activity_read() -> Response:
    return json_response(use_cases.customer_mark_read(principal(app)))


@app.route("/staff/activity", methods=["GET"])
@operation(
    "All activity, newest first, optionally of one customer and/or one type, with the unread count",
    access="staff",
    query=StaffFeedQuery,
    response=ActivityPage,
)
def staff_activity() -> Response:
    caller = principal(app)
    caller.require_staff()
    return json_response(use_cases.staff_feed(caller, parse_query(app, StaffFeedQuery)))


@app.route("/staff/activity/read", methods=["POST"])
@operation("Mark the staff feed read up to its newest entry", access="staff", response=UnreadCount)
def staff_activity_read() -> Response:
    return json_response(use_cases.staff_mark_read(principal(app)))


@app.route("/staff/notifications/preferences", methods=["GET"])
@operation(
    "The caller's notification channel (email, in-app, none) per type",
    access="staff",
    response=StaffPreferencesView,
)
def staff_preferences() -> Response:
    return json_response(use_cases.staff_preferences(principal(app)))


@app.route("/staff/notifications/preferences", methods=["PUT"])
@operation(
    "Change some of the caller's notification channels",
    access="staff",
    body=StaffPreferencesUpdate,
    response=StaffPreferencesView,
)
def put_staff_preferences() -> Response:
    caller = principal(app)
    caller.require_staff()
    return json_response(use_cases.set_staff_preferences(caller, parse_body(app, StaffPreferencesUpdate)))
