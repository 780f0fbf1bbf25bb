"""Time travel for the local run (`/_local/clock`, `make run` only; never in template.yaml): moves this
tenant's schedule clock forward (+1 hour, +1 day, +1 week, +1 month) and runs every scheduled function
of the template at the new instant, so a newcomer can watch a renewal, a trial's reminder and end, and a
dunning retry happen, then see their invoices, emails (`/_local/mail`) and activity.

Only the schedules see the moved clock (the worker runs them at real time + the offset from then on);
the API keeps real time, so what a contact previews is priced at the real instant. Each tenant of
`make run` is its own process, so each has its own clock.

  GET  /_local/clock               the clock and the buttons
  POST /_local/clock/advance       form `by` = 1h | 1d | 7d | 1m: move on, run the schedules
  POST /_local/clock/reset         back to real time (what already happened stays)
  GET  /_local/clock/state.json    {"offset_seconds", "now", "last_run"} for scripts
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from shared.ids import utc_now

if TYPE_CHECKING:
    from infra.local.gateway import LocalPage
    from infra.local.provision import Stack
    from infra.local.worker import Worker

PREFIX = "/_local/clock"
STEPS = {"1h": "+1 hour", "1d": "+1 day", "7d": "+1 week", "1m": "+1 month"}


def add_months(at: datetime, months: int) -> datetime:
    """The same day next month, clamped to its last day (Jan 31 → Feb 28/29)."""
    index = at.month - 1 + months
    year, month = at.year + index // 12, index % 12 + 1
    return at.replace(year=year, month=month, day=min(at.day, calendar.monthrange(year, month)[1]))


@dataclass
class LocalClock:
    """The schedule clock of this process: real time + `offset`."""

    offset: timedelta = timedelta(0)
    worker: Worker | None = None
    last_run: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return utc_now() + self.offset

    def advance(self, step: str) -> dict[str, Any]:
        now = self.now()
        if step == "1m":
            target = add_months(now, 1)
        else:
            target = now + {"1h": timedelta(hours=1), "1d": timedelta(days=1), "7d": timedelta(days=7)}[step]
        self.offset += target - now
        return self.run_schedules()

    def run_schedules(self) -> dict[str, Any]:
        """Every scheduled function, once, at the clock's instant (what it reports, by function)."""
        if self.worker is None:
            return {}
        at = self.now()
        self.worker.clock_offset = self.offset
        self.last_run = {
            "at": at.isoformat(),
            "results": {s.function: self.worker.run_schedule(s.function, at) for s in self.worker.schedules},
        }
        return self.last_run

    def reset(self) -> None:
        self.offset = timedelta(0)
        if self.worker is not None:
            self.worker.clock_offset = self.offset


CLOCK = LocalClock()


def attach(worker: Worker) -> None:
    """The worker whose schedules the clock drives (the local portal calls it once it has one)."""
    CLOCK.worker = worker
    worker.clock_offset = CLOCK.offset


def page(stack: Stack) -> LocalPage:
    def handle(request: Request) -> Response:
        rest = request.path[len(PREFIX) :].strip("/")
        if rest == "state.json":
            return Response(json.dumps(_state()), content_type="application/json")
        if request.method == "POST" and rest == "advance":
            step = request.form.get("by", "")
            if step not in STEPS:
                return Response(
                    "by must be one of " + ", ".join(STEPS), status=400, content_type="text/plain"
                )
            CLOCK.advance(step)
            return _back()
        if request.method == "POST" and rest == "reset":
            CLOCK.reset()
            return _back()
        if rest:
            return Response("Not found", status=404, content_type="text/plain")
        return Response(_html(), content_type="text/html; charset=utf-8")

    return handle


def _state() -> dict[str, Any]:
    return {
        "offset_seconds": int(CLOCK.offset.total_seconds()),
        "now": CLOCK.now().isoformat(),
        "last_run": CLOCK.last_run,
    }


def _back() -> Response:
    return Response(status=303, headers={"Location": PREFIX})


def _html() -> str:
    buttons = "".join(
        f'<button type="submit" name="by" value="{key}">{escape(label)}</button> '
        for key, label in STEPS.items()
    )
    ran = (
        f"<h2>Last run at {escape(CLOCK.last_run['at'])}</h2><pre>"
        + escape(json.dumps(CLOCK.last_run["results"], indent=2))
        + "</pre>"
        if CLOCK.last_run
        else "<p>No run yet.</p>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local clock</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:50rem}}button{{padding:.5rem 1rem}}
pre{{background:#f3f4f6;padding:1rem}}</style></head>
<body><h1>Local clock (schedules only)</h1>
<p>Schedule time: <strong>{escape(CLOCK.now().strftime("%Y-%m-%d %H:%M:%S UTC"))}</strong>
(real time + {escape(str(CLOCK.offset))}).</p>
<form method="post" action="{PREFIX}/advance">{buttons}</form>
<form method="post" action="{PREFIX}/reset"><button type="submit">Back to real time</button></form>
<p>Each step runs every scheduled function of the template (the subscriptions' renewal job: renewals,
trial reminders and ends, term ends, pause ends, auto-charge retries) at the new time. The events it
causes are delivered within a second; see <a href="/_local/mail">the mailbox</a> and the portal.
The API keeps real time.</p>
{ran}
</body></html>"""
