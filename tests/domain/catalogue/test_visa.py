"""A visa-needing applicant is never placed at a catalogue program known to sponsor none of the visas
the applicant can use (tested on the real bundled catalogue)."""

from __future__ import annotations

import pytest

from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import VisaType

CAT = bundled_catalogue()


@pytest.mark.parametrize("visa", list(VisaType))
def test_accepts_visa_is_false_exactly_when_every_usable_type_is_known_not_sponsored(visa: VisaType) -> None:
    usable = {
        VisaType.J1: ("visa_j1",),
        VisaType.H1B: ("visa_h1b",),
        VisaType.EITHER: ("visa_j1", "visa_h1b"),
    }
    for program in CAT.programs:
        values = [getattr(program, field).value for field in usable[visa]]
        verdict = program.accepts_visa(visa)
        if any(v is True for v in values):
            assert verdict is True, (program.id, visa)
        elif all(v is False for v in values):
            assert verdict is False, (program.id, visa)
        else:
            assert verdict is None, (program.id, visa)


def test_real_programs_that_refuse_h1b_are_closed_to_an_h1b_applicant_but_not_to_a_j1_one() -> None:
    refusing = [p for p in CAT.programs if p.visa_h1b.value is False]
    assert refusing, "the catalogue records programs that do not sponsor H-1B"
    for program in refusing:
        assert program.accepts_visa(VisaType.H1B) is False
        assert program.visa_h1b.source, program.id  # a "no" is a sourced fact, never a default
        if program.visa_j1.value is True:
            assert program.accepts_visa(VisaType.J1) is True
            assert program.accepts_visa(VisaType.EITHER) is True
