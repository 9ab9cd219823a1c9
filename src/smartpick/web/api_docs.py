"""The API reference page (Swagger UI) served from this server: no CDN, no inline script.

The app's Content-Security-Policy (``default-src 'self'``) blocks FastAPI's default docs page, which
loads Swagger UI from a CDN and starts it with an inline script. Here the Swagger UI files come from
the ``swagger-ui-bundle-v2`` package and the start-up code is a static file of our own.

The OpenAPI document is also corrected to declare the error body the API really returns
(``{"detail": [{field, value, allowed, message}]}``) instead of FastAPI's ``{loc, msg, type}``.
"""

from __future__ import annotations

from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/api/docs"
ASSETS_PATH = "/api/docs/assets"
ERROR_STATUSES = {
    "401": "Not signed in",
    "403": "Not allowed (for example a missing CSRF token)",
    "404": "Not found",
    "413": "Request body too large",
    "422": "Bad input: each item names the field, the value and what is allowed",
    "429": "Too many failed attempts; see the Retry-After header",
}
ERROR_ITEM = {
    "title": "ErrorItem",
    "type": "object",
    "required": ["field", "value", "allowed", "message"],
    "properties": {
        "field": {"type": "string", "description": "The field, as a dotted key path"},
        "value": {"description": "The value sent (shortened), or null when missing"},
        "allowed": {"type": "string", "description": "What would be accepted"},
        "message": {"type": "string", "description": "The one-line message to show"},
    },
}
ERROR_BODY = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorItem"}}},
}
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>
"""


def install_api_docs(app: FastAPI) -> None:
    """Serve the docs page and its assets, and declare the real error body in the OpenAPI document."""
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="api_docs_assets")
    page = _PAGE.format(title=app.title, assets=ASSETS_PATH, openapi=app.openapi_url)

    @app.get(DOCS_PATH, name="swagger_ui_html", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            app.openapi_schema = with_error_bodies(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def with_error_bodies(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with SmartPick's error body on every operation's 4xx answers."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["ErrorItem"], schemas["ErrorBody"] = ERROR_ITEM, ERROR_BODY
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses[status] = {"description": description, "content": content}
    return schema
