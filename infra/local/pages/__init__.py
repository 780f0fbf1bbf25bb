"""Pages that exist only in the local run (never deployed), mounted by path prefix before the API
and the web app: one module per page, each exposing `page(stack) -> handler(request) -> response`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.local.gateway import LocalPage
    from infra.local.provision import Stack


def local_pages(stack: Stack) -> dict[str, LocalPage]:
    pages: dict[str, LocalPage] = {}
    from infra.local.pages import mailbox  # the local mailbox: emails sent through moto's SES

    pages[mailbox.PREFIX] = mailbox.page(stack)
    from infra.local.pages import api_docs  # the API reference: Swagger UI over the OpenAPI document

    pages[api_docs.PREFIX] = api_docs.page(stack)
    from infra.local.pages import time_travel  # the schedule clock: renewals, trials, dunning on demand

    pages[time_travel.PREFIX] = time_travel.page(stack)
    return pages
