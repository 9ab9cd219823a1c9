"""Profile pages: list, editor with field-level errors, view with standing, TOML upload and download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError, InputErrors
from smartpick.present.dates import parse_today
from smartpick.present.toml import profile_toml
from smartpick.services import profiles as profiles_svc
from smartpick.services.files import MAX_UPLOAD_BYTES, read_toml_upload
from smartpick.services.profiles import StoredProfile
from smartpick.web.advice_views import AdvicePanel, advice_panel
from smartpick.web.deps import (
    CatalogueDep,
    CurrentUserDep,
    FormDep,
    OwnedProfileDep,
    ReadableProfileDep,
    SessionDep,
    Viewer,
)
from smartpick.web.errors import ErrorItem, items_of
from smartpick.web.form_binding import BoundSection, SummaryError, bind, remap
from smartpick.web.pages import Feature, Link, Page, flash, render
from smartpick.web.profile_form import parse_form, row_indices, values_from_document, values_from_form
from smartpick.web.profile_views import (
    ProfileCard,
    SharedGroup,
    StandingView,
    standing_view,
    validate_profile,
    visible_profiles,
)
from smartpick.web.routes.plan import TodayQuery

router = APIRouter(include_in_schema=False)
NAME_FIELD = {"name": ("f-name", "Profile name"), "file": ("f-file", "Profile file")}


@dataclass(frozen=True)
class ProfileListPage(Page):
    """``/profiles``: the viewer's profiles and those shared with them."""

    template = "profiles.html"
    profiles: tuple[ProfileCard, ...]
    shared: tuple[SharedGroup, ...]


@dataclass(frozen=True)
class ProfileFormPage(Page):
    """The profile editor (new or existing profile)."""

    template = "profile_form.html"
    action: str
    upload_action: str
    cancel: str
    profile_name: str
    name_locked: bool
    name_errors: tuple[str, ...]
    file_errors: tuple[str, ...]
    sections: tuple[BoundSection, ...]
    summary: tuple[SummaryError, ...]


@dataclass(frozen=True)
class ProfileViewPage(Page):
    """``/profiles/{id}``: a profile's standing and contents."""

    template = "profile.html"
    id: int
    name: str
    owner: str | None
    editable: bool
    standing: StandingView
    profile: dict[str, Any]
    advice: AdvicePanel


@router.get("/profiles", name="profiles")
def profiles_page(request: Request, viewer: CurrentUserDep, session: SessionDep) -> Response:
    """The viewer's profiles (and, for advisors, the ones shared with them)."""
    own, shared = visible_profiles(session, viewer)
    return render(request, ProfileListPage(title="Profiles", profiles=own, shared=shared))


@router.get("/profiles/new", name="profile_new")
def new_profile_page(request: Request, _: CurrentUserDep) -> Response:
    """An empty profile form."""
    return render(request, _form_page(request, None, "", {}, {}))


@router.post("/profiles/new", name="profile_create")
def create_profile(
    request: Request, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, form: FormDep
) -> Response:
    """Validate the form and store a new profile, or show the form again with each error by its field."""
    name = (form.get("name") or [""])[0]
    return _submit(request, viewer, session, catalogue, form, None, name)


@router.post("/profiles/upload", name="profile_upload")
def upload_new_profile(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store a new profile from an uploaded ``profile.toml``."""
    return _upload(request, viewer, session, catalogue, None, name, file)


@router.get("/profiles/{profile_id}", name="profile_view")
def profile_page(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    stored: ReadableProfileDep,
    catalogue: CatalogueDep,
    today: TodayQuery = None,
) -> Response:
    """A profile's standing, contents and what helps its chance of matching most (as of ``today``)."""
    owner = profiles_svc.owner_name(session, stored, viewer.user_id)
    page = ProfileViewPage(
        title=f"Profile {stored.name}", id=stored.id, name=stored.name, owner=owner,
        editable=stored.owner_id == viewer.user_id, standing=standing_view(stored.profile),
        profile=stored.profile.model_dump(mode="json", exclude_none=True),
        advice=advice_panel(stored.profile, catalogue, parse_today(today)[0]),
    )  # fmt: skip
    return render(request, page)


@router.get("/profiles/{profile_id}/edit", name="profile_edit")
def edit_profile_page(request: Request, stored: OwnedProfileDep) -> Response:
    """The form filled with a stored profile."""
    values, rows = values_from_document(stored.profile.model_dump(mode="json", exclude_none=True))
    return render(request, _form_page(request, stored, stored.name, values, rows))


@router.post("/profiles/{profile_id}/edit", name="profile_update")
def update_profile(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    form: FormDep,
    stored: OwnedProfileDep,
) -> Response:
    """Validate the form and replace the stored profile."""
    return _submit(request, viewer, session, catalogue, form, stored, stored.name)


@router.post("/profiles/{profile_id}/upload", name="profile_replace")
def upload_over_profile(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    stored: OwnedProfileDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Replace a stored profile with an uploaded ``profile.toml``."""
    return _upload(request, viewer, session, catalogue, stored, stored.name, file)


@router.get("/profiles/{profile_id}/profile.toml", name="profile_download")
def download_profile(stored: ReadableProfileDep) -> Response:
    """The profile as a ``profile.toml`` file."""
    filename = "".join(c if c.isalnum() or c in "-_" else "-" for c in stored.name) or "profile"
    headers = {"Content-Disposition": f'attachment; filename="{filename}.toml"'}
    return Response(profile_toml(stored.profile), media_type="application/toml", headers=headers)


@router.post("/profiles/{profile_id}/delete", name="profile_delete")
def delete_profile(
    request: Request, viewer: CurrentUserDep, session: SessionDep, stored: OwnedProfileDep
) -> Response:
    """Delete a profile for good."""
    profiles_svc.delete_profile(session, stored)
    flash(request, f"Deleted profile {stored.name}.")
    return RedirectResponse(str(request.app.url_path_for("profiles")), status_code=303)


def _submit(
    request: Request,
    viewer: Viewer,
    session: Any,
    catalogue: Catalogue,
    form: dict[str, list[str]],
    stored: StoredProfile | None,
    name: str,
) -> Response:
    action = (form.get("action") or ["save"])[0]
    parsed = parse_form(form)
    if action.startswith("add:"):  # "Add another ..." without JavaScript: same form, one more blank row
        path = action.removeprefix("add:")
        blanks = len(row_indices(form, path)) - len(parsed.rows.get(path, ()))
        extra = {path: max(blanks, 1)}
        return render(
            request, _form_page(request, stored, name, values_from_form(form), parsed.rows, extra=extra)
        )
    clean, profile, errors = _validate(session, viewer, catalogue, name, stored, parsed.document)
    if errors or clean is None or profile is None:
        items = remap(errors, parsed.form_field)
        page = _form_page(request, stored, name, values_from_form(form), parsed.rows, items)
        return render(request, page, status_code=422)
    return _saved(request, session, viewer, clean, profile)


def _validate(
    session: Any,
    viewer: Viewer,
    catalogue: Catalogue,
    name: str,
    stored: StoredProfile | None,
    document: dict[str, Any],
) -> tuple[str | None, Profile | None, tuple[ErrorItem, ...]]:
    """The checked name and profile, or every error of both (the name's first)."""
    clean: str | None = None
    profile: Profile | None = None
    errors: list[ErrorItem] = []
    try:
        clean = _checked_name(session, viewer, name, stored)
    except InputError as exc:
        errors.extend(items_of(exc))
    try:
        profile = validate_profile(document, catalogue)
    except (InputError, InputErrors) as exc:
        errors.extend(items_of(exc))
    return clean, profile, tuple(errors)


def _checked_name(session: Any, viewer: Viewer, name: str, stored: StoredProfile | None) -> str:
    if stored is not None:
        return stored.name
    allowed = "a name none of your profiles has yet (or edit that profile)"
    return profiles_svc.new_profile_name(session, name, viewer.user_id, allowed)


def _upload(
    request: Request,
    viewer: Viewer,
    session: Any,
    catalogue: Catalogue,
    stored: StoredProfile | None,
    name: str,
    file: UploadFile | None,
) -> Response:
    try:
        if file is None or not file.filename:
            raise InputError("file", None, "a profile.toml file")
        document = read_toml_upload(file.file.read(MAX_UPLOAD_BYTES + 1), file.filename)
    except InputError as exc:
        page = _form_page(request, stored, name, {}, {}, items_of(exc))
        return render(request, page, status_code=422)
    clean, profile, errors = _validate(session, viewer, catalogue, name, stored, document)
    if errors or clean is None or profile is None:
        values, rows = values_from_document(document)
        return render(request, _form_page(request, stored, name, values, rows, errors), status_code=422)
    return _saved(request, session, viewer, clean, profile)


def _saved(request: Request, session: Any, viewer: Viewer, name: str, profile: Profile) -> Response:
    profile_id = profiles_svc.save_profile(session, name, profile, viewer.user_id).id
    flash(request, f"Saved profile {name}.")
    return RedirectResponse(
        str(request.app.url_path_for("profile_view", profile_id=profile_id)), status_code=303
    )


def _form_page(
    request: Request,
    stored: StoredProfile | None,
    name: str,
    values: dict[str, Any],
    rows: dict[str, tuple[int, ...]],
    errors: tuple[ErrorItem, ...] = (),
    *,
    extra: dict[str, int] | None = None,
) -> ProfileFormPage:
    sections, summary = bind(values, rows, errors, extra_rows=extra, outside=NAME_FIELD)
    if stored is None:
        action, upload = (
            request.app.url_path_for("profile_create"),
            request.app.url_path_for("profile_upload"),
        )
        cancel = request.app.url_path_for("profiles")
    else:
        action = request.app.url_path_for("profile_update", profile_id=stored.id)
        upload = request.app.url_path_for("profile_replace", profile_id=stored.id)
        cancel = request.app.url_path_for("profile_view", profile_id=stored.id)
    return ProfileFormPage(
        title=f"Edit profile {stored.name}" if stored else "New profile", action=str(action),
        upload_action=str(upload), cancel=str(cancel), profile_name=name, name_locked=stored is not None,
        name_errors=tuple(e.message.removeprefix("name: ") for e in errors if e.field == "name"),
        file_errors=tuple(e.message.removeprefix("file: ") for e in errors if e.field == "file"),
        sections=sections, summary=summary,
    )  # fmt: skip


FEATURE = Feature("profiles", router, nav=(Link("Profiles", "profiles"),))
