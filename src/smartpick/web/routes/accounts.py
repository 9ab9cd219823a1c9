"""Sign-up, login and logout pages and the session API (multi-user mode only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from smartpick.errors import HIDDEN, InputError
from smartpick.services.accounts import Role
from smartpick.web.accounts import authenticate, end_session, sign_up, start_session
from smartpick.web.deps import OptionalUserDep, SessionDep, SettingsDep
from smartpick.web.errors import ErrorItem, items_of
from smartpick.web.pages import Feature, Page, flash, render

router = APIRouter()
BAD_LOGIN = ErrorItem(
    "password", None, "the username and password of an account", "wrong username or password"
)
Text = Annotated[str, Form(max_length=1000)]


@dataclass(frozen=True)
class LoginPage(Page):
    """``/login``."""

    template = "login.html"
    next: str
    username: str
    errors: tuple[ErrorItem, ...]
    allow_signup: bool


@dataclass(frozen=True)
class SignupPage(Page):
    """``/signup``."""

    template = "signup.html"
    username: str
    errors: tuple[ErrorItem, ...]


def safe_next(target: str) -> str:
    """A same-site path to return to after login (never another site: no open redirect)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return "/"


@router.get("/login", name="login", include_in_schema=False)
def login_page(request: Request, settings: SettingsDep, next: str = "/") -> Response:
    """The login form."""
    page = LoginPage(
        title="Sign in", next=safe_next(next), username="", errors=(), allow_signup=settings.allow_signup
    )
    return render(request, page)


@router.post("/login", name="login_submit", include_in_schema=False)
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Text = "",
    password: Text = "",
    next: Text = "/",
) -> Response:
    """Check the password and start a session."""
    user = authenticate(request, session, username, password)
    if user is None:
        page = LoginPage(
            title="Sign in", next=safe_next(next), username=username, errors=(BAD_LOGIN,),
            allow_signup=settings.allow_signup,
        )  # fmt: skip
        return render(request, page, status_code=401)
    start_session(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout", include_in_schema=False)
def logout(request: Request, session: SessionDep, viewer: OptionalUserDep) -> Response:
    """Sign out (on every device)."""
    end_session(request, session, viewer.user_id if viewer else None)
    flash(request, "Signed out.")
    return RedirectResponse(str(request.app.url_path_for("login")), status_code=303)


@router.get("/signup", name="signup", include_in_schema=False)
def signup_page(request: Request, settings: SettingsDep) -> Response:
    """The sign-up form."""
    _signup_allowed(settings.allow_signup)
    return render(request, SignupPage(title="Create an account", username="", errors=()))


@router.post("/signup", name="signup_submit", include_in_schema=False)
def signup_submit(
    request: Request, session: SessionDep, settings: SettingsDep,
    username: Text = "", password: Text = "", confirm: Text = "",
) -> Response:  # fmt: skip
    """Create an account and sign in."""
    _signup_allowed(settings.allow_signup)
    try:
        if password != confirm:
            raise InputError("confirm", HIDDEN, "the same password twice")
        user = sign_up(request, session, username, password, Role.APPLICANT)
    except InputError as exc:
        page = SignupPage(title="Create an account", username=username, errors=items_of(exc))
        return render(request, page, status_code=422)
    start_session(request, user)
    flash(request, f"Welcome, {user.username}.")
    return RedirectResponse("/", status_code=303)


def _signup_allowed(allowed: bool) -> None:
    if not allowed:
        raise InputError("signup", None, "accounts are created by the administrator on this server")


class Credentials(BaseModel):
    """A username and password."""

    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class NewAccount(Credentials):
    """An account to create (advisors read profiles by redeeming an applicant's invitation)."""


def _me(user_id: int | None, username: str, role: Role) -> dict[str, Any]:
    return {"id": user_id, "username": username, "role": role.value}


@router.post("/api/v1/session", tags=["accounts"])
def api_login(body: Credentials, request: Request, session: SessionDep) -> Response:
    """Sign in: sets the session cookie used by the rest of the API."""
    user = authenticate(request, session, body.username, body.password)
    if user is None:
        return JSONResponse({"detail": [vars(BAD_LOGIN)]}, status_code=401)
    start_session(request, user)
    return JSONResponse(_me(user.id, user.username, user.role))


@router.delete("/api/v1/session", status_code=204, tags=["accounts"])
def api_logout(request: Request, session: SessionDep, viewer: OptionalUserDep) -> Response:
    """Sign out on every device."""
    end_session(request, session, viewer.user_id if viewer else None)
    return Response(status_code=204)


@router.post("/api/v1/users", status_code=201, tags=["accounts"])
def api_signup(
    body: NewAccount, request: Request, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Create an account and sign in."""
    _signup_allowed(settings.allow_signup)
    user = sign_up(request, session, body.username, body.password, Role.APPLICANT)
    start_session(request, user)
    return _me(user.id, user.username, user.role)


FEATURE = Feature("accounts", router, multi_only=True)
