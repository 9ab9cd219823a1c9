"""Away rotations (count, months, sites by channel, documents, tasks) and the letter plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from smartpick.data.calendar import bundled_calendar
from smartpick.domain.catalogue.geography import Region
from smartpick.domain.catalogue.programs import Catalogue, Program, Track, TrackType, VisitingChannel
from smartpick.domain.planning.calendar import TaskStatus, cycle_dates, finalize
from smartpick.domain.planning.letters import plan_letters
from smartpick.domain.planning.rotations import (
    Access,
    SiteRole,
    channel_access,
    evidence,
    new_rotation_months,
    plan_rotations,
    recommended_count,
    rotation_tasks,
    site_options,
)
from smartpick.domain.profile.applicant import Profile, ProgramType, ScoreBand
from smartpick.domain.provenance import Fact

D = dt.date
DATA = bundled_calendar()
CYCLE = cycle_dates(2027, DATA)  # rotations in 2026


def _fact(value: Any) -> Fact[Any]:
    return Fact(value=value, source="test") if value is not None else Fact()


def _program(
    pid: str,
    state: str,
    region: Region,
    *,
    share: float | None = None,
    channel: VisitingChannel | None = None,
    ptype: ProgramType | None = None,
) -> Program:
    return Program(
        id=pid,
        name=f"Program {pid}",
        institution=f"Inst {pid}",
        state=_fact(state),
        region=_fact(region),
        img_share=_fact(share),
        visiting_channel=_fact(channel),
        program_type=_fact(ptype),
        tracks=(Track(code=f"{pid}340C0", type=TrackType.CATEGORICAL),),
    )


CATALOGUE = Catalogue(
    version="test",
    date="2026-01-01",
    programs=(
        _program(
            "1001",
            "IL",
            Region.MIDWEST,
            share=0.6,
            channel=VisitingChannel.DIRECT,
            ptype=ProgramType.COMMUNITY,
        ),
        _program("1002", "IL", Region.MIDWEST, share=0.7, channel=VisitingChannel.VSLO),
        _program("1003", "NY", Region.NORTHEAST, share=0.05, channel=VisitingChannel.DIRECT),
        _program("1004", "TX", Region.SOUTH, share=0.3),
        _program("1005", "OH", Region.MIDWEST),
        _program("1006", "CA", Region.WEST, share=0.8, channel=VisitingChannel.DIRECT),
    ),
)


def _profile(**over: Any) -> Profile:
    doc: dict[str, Any] = {
        "applicant": {
            "type": "us_img",
            "needs_visa": False,
            "graduation_year": 2025,
            "target_start_year": 2027,
        },
        "exams": {"step1": "pass", "step2_ck": 238},
        "preferences": {"regions": ["Midwest"], "states_with_ties": ["IL"]},
    }
    for key, value in over.items():
        doc[key] = value
    return Profile.model_validate(doc)


def _rotation(
    start: dt.date, *, letter: bool = False, kind: str = "hands_on", site: str = "Site"
) -> dict[str, Any]:
    return {"site": site, "kind": kind, "start": start, "weeks": 4, "letter": letter}


PMR_LETTERS = [{"writer_specialty": "pmr", "us": True}, {"writer_specialty": "pmr", "us": True}]


@pytest.mark.parametrize(
    ("over", "band", "expected"),
    [
        ({}, ScoreBand.SOLID, 3),
        (
            {
                "applicant": {
                    "type": "us_md",
                    "needs_visa": False,
                    "graduation_year": 2027,
                    "target_start_year": 2027,
                }
            },
            ScoreBand.SOLID,
            2,
        ),
        ({"experience": {"us_clinical_months_hands_on": 2}}, ScoreBand.LOW, 2),
        ({}, ScoreBand.LOW, 3),  # no US clinical experience: rotations stay the priority
        (
            {"rotations": [_rotation(D(2026, 3, 2)), _rotation(D(2026, 4, 6))], "letters": PMR_LETTERS},
            ScoreBand.SOLID,
            2,
        ),
    ],
)
def test_recommended_count(over: dict[str, Any], band: ScoreBand, expected: int) -> None:
    count, reasons = recommended_count(_profile(**over), band, DATA)
    assert count == expected and reasons


def test_months_prefer_the_letter_window_and_skip_busy_months() -> None:
    profile = _profile(rotations=[_rotation(D(2026, 7, 1))])  # ends 29 July
    months = new_rotation_months(profile, CYCLE, DATA, D(2026, 1, 10), 3)
    assert months == (D(2026, 5, 1), D(2026, 6, 1), D(2026, 8, 1))


def test_months_for_a_late_start() -> None:
    assert new_rotation_months(_profile(), CYCLE, DATA, D(2026, 6, 15), 3) == (D(2026, 9, 1), D(2026, 10, 1))
    assert new_rotation_months(_profile(), CYCLE, DATA, D(2026, 8, 1), 2) == ()


def test_channel_access_by_applicant_type() -> None:
    direct, vslo, unknown = CATALOGUE.programs[0], CATALOGUE.programs[1], CATALOGUE.programs[3]
    assert channel_access(direct, True) is Access.OPEN
    assert channel_access(vslo, True) is Access.CLOSED
    assert channel_access(vslo, False) is Access.OPEN
    assert channel_access(unknown, True) is Access.UNKNOWN


def test_site_options_for_an_img() -> None:
    options = site_options(_profile(), CATALOGUE)
    letter = [o.program_id for o in options if o.role is SiteRole.LETTER]
    target = [o.program_id for o in options if o.role is SiteRole.TARGET]
    assert letter == [
        "1001",
        "1006",
        "1004",
    ]  # IMG-friendly first, open channel first; VSLO-only 1002 excluded
    assert target == ["1005"]  # in the Midwest, not already a letter site; 1003 takes few IMGs
    unknown = next(o for o in options if o.program_id == "1004")
    assert unknown.access is Access.UNKNOWN and any("channel unknown" in r for r in unknown.reasons)
    assert "1002" not in {o.program_id for o in options}


def test_site_options_for_a_us_student_include_vslo() -> None:
    us = _profile(
        applicant={"type": "us_md", "needs_visa": False, "graduation_year": 2027, "target_start_year": 2027}
    )
    assert "1002" in {o.program_id for o in site_options(us, CATALOGUE)}


def test_three_rotations_done_means_no_application_task() -> None:
    done = [
        _rotation(D(2026, 3, 2), letter=True),
        _rotation(D(2026, 4, 6), letter=True),
        _rotation(D(2026, 5, 4), letter=True),
    ]
    profile = _profile(rotations=done, letters=PMR_LETTERS)
    plan = plan_rotations(profile, CATALOGUE, CYCLE, DATA, D(2026, 6, 15), band=ScoreBand.SOLID)
    assert plan.new_needed == 0 and plan.options == ()
    tasks = rotation_tasks(plan, DATA, D(2026, 6, 15))
    assert not [t for t in tasks if "apply" in t.id or "international" in t.id]
    assert all(t.status is TaskStatus.DONE for t in tasks)


def test_new_rotation_tasks_are_dated_from_the_block() -> None:
    plan = plan_rotations(_profile(), CATALOGUE, CYCLE, DATA, D(2025, 11, 1), band=ScoreBand.SOLID)
    assert [s.start for s in plan.slots] == [D(2026, 6, 1), D(2026, 7, 1), D(2026, 8, 1)]
    tasks = {t.id: t for t in rotation_tasks(plan, DATA, D(2025, 11, 1))}
    apply = tasks["rotation-new-2-apply"]
    assert (apply.start, apply.due) == (D(2026, 3, 1), D(2026, 4, 30))  # March-April for a July block
    office = tasks["rotation-new-2-international-office"]
    assert (office.start, office.due) == (D(2025, 10, 1), D(2026, 1, 1))  # 9 to 6 months ahead
    coordinator = tasks["rotation-new-2-coordinator"]
    assert (coordinator.start, coordinator.due) == (D(2026, 6, 17), D(2026, 6, 24))
    letter = tasks["rotation-new-2-letter"]
    assert (letter.start, letter.due) == (D(2026, 7, 22), D(2026, 7, 29))


def test_us_student_gets_no_international_office_task() -> None:
    us = _profile(
        applicant={"type": "us_do", "needs_visa": False, "graduation_year": 2027, "target_start_year": 2027}
    )
    plan = plan_rotations(us, CATALOGUE, CYCLE, DATA, D(2025, 11, 1), band=ScoreBand.SOLID)
    assert not [t for t in rotation_tasks(plan, DATA, D(2025, 11, 1)) if "international" in t.id]


def test_letter_ask_is_open_until_the_rotation_ends() -> None:
    profile = _profile(rotations=[_rotation(D(2026, 6, 1), letter=True)])
    during = plan_rotations(profile, CATALOGUE, CYCLE, DATA, D(2026, 6, 10), band=ScoreBand.SOLID)
    tasks = {t.id: t for t in rotation_tasks(during, DATA, D(2026, 6, 10))}
    assert tasks["rotation-1-coordinator"].status is TaskStatus.DONE
    assert tasks["rotation-1-letter"].status is TaskStatus.TODO
    after = {t.id: t for t in rotation_tasks(during, DATA, D(2026, 7, 1))}
    assert after["rotation-1-letter"].status is TaskStatus.DONE


def test_too_late_for_new_rotations_gives_a_late_application_task() -> None:
    today = D(2026, 10, 5)
    plan = plan_rotations(_profile(), CATALOGUE, CYCLE, DATA, today, band=ScoreBand.SOLID)
    assert plan.unplaced == 3 and any("no longer fit" in n for n in plan.notes)
    (task,) = finalize(rotation_tasks(plan, DATA, today), today)
    assert task.id == "rotation-apply" and task.status is TaskStatus.LATE
    assert "virtual elective" in task.instead


def test_document_checklist_per_applicant_and_site() -> None:
    profile = _profile(
        rotations=[_rotation(D(2026, 3, 2))],
        applicant={
            "type": "non_us_img",
            "needs_visa": True,
            "graduation_year": 2024,
            "target_start_year": 2027,
        },
    )
    plan = plan_rotations(
        profile,
        CATALOGUE,
        CYCLE,
        DATA,
        D(2026, 4, 1),
        band=ScoreBand.SOLID,
        ready_documents=frozenset({"transcript"}),
    )
    docs = {d.key: d for d in plan.checklist}
    assert {"english", "visa", "malpractice"} <= set(docs)
    assert docs["transcript"].status == "ready"
    assert docs["enrolment"].status.endswith("diploma")
    per_site = dict(docs["cv"].per_site)
    assert per_site["Site (hands-on)"] == "done"  # that rotation is over
    assert {v for k, v in per_site.items() if k != "Site (hands-on)"} == {"send with the first email"}
    us = plan_rotations(
        _profile(
            applicant={
                "type": "us_md",
                "needs_visa": False,
                "graduation_year": 2027,
                "target_start_year": 2027,
            }
        ),
        CATALOGUE,
        CYCLE,
        DATA,
        D(2026, 4, 1),
        band=ScoreBand.SOLID,
    )
    assert not {"english", "visa"} & {d.key for d in us.checklist}


def test_evidence_marks_the_early_observership_done() -> None:
    assert evidence(_profile(experience={"us_clinical_months_observership": 1}), CYCLE) == {
        "early-observership": TaskStatus.DONE
    }
    assert evidence(_profile(), CYCLE) == {}


def test_letter_plan_counts_gaps_and_times_the_asks() -> None:
    profile = _profile(
        letters=[{"writer_specialty": "pmr", "us": True}, {"writer_specialty": "other", "us": False}]
    )
    plan = plan_letters(profile, CYCLE, DATA, rotation_asks=0)
    assert plan.missing == (
        "1 letter(s) from US physiatrists",
        "1 letter(s) from core specialty or research mentor",
    )
    tasks = {t.id: t for t in plan.tasks}
    core = tasks["letter-core-or-research-1"]
    assert (core.start, core.due) == (D(2026, 6, 23), D(2026, 7, 23))  # 3 to 2 months before programs review
    assert "letter-us-physiatrist-1" in tasks
    covered = plan_letters(profile, CYCLE, DATA, rotation_asks=2)
    assert [n.missing for n in covered.needs] == [0, 1]
    assert any("outside the US" in n for n in covered.notes)
