"""Real Chromium (Debian's /usr/bin/chromium; Playwright cannot download browsers here) against the
local portal served over HTTP on a free loopback port, seeded with the `make run` demo tenant."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import make_server

from shared.settings import forget as forget_settings
from tests.support import DemoTenant, PortalHandle

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def base_url(portal: PortalHandle, demo: DemoTenant) -> Iterator[str]:
    """The portal as `make run` serves it: every function from its own container processes (a handler's
    error crosses a process boundary as in Lambda); the tests' own API calls stay in process."""
    containers = int(os.environ.get("BROWSER_CONTAINERS", "2"))
    gateway = portal.local.concurrent_gateway(containers=containers) if containers else portal.gateway
    # Warm, as a portal in use is: the journeys' timeouts are for the pages, not for 30 cold starts.
    functions = {compiled.route.function for compiled in gateway.routes} | {gateway.authorizer.function}
    gateway.invoker.prestart(sorted(functions))
    server = make_server("127.0.0.1", 0, gateway, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    previous, os.environ["PORTAL_URL"] = os.environ.get("PORTAL_URL", ""), url  # links in emails
    forget_settings()  # the functions read their environment once: read it again
    try:
        yield url
    finally:
        os.environ["PORTAL_URL"] = previous
        forget_settings()
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Every journey also proves the app runs under the portal's Content-Security-Policy: Chromium
    # reports each blocked script, style or connection on the console.
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", watch)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
        assert not violations, f"the page broke its Content-Security-Policy: {violations}"
    finally:
        context.close()
