"""``smartpick track``: application status, interviews and the communication log, stored in the database."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session
from smartpick.cli.render import DocFormat, Format, console, echo, print_csv, print_json, print_table
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.tracker import (
    ApplicationStatus,
    Direction,
    Message,
    MessageKind,
    PreInterviewReason,
)
from smartpick.domain.dates import parse_date
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError
from smartpick.present.labels import label, program_label
from smartpick.present.tracker import summary_doc
from smartpick.services import catalogue as cat_svc
from smartpick.services import tracker as svc
from smartpick.services.files import write_text_file

app = typer.Typer(help="Track applications, interviews and messages with programs.", no_args_is_help=True)

DateOpt = Annotated[str | None, typer.Option("--date", help="A date like 2026-11-03.")]
LIST_COLUMNS = ("program", "name", "status", "since", "interviews", "sent", "received", "last_contact")


class ExportFormat(StrEnum):
    """File formats of ``track export``."""

    TOML = "toml"
    CSV = "csv"
    JSON = "json"


def _date(value: str | None, name: str = "--date") -> dt.date | None:
    if value is None:
        return None
    return parse_date(value, name)


@app.command("add")
def add(
    program: Annotated[str, typer.Argument(help="Catalogue program id (or ACGME number / NRMP code).")],
    status: Annotated[ApplicationStatus, typer.Option(help="Initial status.")] = ApplicationStatus.PLANNED,
    date: DateOpt = None,
    note: Annotated[str, typer.Option(help="A short note.")] = "",
) -> None:
    """Start tracking a program."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        pid = svc.resolve_program(program, catalogue)
        svc.add_application(session, catalogue, pid, status, date=_date(date), note=note)
    echo(f"tracking {_named(pid, catalogue)}: {label(status)}")


@app.command("set")
def set_status(
    program: Annotated[str, typer.Argument(help="Catalogue program id.")],
    status: Annotated[ApplicationStatus, typer.Argument(help="New status.")],
    date: DateOpt = None,
    note: Annotated[str, typer.Option(help="A short note (kept when omitted).")] = "",
) -> None:
    """Set a program's status; 'interviewed' records the interview date given with --date."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        pid = svc.resolve_program(program, catalogue)
        svc.set_status(session, catalogue, pid, status, date=_date(date), note=note)
    echo(f"{_named(pid, catalogue)}: {label(status)}" + (f" ({date})" if date else ""))


@app.command("log")
def log_message(
    program: Annotated[str, typer.Argument(help="Catalogue program id.")],
    kind: Annotated[MessageKind, typer.Option(help="What the message is.")],
    date: Annotated[str, typer.Option(help="The message's date, e.g. 2026-11-05.")],
    direction: Annotated[Direction, typer.Option(help="sent (by you) or received.")] = Direction.SENT,
    text: Annotated[str | None, typer.Option(help="The text or a summary.")] = None,
    text_file: Annotated[Path | None, typer.Option("--file", help="Read the text from a file.")] = None,
    reason: Annotated[PreInterviewReason | None, typer.Option(help="Why a pre-interview message.")] = None,
) -> None:
    """Add a message to the communication log."""
    body = _text(text, text_file)
    raw = {
        "program": program,
        "date": date,
        "direction": direction,
        "kind": kind,
        "text": body,
        "reason": reason,
    }
    message = parse_model(Message, {k: v for k, v in raw.items() if v is not None}, source="track log")
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        message = message.model_copy(update={"program": svc.resolve_program(program, catalogue)})
        svc.log_message(session, catalogue, message)
    echo(f"logged a {label(kind)} ({label(direction)}) for {_named(message.program, catalogue)} on {date}")


def _named(program: str, catalogue: Catalogue) -> str:
    """A program by name, its id beside it (the id is what the other commands take)."""
    found = catalogue.get(program)
    return program_label(found.name if found else None, found.id if found else program, with_id=True)


def _text(text: str | None, path: Path | None) -> str:
    if text is not None and path is not None:
        raise InputError("--text/--file", "both", "one of --text or --file, not both")
    if text is None and path is None:
        raise InputError("--text/--file", None, "one of --text or --file")
    if path is None:
        return text or ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputError("--file", str(path), "a readable UTF-8 text file") from None


@app.command("list")
def list_programs(
    status: Annotated[ApplicationStatus | None, typer.Option(help="Only this status.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """List tracked programs with status, interviews and message counts."""
    with db_session() as session:
        rows = list(svc.summarise(svc.stored_log(session), cat_svc.current_catalogue(session)))
    rows = [r for r in rows if status is None or r.status == status.value]
    table = [_summary_row(r) for r in rows]
    if fmt is Format.JSON:
        print_json({"programs": [summary_doc(r) for r in rows]})
    elif fmt is Format.CSV:
        print_csv(LIST_COLUMNS, table)
    else:
        print_table("Tracked programs", LIST_COLUMNS, table)


def _summary_row(r: svc.ProgramSummary) -> tuple[Any, ...]:
    interviews = " ".join(d.isoformat() for d in r.interviews)
    return (r.program, r.name, r.status, r.status_date, interviews, r.sent, r.received, r.last_contact)


@app.command("show")
def show(
    program: Annotated[str, typer.Argument(help="Catalogue program id.")],
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
) -> None:
    """Show one program's status, interviews and messages."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        program = svc.resolve_program(program, catalogue)
        log = svc.stored_log(session)
    app_rec = log.application_for(program)
    interviews = [i.date.isoformat() for i in log.interviews_at(program)]
    messages = [m.model_dump(mode="json", exclude_none=True) for m in log.messages_to(program)]
    if fmt is DocFormat.JSON:
        application = app_rec.model_dump(mode="json") if app_rec else None
        print_json(
            {"program": program, "application": application, "interviews": interviews, "messages": messages}
        )
        return
    status = f"{app_rec.status.value} {app_rec.date or ''}".strip() if app_rec else "not tracked"
    console.print(
        f"{_named(program, catalogue)}: {label(status)}; interviews: {', '.join(interviews) or 'none'}",
        markup=False,
    )
    rows = [(m["date"], label(m["direction"]), label(m["kind"]), m["text"][:100]) for m in messages]
    print_table("Messages", ("date", "direction", "kind", "text"), rows)


@app.command("import")
def import_file(
    path: Annotated[
        Path, typer.Argument(help="messages.toml or a tracker CSV (format: docs/formats.md#messages).")
    ],
    replace: Annotated[bool, typer.Option(help="Replace the stored log instead of adding to it.")] = False,
) -> None:
    """Import a log file: every line is checked first; one bad line and nothing is stored."""
    with db_session() as session:
        summary = svc.import_log(path, session, cat_svc.current_catalogue(session), replace=replace)
    echo(
        f"imported {summary.applications} applications, {summary.interviews} interviews and "
        f"{summary.messages} messages from {summary.filename}"
    )


@app.command("export")
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")] = ExportFormat.TOML,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export the stored log (TOML is messages.toml; import reads it back without loss)."""
    with db_session() as session:
        log = svc.stored_log(session)
    if fmt is ExportFormat.JSON:
        print_json(log.model_dump(mode="json", exclude_none=True))
        return
    text = svc.log_to_toml(log) if fmt is ExportFormat.TOML else svc.log_to_csv(log)
    if out is None:
        echo(text, nl=False, raw=True)
    else:
        write_text_file(out, text)
        echo(f"wrote {out}")
