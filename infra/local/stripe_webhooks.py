"""The local Stripe's webhooks (infra/local/stripe_local.py): each event of `WEBHOOK_EVENTS` is POSTed
after the API has answered, one at a time and in order, signed as Stripe signs them, retried a few times
when the answer is not 2xx."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.test import Client

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/api/webhooks/stripe"
WEBHOOK_EVENTS = frozenset(
    {
        "payment_intent.processing",
        "payment_intent.requires_action",
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "setup_intent.succeeded",
        "setup_intent.setup_failed",
        "charge.refunded",
        "refund.updated",
        "refund.failed",
    }
)
WEBHOOK_RETRY_DELAYS = (1.0, 2.0, 4.0)


@dataclass
class Delivery:
    event_id: str
    type: str
    payload: bytes
    attempts: int = 0
    status: int | None = None  # the last answer's status (None: not reached)


WebhookTarget = str | Callable[..., Any] | None  # a URL, a WSGI app (POSTed at WEBHOOK_PATH), or none


class Webhooks:
    """Delivers events one at a time in a thread, as Stripe does: after the API has answered."""

    def __init__(self, secret: str, delay: float = 0.05) -> None:
        self.secret = secret
        self.delay = delay
        self.target: WebhookTarget = None
        self.sent: list[Delivery] = []
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._outstanding = 0
        self._quiet = threading.Condition()
        self._timers: list[threading.Timer] = []
        self._thread = threading.Thread(target=self._run, name="local-stripe-webhooks", daemon=True)
        self._thread.start()

    def sign(self, payload: bytes, timestamp: int | None = None) -> str:
        """A `Stripe-Signature` header for `payload` (signed now, or at `timestamp`)."""
        moment = int(time.time()) if timestamp is None else timestamp
        digest = hmac.new(self.secret.encode(), f"{moment}.".encode() + payload, hashlib.sha256).hexdigest()
        return f"t={moment},v1={digest}"

    def enqueue(self, event: dict[str, Any]) -> None:
        if self.target is None:
            return
        with self._quiet:
            self._outstanding += 1
        payload = json.dumps(event, indent=2).encode()
        self._queue.put(Delivery(event_id=event["id"], type=event["type"], payload=payload))

    def wait(self, timeout: float = 10.0) -> bool:
        """Until every event so far is delivered (or given up on); False on timeout."""
        with self._quiet:
            return self._quiet.wait_for(lambda: self._outstanding == 0, timeout)

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._queue.put(None)

    def _run(self) -> None:
        while (delivery := self._queue.get()) is not None:
            time.sleep(self.delay)
            delivery.attempts += 1
            try:
                delivery.status = self._post(delivery.payload)
            except Exception as error:  # the target's failure must not end the delivery thread
                log.warning("local Stripe: webhook %s not delivered: %s", delivery.type, error)
                delivery.status = None
            if delivery.attempts == 1:
                self.sent.append(delivery)
            ok = delivery.status is not None and 200 <= delivery.status < 300
            if not ok and delivery.attempts <= len(WEBHOOK_RETRY_DELAYS):
                timer = threading.Timer(
                    WEBHOOK_RETRY_DELAYS[delivery.attempts - 1], self._queue.put, [delivery]
                )
                timer.daemon = True
                self._timers.append(timer)
                timer.start()
                continue
            if not ok:
                log.warning("local Stripe: webhook %s refused (%s)", delivery.type, delivery.status)
            with self._quiet:
                self._outstanding -= 1
                self._quiet.notify_all()

    def _post(self, payload: bytes) -> int:
        headers = {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": self.sign(payload)}
        headers["User-Agent"] = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
        target = self.target
        if isinstance(target, str):
            request = urllib.request.Request(target, data=payload, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    return int(answer.status)
            except urllib.error.HTTPError as error:
                return int(error.code)
        assert target is not None
        return Client(target).post(WEBHOOK_PATH, data=payload, headers=headers).status_code
