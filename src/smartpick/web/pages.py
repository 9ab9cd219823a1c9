"""Page contexts and their rendering: one typed dataclass per page, shown as HTML or JSON.

A route builds its page dataclass and returns ``render(request, page)``. The same URL answers JSON
with ``?format=json`` or ``Accept: application/json`` (datasette's pattern), so every page's data is
testable and scriptable without scraping HTML.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup

from smartpick.data import bundled_catalogue
from smartpick.domain.wording import plural_word
from smartpick.present.labels import name_programs, plain
from smartpick.web.deps import Viewer
from smartpick.web.profile_form import label_of
from smartpick.web.security import csrf_token

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
FLASH_KEY = "flash"
BodyT = TypeVar("BodyT", str, bytes)


@dataclass(frozen=True)
class Link:
    """A link to a named route; ``profile`` links take the ``profile_id`` path parameter."""

    label: str
    route: str


@dataclass(frozen=True)
class Feature:
    """One user task's routes plus where its pages appear in the navigation.

    Attributes:
        name: short identifier.
        router: the task's routes (pages and ``/api/v1`` endpoints).
        nav: links in the top navigation.
        profile_links: links shown on each profile's page (routes taking ``profile_id``).
        multi_only: only mounted in multi-user mode (accounts, sharing).
    """

    name: str
    router: APIRouter
    nav: tuple[Link, ...] = ()
    profile_links: tuple[Link, ...] = ()
    multi_only: bool = False


@dataclass(frozen=True)
class Page:
    """Base of every page context; subclasses set ``template``."""

    template: ClassVar[str]
    title: str

    def to_json(self) -> Any:
        """The page's data as JSON-ready values."""
        return jsonable_encoder(self)


@dataclass(frozen=True)
class NavItem:
    """A resolved navigation link."""

    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Chrome:
    """What the layout around every page shows: navigation, viewer, CSRF token, data version."""

    viewer: Viewer | None
    csrf_token: str
    nav: tuple[NavItem, ...]
    multi_user: bool
    data_version: str
    data_date: str
    flash: str | None = None
    profile_links: tuple[Link, ...] = field(default=())


def make_templates() -> Jinja2Templates:
    """The Jinja2 environment of the app (autoescaping on for HTML)."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    templates.env.globals["path_for"] = _path_for
    templates.env.filters["label"] = label_of
    templates.env.filters["plain"] = plain
    templates.env.finalize = _finalize
    templates.env.globals["program_name"] = program_name
    templates.env.filters["num"] = _num
    templates.env.filters["pct"] = pct
    templates.env.filters["usd"] = usd
    templates.env.filters["noun_for"] = noun_for
    return templates


def noun_for(word: str, n: float) -> str:
    """The word in the form that goes with the count, as a template filter on the word."""
    return plural_word(n, word)


def program_name(program_id: object) -> str:
    """A program's name from the bundled catalogue (the id itself when the catalogue does not know it)."""
    from smartpick.services.catalogue import current_catalogue

    global _NAMES
    if _NAMES is None:
        _NAMES = {p.id: p.name for p in current_catalogue(None).programs}
    pid = str(program_id)
    return _NAMES.get(pid, f"program {pid}")


_NAMES: dict[str, str] | None = None


def _finalize(value: object) -> object:
    """Every sentence a template prints, in plain words and with programs named.

    Sentences pass through `plain` (guides by title, plurals, no enum spellings) and `name_programs`.

    Single words (ids, form values, enum values in attributes) are left alone: those are what forms send back.
    """
    if isinstance(value, str) and not isinstance(value, Markup) and " " in value:
        if any(ch.isdigit() for ch in value):
            program_name("")  # loads the names
            value = name_programs(value, _NAMES or {})
        return plain(value)
    return value


def pct(value: float | None) -> str:
    """A probability as a whole percent (``<1%`` rather than a misleading ``0%``)."""
    if value is None:
        return "unknown"
    return f"{value * 100:.0f}%" if value >= 0.01 or value == 0 else "<1%"


def usd(value: float | None) -> str:
    """Dollars without cents."""
    return "unknown" if value is None else f"${value:,.0f}"


def _num(value: object) -> str:
    """Whole floats without the ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pass_context
def _path_for(context: Mapping[str, Any], name: str, /, **params: Any) -> str:
    """A route's path (relative URLs keep working behind a proxy)."""
    request: Request = context["request"]
    return route_path(request, name, **params)


PATH_CACHE_SIZE = 4096


def route_path(request: Request, name: str, /, **params: Any) -> str:
    """``app.url_path_for`` remembered per app: the lookup walks every route, the answer never changes."""
    cache: OrderedDict[Hashable, str] | None = getattr(request.app.state, "route_paths", None)
    if cache is None:
        cache = request.app.state.route_paths = OrderedDict()
    key = (name, tuple(sorted((k, str(v)) for k, v in params.items())))
    path = cache.get(key)
    if path is None:
        path = cache[key] = str(request.app.url_path_for(name, **params))
        if len(cache) > PATH_CACHE_SIZE:
            cache.popitem(last=False)
    return path


def wants_json(request: Request) -> bool:
    """``?format=json`` or an ``Accept`` header that puts JSON first."""
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return accept.split(",")[0].strip().startswith("application/json")


def flash(request: Request, message: str) -> None:
    """A one-time message shown on the next page (e.g. after a redirect)."""
    request.session[FLASH_KEY] = message


def chrome(request: Request) -> Chrome:
    """The layout context for this request."""
    app = request.app
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is None and not hasattr(request.state, "viewer"):
        viewer = _viewer_of(request)  # a page no route answered (404): still show who is signed in
    catalogue = bundled_catalogue()
    nav = tuple(
        NavItem(link.label, route_path(request, link.route), _is_current(request, link.route))
        for link in app.state.nav
    )
    return Chrome(
        viewer=viewer,
        csrf_token=csrf_token(request.session),
        nav=nav,
        multi_user=app.state.settings.multi_user,
        data_version=catalogue.version,
        data_date=catalogue.date,
        flash=request.session.pop(FLASH_KEY, None),
        profile_links=app.state.profile_links,
    )


def _viewer_of(request: Request) -> Viewer | None:
    """Who is signed in, for pages rendered outside a route (error pages)."""
    from smartpick.web.deps import LOCAL_VIEWER, _signed_in

    if not request.app.state.settings.multi_user:
        return LOCAL_VIEWER
    with request.app.state.sessionmaker() as session:
        return _signed_in(request, session)


def _is_current(request: Request, route: str) -> bool:
    path = route_path(request, route)
    here = request.url.path
    return here == path or (path != "/" and here.startswith(path.rstrip("/") + "/"))


def render(request: Request, page: Page, *, status_code: int = 200) -> Response:
    """The page as HTML (its template inside the layout) or as JSON."""
    if wants_json(request):
        return JSONResponse(page.to_json(), status_code=status_code)
    templates: Jinja2Templates = request.app.state.templates
    context = {"page": page, "chrome": chrome(request)}
    return templates.TemplateResponse(request, page.template, context, status_code=status_code)


class BodyCache(Generic[BodyT]):
    """Rendered page bodies that do not depend on the viewer, kept per key and source objects.

    An entry is reused only while the objects it was rendered from are the very same objects (for
    example the catalogue that the catalogue cache keeps until a newer fact import), so a new
    catalogue or figures version renders afresh. Bounded (least recently used entries are dropped).
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[tuple[object, ...], str, BodyT]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, sources: tuple[object, ...]) -> tuple[str, BodyT] | None:
        """``(title, body)`` rendered from exactly ``sources``, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or len(entry[0]) != len(sources):
                return None
            if not all(a is b for a, b in zip(entry[0], sources, strict=True)):
                return None
            self._entries.move_to_end(key)
            return entry[1], entry[2]

    def put(self, key: Hashable, sources: tuple[object, ...], title: str, body: BodyT) -> None:
        """Remember a rendered body."""
        with self._lock:
            self._entries[key] = (sources, title, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _body_cache(request: Request) -> BodyCache[str]:
    cache: BodyCache[str] | None = getattr(request.app.state, "page_bodies", None)
    if cache is None:
        cache = request.app.state.page_bodies = BodyCache()
    return cache


def render_cached(
    request: Request, key: Hashable, sources: tuple[object, ...], make_page: Callable[[], Page]
) -> Response:
    """Like :func:`render`, but the page's content block is rendered once per ``key`` and ``sources``.

    For pages whose content does not depend on who is viewing. The layout around it (the viewer, the CSRF
    token, the navigation, flash messages) is this request's own: rendered once per distinct layout and
    title and kept beside the bodies (see `Layouts`). ``sources`` are the objects the content is computed
    from (catalogue, figures, a memoised recommendation).
    """
    if wants_json(request):
        return render(request, make_page())
    hit = _body_cache(request).get(key, sources)
    layout = chrome(request)
    if hit is None:  # render the whole page as usual, then keep its content block
        return HTMLResponse(_render_and_keep(request, key, sources, make_page(), layout))
    title, body = hit
    head, tail = _layouts(request).around(request, layout, title)
    return HTMLResponse(head + body + tail)


def _render_and_keep(
    request: Request, key: Hashable, sources: tuple[object, ...], page: Page, layout: Chrome
) -> str:
    templates: Jinja2Templates = request.app.state.templates
    template = templates.env.get_template(page.template)
    context = template.new_context({"page": page, "request": request, "chrome": layout})
    html = "".join(template.root_render_func(context))  # also runs the template's top-level imports
    _body_cache(request).put(key, sources, page.title, "".join(template.blocks["content"](context)))
    return html


class Layouts:
    """The layout (``base.html``) around a cached body, rendered once per distinct chrome and title.

    The layout is a function of the `Chrome` (viewer, CSRF token, navigation, data version) and the title
    only, so it is rendered around a marker once and kept as the text before and after it. A layout with
    a flash message is shown once and never kept. Bounded (least recently used entries are dropped).
    """

    MARK = "\x00smartpick-body\x00"

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Chrome, str], tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def around(self, request: Request, layout: Chrome, title: str) -> tuple[str, str]:
        """The page's text before and after its content block."""
        key = (layout, title)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        head, tail = self._render(request, layout, title)
        if layout.flash is None:
            with self._lock:
                self._entries[key] = (head, tail)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return head, tail

    def _render(self, request: Request, layout: Chrome, title: str) -> tuple[str, str]:
        templates: Jinja2Templates = request.app.state.templates
        values = {"page": _Titled(title), "chrome": layout, "body": Markup(self.MARK), "request": request}
        html = templates.env.get_template("_cached_body.html").render(values)
        head, tail = html.split(self.MARK)
        return head, tail


def _layouts(request: Request) -> Layouts:
    cache: Layouts | None = getattr(request.app.state, "layouts", None)
    if cache is None:
        cache = request.app.state.layouts = Layouts()
    return cache


def cached_json(
    request: Request, key: Hashable, sources: tuple[object, ...], make_document: Callable[[], Any]
) -> Response:
    """A JSON answer serialised once per ``key`` and ``sources``, with an ``ETag`` (``304`` when it matches).

    For answers that do not depend on who asks (the catalogue), like :func:`render_cached`.
    """
    cache = _json_cache(request)
    hit = cache.get(key, sources)
    if hit is None:
        body = bytes(JSONResponse(make_document()).body)
        hit = (f'"{hashlib.sha256(body).hexdigest()[:32]}"', body)
        cache.put(key, sources, *hit)
    etag, body = hit
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    sent = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in sent or etag in sent


def _json_cache(request: Request) -> BodyCache[bytes]:
    """Serialised JSON answers: the cache's "title" slot holds the answer's ETag."""
    cache: BodyCache[bytes] | None = getattr(request.app.state, "json_bodies", None)
    if cache is None:
        cache = request.app.state.json_bodies = BodyCache(size=64)
    return cache


@dataclass(frozen=True)
class _Titled:
    """What the layout reads from a page whose body was rendered before."""

    title: str
