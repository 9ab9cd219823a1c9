"""Tracker use-cases: read and write log files (TOML, CSV), import/export, status and message updates.

Files are validated completely before anything is stored; every error names its line, and one bad line
means nothing is stored (the caller's session is one transaction).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.tracker import (
    Application,
    ApplicationStatus,
    CommunicationLog,
    Interview,
    Message,
    canonical_log,
    merge_logs,
    with_status,
)
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, InputErrors, NotFoundError
from smartpick.present.toml import array_of_tables
from smartpick.services.catalogue import current_catalogue
from smartpick.services.files import parse_toml_text
from smartpick.store import tracker_repo

CSV_COLUMNS = ("record", "program", "date", "status", "direction", "kind", "reason", "note", "text")
_RECORDS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "application": (Application, ("program", "status", "date", "note")),
    "interview": (Interview, ("program", "date")),
    "message": (Message, ("program", "date", "direction", "kind", "reason", "text")),
}
_TABLE_KEY = re.compile(r"^(application|interview|message)\[(\d+)\](?:\.(\w+))?")


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored."""

    filename: str
    applications: int
    interviews: int
    messages: int


def read_log_file(path: Path, catalogue: Catalogue, *, strict: bool = True) -> CommunicationLog:
    """Read a ``messages.toml`` or a tracker CSV, with every error naming its line.

    ``strict`` also requires every program to be in the catalogue (for storing); checking a log does not
    need catalogue facts, so ``messages check`` reads with ``strict=False`` and keeps unknown ids as written.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputError("file", str(path), "an existing, readable UTF-8 .toml or .csv file") from None
    if path.suffix.lower() == ".csv":
        log, lines = _parse_csv(text, str(path))
    else:
        log, lines = _parse_toml(text, str(path))
    if strict:
        check_programs(log, catalogue, source=str(path), lines=lines)
    return canonical(log, catalogue)


def _parse_toml(text: str, source: str) -> tuple[CommunicationLog, Callable[[str, int], int | None]]:
    data = parse_toml_text(text, source)
    headers = _table_headers(text)

    def line_of(table: str, index: int) -> int | None:
        found = headers.get(table, [])
        return found[index] if index < len(found) else None

    try:
        return parse_model(CommunicationLog, data, source=source), line_of
    except InputErrors as exc:
        raise InputErrors([_with_line(e, text, line_of, source) for e in exc.errors], source=source) from None


def _table_headers(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        found = re.match(r"^\s*\[\[\s*(\w+)\s*\]\]", line)
        if found:
            out.setdefault(found.group(1), []).append(number)
    return out


def _with_line(
    err: InputError, text: str, line_of: Callable[[str, int], int | None], source: str
) -> InputError:
    found = _TABLE_KEY.match(err.field)
    line = line_of(found.group(1), int(found.group(2))) if found else None
    if found and line is not None and found.group(3):
        line = _key_line(text, line, found.group(3)) or line
    where = f"{source}:{line}" if line else source
    return InputError(err.field, err.value, err.allowed, source=where)


def _key_line(text: str, header: int, key: str) -> int | None:
    lines = text.splitlines()
    for number in range(header, len(lines)):
        if number > header and re.match(r"^\s*\[", lines[number]):
            return None
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[number]):
            return number + 1
    return None


def _parse_csv(text: str, source: str) -> tuple[CommunicationLog, Callable[[str, int], int | None]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or set(reader.fieldnames) != set(CSV_COLUMNS):
        got = ",".join(reader.fieldnames or [])
        raise InputError(f"{source}:1", got, f"a header with exactly these columns: {','.join(CSV_COLUMNS)}")
    parsed: dict[str, list[Any]] = {name: [] for name in _RECORDS}
    lines: dict[str, list[int]] = {name: [] for name in _RECORDS}
    errors: list[InputError] = []
    start = reader.line_num + 1
    for row in reader:
        try:
            kind, record = _csv_record(row, f"{source}:{start}")
            parsed[kind].append(record)
            lines[kind].append(start)
        except InputErrors as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.append(exc)
        start = reader.line_num + 1
    if errors:
        raise InputErrors(errors, source=source)
    log = parse_model(CommunicationLog, parsed, source=source)
    return log, lambda table, index: lines[table][index] if index < len(lines[table]) else None


def _csv_record(row: dict[str, str | None], where: str) -> tuple[str, BaseModel]:
    kind = (row.get("record") or "").strip()
    if kind not in _RECORDS:
        raise InputError("record", kind, f"one of {', '.join(_RECORDS)}", source=where)
    model, fields = _RECORDS[kind]
    extra = [c for c in CSV_COLUMNS if c not in (*fields, "record") and (row.get(c) or "").strip()]
    if extra:
        raise InputError(extra[0], row[extra[0]], f"empty for a {kind} row", source=where)
    data = {f: row[f] for f in fields if row.get(f) not in (None, "")}
    return kind, parse_model(model, data, source=where)


def check_programs(
    log: CommunicationLog,
    catalogue: Catalogue,
    *,
    source: str | None = None,
    lines: Callable[[str, int], int | None] | None = None,
) -> None:
    """Every program reference must be a catalogue id, ACGME number or NRMP code."""
    errors = []
    tables: tuple[tuple[str, tuple[Application | Interview | Message, ...]], ...] = (
        ("application", log.application),
        ("interview", log.interview),
        ("message", log.message),
    )
    for table, records in tables:
        for index, record in enumerate(records):
            if catalogue.get(record.program) is None:
                line = lines(table, index) if lines else None
                where = f"{source}:{line}" if source and line else source
                allowed = "a catalogue program id (see `smartpick programs search`)"
                errors.append(InputError(f"{table}[{index}].program", record.program, allowed, source=where))
    if errors:
        raise InputErrors(errors, source=source)


def log_to_document(log: CommunicationLog) -> dict[str, Any]:
    """The log as a ``messages.toml`` document (empty tables and default values left out)."""
    doc = log.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    return {k: v for k, v in doc.items() if v}


def log_to_toml(log: CommunicationLog) -> str:
    """The log as ``messages.toml`` text, one ``[[table]]`` per record (as FORMATS.md shows it)."""
    return array_of_tables(log_to_document(log), multiline_strings=True)


def log_to_csv(log: CommunicationLog) -> str:
    """The log as CSV text (one row per application, interview and message)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for kind, records in (
        ("application", log.application),
        ("interview", log.interview),
        ("message", log.message),
    ):
        for record in records:
            row = record.model_dump(mode="json", exclude_none=True)
            writer.writerow({"record": kind, **{k: v for k, v in row.items() if v != ""}})
    return out.getvalue()


def import_log(path: Path, session: Session, catalogue: Catalogue, *, replace: bool = False) -> ImportSummary:
    """Validate a log file and store it (merged with, or replacing, the local user's log), all or nothing."""
    incoming = read_log_file(path, catalogue)
    stored = tracker_repo.load_log(session=session, owner_id=None)
    merged = incoming if replace else _merge(stored, incoming, str(path))
    tracker_repo.save_log(session=session, log=merged)
    return ImportSummary(path.name, len(incoming.application), len(incoming.interview), len(incoming.message))


def _merge(stored: CommunicationLog, incoming: CommunicationLog, source: str) -> CommunicationLog:
    try:
        return merge_logs(stored, incoming)
    except ValueError as exc:
        raise InputError("log", source, str(exc)) from None


def stored_log(
    session: Session, owner_id: int | None = None, catalogue: Catalogue | None = None
) -> CommunicationLog:
    """The owner's log from the database, under catalogue ids (older logs may hold other ids).

    ``catalogue`` defaults to the one in use (bundled plus imported facts).
    """
    log = tracker_repo.load_log(session=session, owner_id=owner_id)
    return canonical(log, catalogue or current_catalogue(session))


def save_log(session: Session, log: CommunicationLog, owner_id: int | None = None) -> CommunicationLog:
    """Replace the owner's stored log (inside the caller's transaction); returns it."""
    tracker_repo.save_log(session=session, log=log, owner_id=owner_id)
    return log


def resolve_program(ref: str, catalogue: Catalogue) -> str:
    """The catalogue id of a program reference (id, ACGME number, NRMP code or alias)."""
    found = catalogue.canonical_id(ref)
    if found is None:
        raise NotFoundError(
            "program", ref, "a catalogue id, ACGME number or NRMP code (try `programs search`)"
        )
    return found


def canonical(log: CommunicationLog, catalogue: Catalogue) -> CommunicationLog:
    """The log under catalogue ids: a program tracked under two ids becomes one entry."""
    return canonical_log(log, lambda ref: catalogue.canonical_id(ref) or ref)


def add_application(
    session: Session, catalogue: Catalogue, program: str, status: ApplicationStatus, **kw: Any
) -> CommunicationLog:
    """Start tracking a program; refuses one that is already tracked."""
    program = resolve_program(program, catalogue)
    log = stored_log(session, kw.get("owner_id"), catalogue)
    if log.application_for(program) is not None:
        raise InputError(
            "program", program, "a program not already tracked (use `smartpick track set` to change it)"
        )
    return set_status(session, catalogue, program, status, **kw)


def set_status(
    session: Session,
    catalogue: Catalogue,
    program: str,
    status: ApplicationStatus,
    *,
    date: dt.date | None = None,
    note: str = "",
    owner_id: int | None = None,
    date_field: str = "--date",
) -> CommunicationLog:
    """Set a program's status; 'interviewed' needs the interview date unless one is stored."""
    program = resolve_program(program, catalogue)
    log = stored_log(session, owner_id, catalogue)
    updated = with_status(log, program, status, date=date, note=note, date_field=date_field)
    return save_log(session, updated, owner_id)


def _appended(
    log: CommunicationLog, interviews: tuple[Interview, ...], messages: tuple[Message, ...]
) -> CommunicationLog:
    try:
        return CommunicationLog(
            application=log.application,
            interview=(*log.interview, *interviews),
            message=(*log.message, *messages),
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise InputError("log", None, str(exc).splitlines()[-1]) from None


def log_message(
    session: Session, catalogue: Catalogue, message: Message, owner_id: int | None = None
) -> CommunicationLog:
    """Append one message to the owner's stored log."""
    resolve_program(message.program, catalogue)
    log = stored_log(session, owner_id, catalogue)
    return save_log(session, _appended(log, (), (message,)), owner_id)


def log_interview(
    session: Session, catalogue: Catalogue, interview: Interview, owner_id: int | None = None
) -> CommunicationLog:
    """Record an interview day (once) in the owner's log; the program's status becomes 'interviewed'."""
    interview = interview.model_copy(update={"program": resolve_program(interview.program, catalogue)})
    log = stored_log(session, owner_id, catalogue)
    with_iv = _appended(log, () if interview in log.interview else (interview,), ())
    updated = with_status(with_iv, interview.program, ApplicationStatus.INTERVIEWED, date=interview.date)
    return save_log(session, updated, owner_id)


@dataclass(frozen=True)
class ProgramSummary:
    """One row of ``track list``."""

    program: str
    name: str
    status: str
    status_date: dt.date | None
    interviews: tuple[dt.date, ...]
    sent: int
    received: int
    last_contact: dt.date | None


def summarise(log: CommunicationLog, catalogue: Catalogue) -> Iterator[ProgramSummary]:
    """One summary per tracked program (under its catalogue id), in first-mention order."""
    log = canonical(log, catalogue)
    for program in log.programs():
        app = log.application_for(program)
        messages = log.messages_to(program)
        found = catalogue.get(program)
        yield ProgramSummary(
            program=program,
            name=found.name if found else "",
            status=app.status.value if app else "",
            status_date=app.date if app else None,
            interviews=tuple(i.date for i in log.interviews_at(program)),
            sent=sum(1 for m in messages if m.sent),
            received=sum(1 for m in messages if not m.sent),
            last_contact=messages[-1].date if messages else None,
        )
