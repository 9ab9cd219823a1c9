"""Tracker: application statuses, interviews and messages, the NRMP communication checks, and drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.drafts import DraftKind
from smartpick.domain.communication.messages import RULES, check_log
from smartpick.domain.communication.tracker import (
    ApplicationStatus,
    CommunicationLog,
    Direction,
    Interview,
    Message,
    MessageKind,
    PreInterviewReason,
)
from smartpick.domain.dates import PlausibleDate, parse_date
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, NotFoundError
from smartpick.present.dates import parse_today
from smartpick.present.messages import finding_doc
from smartpick.present.tracker import summary_doc
from smartpick.services import messages as messages_svc
from smartpick.services import profiles as profiles_svc
from smartpick.services import ranking as ranking_svc
from smartpick.services import tracker as tracker_svc
from smartpick.services.tracker import ProgramSummary
from smartpick.web.deps import CatalogueDep, CurrentUserDep, FormDep, SessionDep, Viewer
from smartpick.web.pages import Feature, Link, Page, flash, render
from smartpick.web.routes.plan import TodayQuery
from smartpick.web.tracker_views import program_id

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["tracker"])


@dataclass(frozen=True)
class FindingView:
    """One communication finding."""

    severity: str
    rule: str
    program: str
    date: dt.date | None
    message: str
    reason: str


@dataclass(frozen=True)
class TrackerPage(Page):
    """``/tracker``: the viewer's applications, messages and what the NRMP rules say about them."""

    template = "tracker.html"
    today: dt.date
    rows: tuple[ProgramSummary, ...]
    messages: tuple[Message, ...]
    findings: tuple[FindingView, ...]
    programs: tuple[tuple[str, str], ...]
    profiles: tuple[tuple[int, str], ...]
    statuses: tuple[str, ...] = tuple(s.value for s in ApplicationStatus)
    kinds: tuple[str, ...] = tuple(k.value for k in MessageKind)
    directions: tuple[str, ...] = tuple(d.value for d in Direction)
    reasons: tuple[str, ...] = tuple(r.value for r in PreInterviewReason)
    draft_kinds: tuple[str, ...] = tuple(k.value for k in DraftKind)


@dataclass(frozen=True)
class DraftPage(Page):
    """``/tracker/draft``: a draft email, or why SmartPick will not write it."""

    template = "draft.html"
    kind: str
    program: str
    program_name: str
    subject: str
    body: str
    words: int
    refused: str | None


def _first(form: dict[str, list[str]], key: str) -> str:
    return (form.get(key) or [""])[0].strip()


def _views(session: Session, viewer: Viewer, catalogue: Catalogue, today: dt.date) -> tuple[FindingView, ...]:
    return tuple(
        FindingView(f.severity.value, f.rule, f.program, f.date, f.message, f.reason)
        for f in messages_svc.stored_findings(session, catalogue, viewer.user_id, today)
    )


@pages.get("/tracker", name="tracker")
def tracker_page(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    today: TodayQuery = None,
) -> Response:
    """Statuses per program, logging forms, the communication checks and the draft form."""
    day = parse_today(today)[0]
    log = tracker_svc.stored_log(session, viewer.user_id, catalogue)
    own = profiles_svc.own_summaries(session, viewer.user_id)
    page = TrackerPage(
        title="Tracker", today=day, rows=tuple(tracker_svc.summarise(log, catalogue)),
        messages=tuple(sorted(log.message, key=lambda m: m.date, reverse=True)),
        findings=_views(session, viewer, catalogue, day),
        programs=tuple((p.id, p.name) for p in sorted(catalogue.programs, key=lambda p: p.name)),
        profiles=tuple((p.id, p.name) for p in own),
    )  # fmt: skip
    return render(request, page)


def _set_status(
    session: Session, viewer: Viewer, catalogue: Catalogue, program: str, status: str, date: str, note: str
) -> CommunicationLog:
    ref = program_id(program, catalogue)
    allowed = ", ".join(s.value for s in ApplicationStatus)
    if status not in {s.value for s in ApplicationStatus}:
        raise InputError("status", status, f"one of {allowed}")
    day = parse_date(date, "date") if date.strip() else None
    return tracker_svc.set_status(
        session, catalogue, ref, ApplicationStatus(status), date=day, note=note, owner_id=viewer.user_id,
        date_field="date",
    )  # fmt: skip


def _back(request: Request, message: str, anchor: str) -> Response:
    flash(request, message)
    return RedirectResponse(str(request.app.url_path_for("tracker")) + anchor, status_code=303)


@pages.post("/tracker/status", name="tracker_status")
def tracker_status(
    request: Request, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, form: FormDep
) -> Response:
    """Set one program's application status."""
    args = (_first(form, k) for k in ("program", "status", "date", "note"))
    _set_status(session, viewer, catalogue, *args)
    return _back(request, "Status saved.", "#programs-title")


def _interview(catalogue: Catalogue, program: str, date: str) -> Interview:
    ref = program_id(program, catalogue)
    return parse_model(Interview, {"program": ref, "date": date or None})


@pages.post("/tracker/interviews", name="tracker_interview")
def tracker_interview(
    request: Request, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, form: FormDep
) -> Response:
    """Log an interview (the program's status becomes 'interviewed')."""
    interview = _interview(catalogue, _first(form, "program"), _first(form, "date"))
    tracker_svc.log_interview(session, catalogue, interview, viewer.user_id)
    return _back(request, f"Interview at {interview.program} on {interview.date} logged.", "#programs-title")


def _message(catalogue: Catalogue, fields: dict[str, Any]) -> Message:
    data = {k: v for k, v in fields.items() if v not in ("", None)}
    data["program"] = program_id(str(fields.get("program") or ""), catalogue)
    return parse_model(Message, data)


@pages.post("/tracker/messages", name="tracker_message")
def tracker_message(
    request: Request, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, form: FormDep
) -> Response:
    """Log a message sent to or received from a program."""
    keys = ("program", "date", "direction", "kind", "reason", "text")
    message = _message(catalogue, {k: _first(form, k) for k in keys})
    tracker_svc.log_message(session, catalogue, message, viewer.user_id)
    return _back(request, f"Message to {message.program} logged; see the checks below.", "#checks-title")


@pages.get("/tracker/draft", name="tracker_draft")
def draft_page(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    kind: Annotated[DraftKind, Query()],
    program: Annotated[str, Query(max_length=100)],
    profile: Annotated[int, Query(ge=1, le=2**31 - 1)],
) -> Response:
    """A draft for one program, written from one of the viewer's profiles."""
    result = make_draft(session, viewer, catalogue, kind, program, profile)
    found = catalogue.get(result["program"])
    page = DraftPage(
        title="Draft", kind=kind.value, program=result["program"], program_name=found.name if found else "",
        subject=result.get("subject", ""), body=result.get("body", ""), words=result.get("words", 0),
        refused=result.get("refused"),
    )  # fmt: skip
    return render(request, page)


def make_draft(
    session: Session, viewer: Viewer, catalogue: Catalogue, kind: DraftKind, program: str, profile_id: int
) -> dict[str, Any]:
    """A draft as JSON; the profile must be the viewer's own (else 404, as for any profile route)."""
    try:
        stored = profiles_svc.owned_profile(session, profile_id, viewer.user_id)
    except NotFoundError:
        raise InputError("profile", profile_id, "the id of one of your profiles") from None
    target = catalogue.get(program_id(program, catalogue))
    assert target is not None
    log = tracker_svc.stored_log(session, viewer.user_id, catalogue)
    top = ranking_svc.stored_rank_one(session, viewer.user_id, catalogue)
    today = parse_today(None)[0]  # the clock is read at the edge
    draft = messages_svc.draft_for(
        kind, target, stored.profile, catalogue, log=log, rank_one=top, today=today
    )
    if draft.refused:
        return {"kind": kind.value, "program": draft.program, "refused": draft.refused}
    return {
        "kind": kind.value, "program": draft.program, "subject": draft.subject, "body": draft.body,
        "words": draft.words,
    }  # fmt: skip


# ---- API ----


@api.get("/tracker")
def api_tracker(viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep) -> dict[str, Any]:
    """The viewer's tracker: per-program summary and the whole log (``messages.toml`` shape)."""
    log = tracker_svc.stored_log(session, viewer.user_id, catalogue)
    rows = [summary_doc(r) for r in tracker_svc.summarise(log, catalogue)]
    return {"programs": rows, "log": log.model_dump(mode="json", exclude_none=True)}


class StatusBody(BaseModel):
    """A program's application status."""

    model_config = ConfigDict(extra="forbid")
    program: Annotated[str, Field(min_length=1, max_length=100)]
    status: ApplicationStatus
    date: PlausibleDate | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


@api.put("/tracker/status")
def api_status(
    body: StatusBody, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Set a program's status; returns the tracker."""
    date = body.date.isoformat() if body.date else ""
    _set_status(session, viewer, catalogue, body.program, body.status.value, date, body.note)
    return api_tracker(viewer, session, catalogue)


class InterviewBody(BaseModel):
    """An interview day."""

    model_config = ConfigDict(extra="forbid")
    program: Annotated[str, Field(min_length=1, max_length=100)]
    date: PlausibleDate


@api.post("/tracker/interviews", status_code=201)
def api_interview(
    body: InterviewBody, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Log an interview; returns the tracker."""
    interview = _interview(catalogue, body.program, body.date.isoformat())
    tracker_svc.log_interview(session, catalogue, interview, viewer.user_id)
    return api_tracker(viewer, session, catalogue)


class MessageBody(BaseModel):
    """A message (fields of ``[[message]]`` in ``messages.toml``)."""

    model_config = ConfigDict(extra="forbid")
    program: Annotated[str, Field(min_length=1, max_length=100)]
    date: PlausibleDate
    direction: Direction
    kind: MessageKind
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    reason: PreInterviewReason | None = None


@api.post("/tracker/messages", status_code=201)
def api_message(
    body: MessageBody, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Log a message; returns the tracker."""
    message = _message(catalogue, body.model_dump(mode="json"))
    tracker_svc.log_message(session, catalogue, message, viewer.user_id)
    return api_tracker(viewer, session, catalogue)


@api.get("/tracker/checks")
def api_checks(
    viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, today: TodayQuery = None
) -> dict[str, Any]:
    """The communication checks on the viewer's log, as ``smartpick messages check --format json``."""
    day = parse_today(today)[0]
    found = messages_svc.stored_findings(session, catalogue, viewer.user_id, day)
    return {"findings": [finding_doc(f) for f in found]}


class CheckBody(BaseModel):
    """A communication log to check (the ``messages.toml`` content as JSON), nothing stored."""

    model_config = ConfigDict(extra="forbid")
    log: dict[str, Any]
    rank_one: Annotated[str | None, Field(max_length=100, description="Your #1 ranked program.")] = None
    today: dt.date | None = None


@api.post("/messages/check")
def api_check_log(body: CheckBody, _: CurrentUserDep, catalogue: CatalogueDep) -> dict[str, Any]:
    """Check a communication log sent in the request against the NRMP communication rules."""
    log = messages_svc.canonical(parse_model(CommunicationLog, body.log, source="log"), catalogue)
    top = catalogue.get(body.rank_one) if body.rank_one else None
    found = check_log(log, rank_one=top.id if top else body.rank_one, today=body.today)
    return {"findings": [finding_doc(f) for f in found]}


@api.get("/messages/rules")
def api_rules(_: CurrentUserDep) -> dict[str, Any]:
    """The communication rules with their severity and reason."""
    return {"rules": [{"id": r.id, "severity": r.severity.value, "reason": r.reason} for r in RULES]}


class DraftBody(BaseModel):
    """What to draft, for which program, from which of your profiles."""

    model_config = ConfigDict(extra="forbid")
    kind: DraftKind
    program: Annotated[str, Field(min_length=1, max_length=100)]
    profile_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


@api.post("/drafts")
def api_draft(
    body: DraftBody, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """A draft email (``refused`` says why a letter of intent will not be written)."""
    return make_draft(session, viewer, catalogue, body.kind, body.program, body.profile_id)


router = APIRouter()
router.include_router(pages)
router.include_router(api)
FEATURE = Feature("tracker", router, nav=(Link("Tracker", "tracker"),))
