"""Notifications HTTP API (chalice): the activity feed of a customer's contacts, the staff feed, and
staff members' notification preferences. Routes only; every route is listed in template.yaml."""

from __future__ import annotations

from chalice import Response

from services.notifications.logic import use_cases
from services.notifications.schemas import FeedQuery, StaffFeedQuery, StaffPreferencesUpdate
from shared.api import create_app, json_response, parse_body, parse_query, principal

app = create_app("notifications")


@app.route("/activity", methods=["GET"])
def activity() -> Response:
    return json_response(use_cases.customer_feed(principal(app), parse_query(app, FeedQuery)))


@app.route("/activity/unread", methods=["GET"])
def activity_unread() -> Response:
    return json_response(use_cases.customer_unread(principal(app)))


@app.route("/activity/read", methods=["POST"])
def activity_read() -> Response:
    return json_response(use_cases.customer_mark_read(principal(app)))


@app.route("/staff/activity", methods=["GET"])
def staff_activity() -> Response:
    caller = principal(app)
    caller.require_staff()
    return json_response(use_cases.staff_feed(caller, parse_query(app, StaffFeedQuery)))


@app.route("/staff/activity/read", methods=["POST"])
def staff_activity_read() -> Response:
    return json_response(use_cases.staff_mark_read(principal(app)))


@app.route("/staff/notifications/preferences", methods=["GET"])
def staff_preferences() -> Response:
    return json_response(use_cases.staff_preferences(principal(app)))


@app.route("/staff/notifications/preferences", methods=["PUT"])
def put_staff_preferences() -> Response:
    caller = principal(app)
    caller.require_staff()
    return json_response(use_cases.set_staff_preferences(caller, parse_body(app, StaffPreferencesUpdate)))
