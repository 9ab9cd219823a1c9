"""Errors as HTTP answers: bad input is a 4xx naming the field, never a 500 or a traceback.

API answers (and pages asked for JSON) use one shape::

    {"detail": [{"field": "profile.exams.step2_ck", "value": 400, "allowed": "...", "message": "..."}]}

Pages render the same items in an error page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from smartpick.domain.validation import dotted
from smartpick.errors import InputError, InputErrors, NotFoundError
from smartpick.web.deps import LoginRequired
from smartpick.web.limits import RequestRejected
from smartpick.web.pages import Page, render, wants_json

API_PREFIX = "/api/"
_TITLES = {404: "Not found", 403: "Not allowed", 413: "Too large", 429: "Too many attempts"}
_LOCATIONS = ("body", "query", "path", "header", "cookie")


class CsrfRejected(Exception):
    """An unsafe request without the session's CSRF token."""


class RateLimited(Exception):
    """Too many login attempts; ``retry_after`` seconds until the next is allowed."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many attempts; retry after {retry_after:.0f} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ErrorItem:
    """One problem with a request, naming the field."""

    field: str
    value: Any
    allowed: str
    message: str


@dataclass(frozen=True)
class ErrorPage(Page):
    """An error shown as a page."""

    template = "error.html"
    status: int
    detail: tuple[ErrorItem, ...]


def item_of(error: InputError, *, prefix: str = "") -> ErrorItem:
    """An `InputError` as a response item (``prefix`` locates it in the request body)."""
    field = f"{prefix}.{error.field}" if prefix and not error.field.startswith("(") else error.field
    field = prefix if error.field == "(document)" and prefix else field
    shown = InputError(field, error.value, error.allowed, source=error.source)
    return ErrorItem(field, _json_safe(error.value), error.allowed, shown.message)


def items_of(exc: InputError | InputErrors, *, prefix: str = "") -> tuple[ErrorItem, ...]:
    """Every error of an `InputError` or `InputErrors`."""
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    return tuple(item_of(e, prefix=prefix) for e in errors)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN/Infinity: echo it as text
    if value is None or isinstance(value, bool | int | float | str):
        return value if not isinstance(value, str) or len(value) <= 200 else value[:197] + "..."
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _validation_items(exc: RequestValidationError) -> tuple[ErrorItem, ...]:
    out = []
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if isinstance(p, int | str)]
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        field = dotted(loc) if loc else "(request)"
        value = None if err.get("type") == "missing" else err.get("input")
        allowed = _allowed(err)
        out.append(item_of(InputError(field, value, allowed)))
    return tuple(out)


def _allowed(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    if err.get("type") == "missing":
        return "this is required"
    if "expected" in ctx:
        return f"allowed: {ctx['expected']}".replace("'", "")
    if err.get("type") == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(err.get("msg", "invalid")).lower()


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or wants_json(request)


def error_response(request: Request, status: int, detail: tuple[ErrorItem, ...]) -> Response:
    """JSON for the API, an error page for browsers."""
    if _is_api(request):
        return JSONResponse({"detail": [vars(d) for d in detail]}, status_code=status)
    title = _TITLES.get(status, "Cannot do that")
    return render(request, ErrorPage(title=title, status=status, detail=detail), status_code=status)


def install_handlers(app: FastAPI) -> None:
    """Register the exception handlers on the app."""
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(InputErrors, _input_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfRejected, _csrf)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(RequestRejected, _rejected)
    app.add_exception_handler(StarletteHTTPException, _http)


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFoundError)
    return error_response(request, 404, items_of(exc))


async def _input_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError | InputErrors)
    return error_response(request, 422, items_of(exc))


async def _request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(request, 422, _validation_items(exc))


async def _rejected(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestRejected)
    return error_response(request, exc.status, items_of(exc.error))


async def _login_required(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        item = ErrorItem("session", None, "sign in first (POST /api/v1/session)", "session: sign in first")
        return JSONResponse({"detail": [vars(item)]}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _csrf(request: Request, exc: Exception) -> Response:
    item = ErrorItem(
        "csrf_token",
        None,
        "the form's own token: reload the page and try again",
        "csrf_token: missing or stale",
    )
    return error_response(request, 403, (item,))


async def _rate_limited(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimited)
    wait = max(int(exc.retry_after + 0.999), 1)
    item = ErrorItem(
        "login", None, f"wait {wait} s before trying again", f"login: too many attempts; wait {wait} s"
    )
    response = error_response(request, 429, (item,))
    response.headers["Retry-After"] = str(wait)
    return response


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    item = ErrorItem("(request)", request.url.path, str(exc.detail), str(exc.detail))
    response = error_response(request, exc.status_code, (item,))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response
