"""The fellowship plan: windows by track, pinned plans with late and missing items, letters, lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.data.fellowships import bundled_fellowships
from smartpick.domain.fellowship.planner import (
    FellowshipPlan,
    Milestone,
    Status,
    cycle_year,
    pgy_on,
    plan,
    status_of,
)
from smartpick.domain.fellowship.portfolio import Portfolio, TrackId
from smartpick.domain.fellowship.tracks import FellowshipData, Route, window
from smartpick.domain.validation import parse_model

DATA = bundled_fellowships()
D = dt.date


def portfolio(start: int, interests: list[str], **sections: Any) -> Portfolio:
    resident = {"name": "R", "pgy": 3, "residency_start_year": start, "interests": interests}
    return parse_model(Portfolio, {"resident": resident, **sections})


def by_id(result: FellowshipPlan) -> dict[str, Milestone]:
    return {m.id: m for m in result.milestones}


def statuses(result: FellowshipPlan) -> dict[str, str]:
    return {m.id: m.status.value for m in result.milestones}


SPINE_MENTOR = {"name": "Dr. Spine", "subspecialty": "spine_msk"}
PROGRESS = {
    "faculty_meetings": [D(2024, 9, 1), D(2025, 1, 10)],
    "preparation_folder": D(2024, 8, 1),
    "pd_meeting": D(2025, 10, 1),
    "tracking_document": D(2025, 12, 1),
}


def test_data_file_covers_every_track_with_provenance() -> None:
    assert {t.id for t in DATA.track} == set(TrackId)
    for t in DATA.track:
        for fact in (t.accreditation, t.route, t.competitiveness, t.applications, t.opens, t.deadline):
            assert fact.provenance.startswith(("source: ", "estimate: "))
    pain, spine, sports = DATA.get(TrackId.PAIN), DATA.get(TrackId.SPINE_MSK), DATA.get(TrackId.SPORTS)
    assert (pain.applications.text, spine.applications.text, sports.applications.text) == (
        "15-30",
        "10-20+",
        "10-20",
    )
    assert pain.route.value is Route.ERAS_NRMP and pain.accreditation.value == "acgme"


def test_spine_window_sits_before_pain_and_sports() -> None:
    spine, pain, sports = (
        window(DATA.get(t), 2028) for t in (TrackId.SPINE_MSK, TrackId.PAIN, TrackId.SPORTS)
    )
    assert spine.opens == D(2026, 7, 1)  # early PGY-3 for a July 2024 start
    assert pain.opens == D(2026, 12, 1) and pain.deadline == D(2027, 5, 31)  # late spring of PGY-3
    assert sports.opens == D(2027, 7, 1) and sports.decision == D(2028, 1, 1)
    assert spine.deadline < pain.deadline < sports.deadline


def test_spine_pgy3_september_without_subspecialty_letter_is_late() -> None:
    p = portfolio(
        2024,
        ["spine_msk"],
        mentors=[SPINE_MENTOR, {"name": "Dr. PD", "role": "pd"}],
        presentations=[{"title": "P", "kind": "poster", "level": "national", "date": D(2025, 10, 1)}],
        progress=PROGRESS,
    )
    result = plan(p, DATA, D(2026, 9, 15))
    assert result.pgy_now == 3 and result.cycle_year == 2028
    letters = by_id(result)["2028.spine_msk.letters"]
    assert (letters.status, letters.start, letters.due) == (Status.LATE, D(2026, 7, 1), D(2026, 8, 1))
    assert "0 of 2-3 subspecialty writers asked; PD/APD not asked yet" in letters.why
    assert statuses(result) == {
        "pgy1.faculty-meetings": "done",
        "pgy1.folder": "done",
        "pgy2.narrow": "done",
        "pgy2.mentor.spine_msk": "done",
        "pgy2.pd-meeting": "done",
        "pgy2.tracking-document": "done",
        "pgy2.posters": "done",
        "2028.spine_msk.program-list": "late",
        "2028.spine_msk.statement": "late",
        "2028.spine_msk.letters": "late",
        "2028.spine_msk.mock-interview": "late",
        "2028.spine_msk.submit": "on_track",
        "2028.spine_msk.decision": "on_track",
        "2028.gap.emg": "on_track",
        "2028.gap.ultrasound": "on_track",
    }


def test_spine_after_the_deadline_turns_late_items_missing() -> None:
    p = portfolio(2024, ["spine_msk"], mentors=[SPINE_MENTOR], progress=PROGRESS)
    got = statuses(plan(p, DATA, D(2026, 11, 2)))
    assert got["2028.spine_msk.letters"] == "missing"
    assert got["2028.spine_msk.submit"] == "missing"
    assert got["2028.spine_msk.program-list"] == "missing"
    assert got["pgy2.posters"] == "missing"  # no poster before the first deadline
    assert got["2028.spine_msk.mock-interview"] == "late"  # still helps until offers


def test_pain_pgy2_one_faculty_meeting_is_late_and_window_far_off() -> None:
    p = portfolio(
        2025,
        ["pain"],
        mentors=[{"name": "Dr. Pain", "subspecialty": "pain"}],
        progress={"faculty_meetings": [D(2025, 9, 12)], "preparation_folder": D(2025, 8, 15)},
    )
    result = plan(p, DATA, D(2026, 11, 23))
    got = by_id(result)
    assert got["pgy1.faculty-meetings"].status is Status.LATE and "1 of 2" in got["pgy1.faculty-meetings"].why
    assert got["pgy2.pd-meeting"].due == D(2027, 6, 30)  # end of PGY-2: pain opens later than 3 months after
    assert got["2029.pain.letters"].start == D(2028, 2, 29) and got["2029.pain.letters"].due == D(2028, 3, 31)
    assert {m.status for m in result.milestones} == {Status.DONE, Status.ON_TRACK, Status.LATE}


def test_pain_pgy3_april_late_letters_and_statement() -> None:
    p = portfolio(
        2024,
        ["pain"],
        mentors=[{"name": "Dr. Pain", "subspecialty": "pain", "letter": "asked"}],
        progress={**PROGRESS, "statement_reviewers": ["Dr. Pain"], "program_list_final": D(2026, 11, 20)},
    )
    got = statuses(plan(p, DATA, D(2027, 4, 15)))
    assert got["2028.pain.program-list"] == "done"
    assert got["2028.pain.statement"] == "late"  # 1 of 2 reviewers, due when ERAS opened in December
    assert got["2028.pain.letters"] == "late"  # 1 writer, no PD/APD, ask-by was 31 March
    assert got["2028.pain.submit"] == "on_track"
    assert got["pgy2.posters"] == "late"
    after = statuses(plan(p, DATA, D(2027, 6, 1)))
    assert after["2028.pain.letters"] == "missing" and after["2028.pain.submit"] == "missing"


def test_same_resident_spine_dates_precede_pain_dates() -> None:
    p = portfolio(2024, ["spine_msk", "pain"])
    got = by_id(plan(p, DATA, D(2025, 8, 1)))
    assert got["2028.spine_msk.letters"].due < got["2028.pain.letters"].due
    assert got["pgy2.pd-meeting"].due == D(2026, 4, 1)  # 3 months before spine opens


def test_letters_done_with_two_subspecialty_writers_and_the_pd() -> None:
    writers = [{"name": f"Dr. {i}", "subspecialty": "pain", "letter": "agreed"} for i in range(2)]
    p = portfolio(
        2024, ["pain"], mentors=[*writers, {"name": "Dr. PD", "role": "apd", "letter": "submitted"}]
    )
    result = plan(p, DATA, D(2027, 3, 1))
    assert by_id(result)["2028.pain.letters"].status is Status.DONE
    assert (
        result.letters[0].subspecialty_writers == ("Dr. 0", "Dr. 1")
        and result.letters[0].leadership_writer == "Dr. PD"
    )


def test_failed_cycle_moves_the_plan_a_year_and_advises() -> None:
    p = portfolio(
        2024,
        ["spine_msk"],
        cycles=[{"year": 2028, "tracks": ["spine_msk"], "applications": 8, "outcome": "unmatched"}],
    )
    result = plan(p, DATA, D(2028, 2, 1))
    assert cycle_year(p) == 2029 and result.cycle_year == 2029
    assert "2029.spine_msk.letters" in by_id(result)
    texts = [a.text for a in result.reapplication]
    assert any("research" in t for t in texts) and any("general PM&R" in t for t in texts)
    assert (
        "Interventional spine & musculoskeletal medicine: you applied to 8 programs; usual: 10-20+" in texts
    )
    assert any("Pain medicine, Sports medicine" in t for t in texts)
    assert result.lists[0].strength == "building" and result.lists[0].programs == 20


def test_closed_windows_without_a_recorded_cycle_are_noted() -> None:
    notes = plan(portfolio(2022, ["sports"]), DATA, D(2026, 11, 23)).notes
    assert any(n.startswith("every window for a July 2026 start has closed") for n in notes)
    assert not any("has closed" in n for n in plan(portfolio(2024, ["sports"]), DATA, D(2026, 11, 23)).notes)


def test_no_reapplication_advice_without_a_failed_cycle() -> None:
    p = portfolio(2024, ["pain"], cycles=[{"year": 2028, "tracks": ["pain"], "outcome": "matched"}])
    assert plan(p, DATA, D(2027, 11, 1)).reapplication == ()


def test_matched_sports_resident_gets_sports_gaps() -> None:
    p = portfolio(
        2024,
        ["spine_msk", "sports"],
        cycles=[{"year": 2028, "tracks": ["sports"], "outcome": "matched"}],
        rotations=[{"name": "US", "start": D(2027, 8, 1), "end": D(2027, 9, 1), "skills": ["ultrasound"]}],
    )
    got = statuses(plan(p, DATA, D(2028, 4, 1)))
    assert got["2028.gap.ultrasound"] == "done" and got["2028.gap.event_coverage"] == "late"
    assert got["2028.sports.decision"] == "done"


def test_list_size_follows_strength_and_tiers() -> None:
    strong = portfolio(
        2024,
        ["pain"],
        in_service=[{"year": 2026, "pgy": 3, "percentile": 80}],
        projects=[{"title": "T", "status": "accepted", "tracks": ["pain"]}],
    )
    advice = plan(strong, DATA, D(2026, 9, 1)).lists[0]
    assert (advice.strength, advice.programs, advice.reach, advice.target, advice.safety) == (
        "strong",
        15,
        3,
        9,
        3,
    )
    typical = plan(
        portfolio(2024, ["sports"], in_service=[{"year": 2026, "pgy": 3, "percentile": 80}]),
        DATA,
        D(2026, 9, 1),
    ).lists[0]
    assert (typical.strength, typical.programs, typical.reach, typical.safety) == ("typical", 15, 2, 4)
    assert advice.source.startswith("source: seeds/000") and advice.tier_source.startswith("estimate: ")


def test_declared_pgy_that_disagrees_with_the_start_year_is_noted() -> None:
    notes = plan(portfolio(2024, ["pain"]), DATA, D(2027, 8, 1)).notes
    assert (
        notes[0]
        == "portfolio says PGY-3, but a July 2024 start makes 2027-08-01 PGY-4; dates follow the start year"
    )


def test_pgy_on_and_status_rules() -> None:
    assert [pgy_on(2024, d) for d in (D(2024, 6, 30), D(2024, 7, 1), D(2025, 6, 30), D(2027, 7, 1))] == [
        0,
        1,
        1,
        4,
    ]
    due, cutoff = D(2026, 5, 1), D(2026, 8, 1)
    assert status_of(done=False, today=due, due=due, cutoff=cutoff) is Status.ON_TRACK
    assert status_of(done=False, today=D(2026, 5, 2), due=due, cutoff=cutoff) is Status.LATE
    assert status_of(done=False, today=D(2026, 8, 2), due=due, cutoff=cutoff) is Status.MISSING
    assert status_of(done=True, today=D(2030, 1, 1), due=due, cutoff=cutoff) is Status.DONE


def test_data_rejects_a_track_opening_after_its_deadline() -> None:
    raw = DATA.model_dump(mode="python")
    raw["track"][0]["opens"] = {"pgy": 4, "month": 12, "source": "x"}
    with pytest.raises(ValueError, match="opens must not follow"):
        FellowshipData.model_validate(raw)


RANK = {Status.ON_TRACK: 0, Status.LATE: 1, Status.MISSING: 2}


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(2018, 2030),
    interests=st.lists(st.sampled_from(TrackId), min_size=1, max_size=3, unique=True),
    meetings=st.lists(st.dates(D(2018, 1, 1), D(2036, 1, 1)), max_size=3),
    days=st.tuples(st.integers(0, 3000), st.integers(0, 800)),
)
def test_status_only_moves_forward_as_days_pass(
    start: int, interests: list[TrackId], meetings: list[dt.date], days: tuple[int, int]
) -> None:
    p = portfolio(start, [t.value for t in interests], progress={"faculty_meetings": meetings})
    early = D(start, 1, 1) + dt.timedelta(days=days[0])
    later = early + dt.timedelta(days=days[1])
    before, after = by_id(plan(p, DATA, early)), by_id(plan(p, DATA, later))
    assert before.keys() == after.keys()
    for key, m in before.items():
        assert m.start <= m.due
        if m.status is Status.DONE:
            assert after[key].status is Status.DONE
        elif after[key].status is not Status.DONE:
            assert RANK[m.status] <= RANK[after[key].status]
