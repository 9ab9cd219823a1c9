"""Request limits enforced before any route runs: body size, and JSON that SmartPick can answer about.

* A body larger than ``max_body_bytes`` is refused with 413 (by its ``Content-Length``, or while it streams
  in when the length is not declared), so a 100 MB upload is never read into memory.
* A JSON body is parsed here once: ``NaN``, ``Infinity`` and ``-Infinity`` (which JSON does not define and
  Python's parser accepts) and nesting deeper than `MAX_DEPTH` are refused with 422 in the API's error shape,
  naming the field, so no handler sees a value it cannot store or echo back.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartpick.errors import InputError
from smartpick.services.files import MAX_DEPTH, check_depth

REJECTED_KEY = "smartpick_rejected"
"""Where a page request's rejection waits (in ``scope["state"]``) for `raise_rejected` to raise it."""


class _BodyTooLarge(Exception):
    pass


class RequestRejected(Exception):
    """A request refused by `RequestLimits`: its status and the error naming the problem."""

    def __init__(self, status: int, error: InputError) -> None:
        super().__init__(error.message)
        self.status = status
        self.error = error


def _reject_constant(name: str) -> float:
    raise InputError("(request)", name, "finite numbers only (JSON has no NaN or Infinity)")


def parse_json_strict(body: bytes) -> Any:
    """JSON without NaN/Infinity and without deep nesting.

    Raises:
        InputError: not JSON, a non-finite number, or nesting deeper than `MAX_DEPTH`.
    """
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except RecursionError:
        raise InputError(
            "(request)", "deeply nested JSON", f"at most {MAX_DEPTH} levels of nesting"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise InputError("(request)", None, f"valid JSON ({exc.msg} at position {exc.pos})") from None
        raise InputError("(request)", None, "valid UTF-8 JSON") from None
    check_depth(data, "(request)")
    return data


class RequestLimits:
    """Pure ASGI middleware: body size limit for every request, strict JSON for JSON bodies."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request; pass it on with its body replayed, or answer 413/422 here."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        too_large = InputError("(request)", "the request body", f"at most {self.max_body_bytes:,} bytes")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._reject(scope, receive, send, 413, too_large)
            return
        try:
            body = await self._read(receive)
        except _BodyTooLarge:
            await self._reject(scope, receive, send, 413, too_large)
            return
        if _is_json(headers.get("content-type", "")) and body.strip():
            try:
                parse_json_strict(body)
            except InputError as exc:
                await self._reject(scope, receive, send, 422, exc)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, status: int, exc: InputError) -> None:
        """API requests get the JSON error here; pages get it raised inside the app (styled error page)."""
        if scope["path"].startswith("/api/"):
            await _answer(send, status, exc, close=status == 413)
            return
        scope.setdefault("state", {})[REJECTED_KEY] = RequestRejected(status, exc)
        await self.app(scope, _replay(b"", receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _is_json(content_type: str) -> bool:
    ctype = content_type.split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _answer(send: Send, status: int, exc: InputError, *, close: bool = False) -> None:
    item = {"field": exc.field, "value": exc.value, "allowed": exc.allowed, "message": exc.message}
    payload = json.dumps({"detail": [item]}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
