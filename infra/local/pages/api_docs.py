"""The API reference (`/api/docs`, `make run` only): Swagger UI over the portal's OpenAPI document,
generated from the running code (the same as the committed openapi/openapi.json when that is current).
Swagger UI's files come from the pinned PyPI package swagger-ui-py and are served from here: no CDN.

  /api/docs                 Swagger UI ("Authorize" takes the ID token from POST /auth/login)
  /api/docs/openapi.json    the OpenAPI 3.1 document
  /api/docs/init.js         starts Swagger UI (a file: the page runs under the portal's CSP)
  /api/docs/static/<file>   Swagger UI's JavaScript and CSS
"""

from __future__ import annotations

import importlib.util
import json
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from infra.local.gateway import LocalPage
    from infra.local.provision import Stack

PREFIX = "/api/docs"
ASSETS = (
    "swagger-ui.css",
    "index.css",
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "favicon-32x32.png",
    "favicon-16x16.png",
)
HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Billing customer portal API</title>
  <link rel="stylesheet" href="{prefix}/static/swagger-ui.css">
  <link rel="stylesheet" href="{prefix}/static/index.css">
  <link rel="icon" type="image/png" href="{prefix}/static/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{prefix}/static/swagger-ui-bundle.js"></script>
  <script src="{prefix}/static/swagger-ui-standalone-preset.js"></script>
  <script src="{prefix}/init.js"></script>
</body>
</html>
"""
# A file, not an inline script: the page is served under the portal's Content-Security-Policy.
INIT_JS = """window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: "{prefix}/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  }});
}};
"""


def static_root() -> Path:
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed (make install)")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def page(stack: Stack) -> LocalPage:
    document: dict[str, Any] = {}
    root = static_root()

    def handle(request: Request) -> Response:
        rest = request.path[len(PREFIX) :].strip("/")
        if rest == "":
            return Response(HTML.format(prefix=PREFIX), content_type="text/html; charset=utf-8")
        if rest == "init.js":
            return Response(INIT_JS.format(prefix=PREFIX), content_type="text/javascript")
        if rest == "openapi.json":
            if not document:
                from openapi import build

                document.update(build(strict=False))
            return Response(json.dumps(document, indent=2), content_type="application/json")
        if rest.startswith("static/") and rest.removeprefix("static/") in ASSETS:
            path = root / rest.removeprefix("static/")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            response = Response(path.read_bytes(), content_type=content_type)
            response.headers["Cache-Control"] = "max-age=3600"
            return response
        return Response("Not found", status=404, content_type="text/plain")

    return handle
