"""Rank-list builder and checks: true preference order, supplemental PGY-1 lists, probability of matching.

Abbreviations: ROL = rank order list; PGY-1 = first postgraduate year (preliminary or transitional year);
an *advanced* PM&R position starts at PGY-2, so the applicant attaches a *supplemental* ROL of PGY-1
programs to it (DOMAIN.md, seeds/003; PUBLIC_FIGURES §2.6).

Why true preference order: the NRMP algorithm is applicant-proposing (Roth & Peranson 1999), so ranking
programs in the order you truly prefer them is always safe; ordering by perceived chances can only lose.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.catalogue.geography import US_STATE_CODES, region_of
from smartpick.domain.catalogue.programs import Catalogue, TrackType
from smartpick.domain.communication.messages import Severity
from smartpick.errors import InputError

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
NRMP_MAX_RANKS = 300
NRMP_INCLUDED_PROGRAMS = 20
"""ROL limits: at most 300 ranks; 20 unique programs on the primary list and 20 across supplemental lists are
included in the fee, more cost extra (PUBLIC_FIGURES §2.6, NRMP guidance)."""


MAX_RANKS = 300
"""NRMP's limit on one rank order list (primary list plus supplemental lists)."""


class RankEntry(FrozenModel):
    """One rank: a catalogue program and, for an advanced program, its supplemental PGY-1 list."""

    program: Ref
    supplemental: tuple[Ref, ...] = Field(default=(), max_length=MAX_RANKS)


class RankList(FrozenModel):
    """The content of ``ranklist.toml`` (FORMATS.md): ``[[rank]]`` tables, most preferred first."""

    rank: tuple[RankEntry, ...] = Field(min_length=1, max_length=MAX_RANKS)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        seen: set[str] = set()
        for entry in self.rank:
            if entry.program in seen:
                raise ValueError(f"program {entry.program!r} is ranked twice; rank each program once")
            seen.add(entry.program)
            if len(set(entry.supplemental)) != len(entry.supplemental):
                raise ValueError(f"the supplemental list of {entry.program!r} repeats a PGY-1 program")
        return self


class ProgramPreference(FrozenModel):
    """How much the applicant wants one interviewed program."""

    id: Ref
    score: Annotated[float, Field(ge=0, le=100)] | None = None
    chance: Annotated[float, Field(ge=0, le=1)] | None = None
    supplemental: tuple[Ref, ...] | None = None
    would_attend: bool = True


class Pgy1Preference(FrozenModel):
    """A PGY-1 (preliminary / transitional) program for supplemental lists."""

    id: Ref
    score: Annotated[float, Field(ge=0, le=100)] | None = None
    state: str | None = Field(default=None, description="a two-letter US state code")

    @model_validator(mode="after")
    def _state(self) -> Self:
        if self.state is not None and self.state not in US_STATE_CODES:
            raise ValueError(f"unknown state code {self.state!r}; use two-letter US codes such as IL")
        return self


class PairwiseChoice(FrozenModel):
    """A choice: I prefer ``prefer`` over ``over`` (for programs hard to score)."""

    prefer: Ref
    over: Ref


class RankPreferences(FrozenModel):
    """The content of ``rank-preferences.toml``: scores and/or pairwise choices, PGY-1 programs."""

    program: tuple[ProgramPreference, ...] = Field(min_length=1, max_length=MAX_RANKS)
    pgy1: tuple[Pgy1Preference, ...] = Field(default=(), max_length=MAX_RANKS)
    pairwise: tuple[PairwiseChoice, ...] = Field(default=(), max_length=1_000)

    @model_validator(mode="after")
    def _references(self) -> Self:
        ids = [p.id for p in self.program]
        if len(set(ids)) != len(ids):
            raise ValueError("a program appears twice in [[program]]; list each once")
        for choice in self.pairwise:
            for ref in (choice.prefer, choice.over):
                if ref not in ids:
                    raise ValueError(f"pairwise choice names {ref!r}, which is not a [[program]] id")
            if choice.prefer == choice.over:
                raise ValueError(f"pairwise choice compares {choice.prefer!r} with itself")
        return self

    def get(self, ref: str) -> ProgramPreference | None:
        """The preference for a program id."""
        return next((p for p in self.program if p.id == ref), None)


@dataclass(frozen=True)
class Problem:
    """One rank-list check result."""

    code: str
    severity: Severity
    program: str | None
    message: str


def preference_order(prefs: RankPreferences) -> tuple[str, ...]:
    """Programs the applicant would attend, most preferred first.

    Steps: (1) a pairwise choice that contradicts the scores is an input error; (2) "a before b" comes from
    pairwise choices and from higher scores; (3) topological order (Kahn), taking the highest-scored ready
    program first, then file order; a cycle of pairwise choices is an input error.
    """
    score = {p.id: p.score for p in prefs.program if p.would_attend}
    before: dict[str, set[str]] = {i: set() for i in score}  # program -> programs that must come before it
    for n, choice in enumerate(prefs.pairwise):
        a, b, sa, sb = choice.prefer, choice.over, score.get(choice.prefer), score.get(choice.over)
        if sa is not None and sb is not None and sa < sb:
            raise InputError(f"pairwise[{n}]", f"{a} over {b}", f"agreement with the scores ({sa} < {sb})")
        if a in before and b in before:
            before[b].add(a)
    for a, sa in score.items():
        before[a] |= {b for b, sb in score.items() if sa is not None and sb is not None and sb > sa}
    order: list[str] = []
    while len(order) < len(before):
        ready = [i for i in before if i not in order and before[i] <= set(order)]
        if not ready:
            stuck = " > ".join(i for i in before if i not in order)
            raise InputError("pairwise", stuck, "choices without a cycle (A over B, B over C, C over A)")
        order.append(min(ready, key=lambda i: -(score[i] or 0) if score[i] is not None else math.inf))
    return tuple(order)


def needs_supplemental(ref: str, catalogue: Catalogue) -> bool | None:
    """True for an advanced position, False for categorical/reserved, None when the program id offers both."""
    program = catalogue.get(ref)
    if program is None:
        return None
    track = next((t for t in program.tracks if t.code == ref), None)
    if track is not None:
        return track.type is TrackType.ADVANCED
    types = program.track_types
    if TrackType.ADVANCED not in types:
        return False
    return None if TrackType.CATEGORICAL in types else True


def _position_key(ref: str, catalogue: Catalogue) -> tuple[str, str | None]:
    """(catalogue id, NRMP track code or ``None`` for the program as a whole) of a reference."""
    program = catalogue.get(ref)
    if program is None:
        return ref.strip(), None
    code = next(
        (t.code for t in program.tracks if t.code and t.code.casefold() == ref.strip().casefold()), None
    )
    return program.id, code


def same_program_twice(refs: Iterable[str], catalogue: Catalogue) -> list[tuple[int, int]]:
    """Index pairs (earlier, later) of references naming one program position twice.

    A catalogue id, ACGME number or alias names the whole program, so it clashes with any other reference
    to the same program; two NRMP codes clash only when they are the same track (an advanced and a
    categorical track of one program are separate positions, ranked separately).
    """
    seen: dict[str, list[tuple[int, str | None]]] = {}
    clashes = []
    for n, ref in enumerate(refs):
        pid, code = _position_key(ref, catalogue)
        for m, other in seen.get(pid, []):
            if code is None or other is None or code == other:
                clashes.append((m, n))
                break
        seen.setdefault(pid, []).append((n, code))
    return clashes


def build_rank_list(prefs: RankPreferences, catalogue: Catalogue) -> RankList:
    """The rank list in true preference order, with a supplemental PGY-1 list on each advanced program."""
    pgy1 = sorted(prefs.pgy1, key=lambda p: -(p.score or 0) if p.score is not None else math.inf)
    default_supplemental = tuple(p.id for p in pgy1)
    entries = []
    for ref in preference_order(prefs):
        pref = prefs.get(ref)
        given = pref.supplemental if pref else None
        needs = needs_supplemental(ref, catalogue)
        supplemental = given if given is not None else (default_supplemental if needs else ())
        entries.append(RankEntry(program=ref, supplemental=supplemental))
    if not entries:
        allowed = "at least one program you would attend (a rank list ranks only programs you would accept)"
        raise InputError("program.would_attend", "no program", allowed)
    try:
        return RankList(rank=tuple(entries))
    except ValueError as exc:  # pydantic's ValidationError: e.g. a supplemental list naming one program twice
        raise InputError(
            "program.supplemental", None, str(exc).splitlines()[-1].split(", input")[0]
        ) from None


@dataclass(frozen=True)
class Chance:
    """P(match at a program | ranked there), with where the number comes from."""

    p: float
    source: str
    estimate: bool


ChanceOf = Callable[[str], Chance]
"""Per-program chance provider; the recommendation engine or the simulator can be plugged in here."""


@dataclass(frozen=True)
class RankChance:
    """One row of the probability breakdown."""

    program: str
    chance: Chance
    p_match_here: float
    cumulative: float


@dataclass(frozen=True)
class MatchEstimate:
    """Probability of matching somewhere on the list and how it is made up."""

    probability: float
    method: str
    rows: tuple[RankChance, ...]


ANALYTIC_METHOD = (
    "calculated: the chance of matching somewhere is one minus the chance that no program on the list "
    "matches you, treating programs as independent; a program is reached only if every program above it "
    "does not match you"
)


def match_probability(rank_list: RankList, chance_of: ChanceOf) -> MatchEstimate:
    """Analytic probability of matching with this list (independent per-program chances)."""
    miss = 1.0
    rows = []
    for entry in rank_list.rank:
        chance = chance_of(entry.program)
        here = miss * chance.p
        miss *= 1.0 - chance.p
        rows.append(RankChance(entry.program, chance, here, 1.0 - miss))
    return MatchEstimate(1.0 - miss, ANALYTIC_METHOD, tuple(rows))


# Default chance, calibrated on PUBLIC_FIGURES §2.2 (🟡): matched US MD seniors ranked 12.7 PM&R programs on
# average with a ~90.2% match rate, so 1 - (1 - p)^12.7 = 0.902 gives p ~ 0.167 per ranked program; the IMG
# rate (48.5%) with the same list length gives p ~ 0.051. The IMG figure is scaled by the program's
# IMG-friendliness tier (a heuristic). Estimates only, until the chances engine is plugged in (`ChanceOf`).
_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
CHECKS: dict[str, tuple[Severity, str]] = {
    "supplemental.missing": (_E, "advanced (PGY-2 start) program without a supplemental PGY-1 list: if you "
                             "match here you would still need a PGY-1 year"),
    "supplemental.ambiguous-track": (_I, "the program offers categorical and advanced tracks; rank the track "
                                     "code to say which, and attach a PGY-1 list to the advanced one"),
    "supplemental.not-used": (_W, "supplemental PGY-1 lists serve only advanced positions; ignored here"),
    "supplemental.geography": (_W, "the first-choice PGY-1 is in another region than the PGY-2 program"),
    "supplemental.geography-unknown": (_I, "some program or PGY-1 locations are unknown (give `state` for "
                                       "[[pgy1]] entries), so geographic coherence was not fully checked"),
    "ranklist.missing-interviewed": (_W, "you interviewed here but did not rank it; rank every program you "
                                     "would attend"),
    "ranklist.not-interviewed": (_I, "no interview recorded: programs rank only applicants they interviewed"),
    "ranklist.not-preference-order": (_W, "the list does not follow your stated preferences"),
    "ranklist.order-by-chances": (_W, "the list looks ordered by your chances, not your preferences; the "
                                  "match is applicant-proposing, so true preference order is always safe"),
    "ranklist.too-many-ranks": (_E, f"the NRMP accepts at most {NRMP_MAX_RANKS} ranks"),
    "ranklist.extra-fee": (_I, f"the NRMP fee covers {NRMP_INCLUDED_PROGRAMS} programs per list type"),
}  # fmt: skip


def _problem(code: str, program: str | None, detail: str = "") -> Problem:
    severity, text = CHECKS[code]
    return Problem(code, severity, program, f"{detail}: {text}" if detail else text)


def check_rank_list(
    rank_list: RankList,
    catalogue: Catalogue,
    *,
    prefs: RankPreferences | None = None,
    interviewed: tuple[str, ...] | None = None,
) -> tuple[Problem, ...]:
    """Every check, as data: supplemental lists, geography, missing programs, order, NRMP limits."""
    return (
        *check_supplemental(rank_list, catalogue),
        *check_geography(rank_list, catalogue, prefs),
        *check_interviewed(rank_list, interviewed, prefs),
        *check_preference_order(rank_list, prefs),
        *check_limits(rank_list),
    )


def check_supplemental(rank_list: RankList, catalogue: Catalogue) -> Iterator[Problem]:
    """Advanced programs need a supplemental PGY-1 list; categorical ones do not use one."""
    for entry in rank_list.rank:
        needs = needs_supplemental(entry.program, catalogue)
        if needs is True and not entry.supplemental:
            yield _problem("supplemental.missing", entry.program)
        elif needs is None and not entry.supplemental:
            yield _problem("supplemental.ambiguous-track", entry.program)
        elif needs is False and entry.supplemental:
            yield _problem("supplemental.not-used", entry.program)


def check_geography(
    rank_list: RankList, catalogue: Catalogue, prefs: RankPreferences | None
) -> Iterator[Problem]:
    """The first-choice PGY-1 of each advanced program should be in the same region as the program."""
    states = {p.id: p.state for p in (prefs.pgy1 if prefs else ()) if p.state}
    unknown = False
    for entry in (
        e for e in rank_list.rank if e.supplemental and needs_supplemental(e.program, catalogue) is not False
    ):
        program = catalogue.get(entry.program)
        region = program.region.value if program else None
        first_state = states.get(entry.supplemental[0])
        first_region = region_of(first_state) if first_state else None
        if region is None or first_region is None:
            unknown = True
        elif first_region is not region:
            first = entry.supplemental[0]
            where = f"{first} in {first_state} ({first_region.value}), PGY-2 in the {region.value}"
            yield _problem("supplemental.geography", entry.program, where)
    if unknown:
        yield _problem("supplemental.geography-unknown", None)


def check_interviewed(
    rank_list: RankList, interviewed: tuple[str, ...] | None, prefs: RankPreferences | None
) -> Iterator[Problem]:
    """Interviewed programs left off the list, and ranked programs with no interview."""
    if interviewed is None:
        return
    ranked = {e.program for e in rank_list.rank}
    declined = {p.id for p in (prefs.program if prefs else ()) if not p.would_attend}
    for ref in interviewed:
        if ref not in ranked and ref not in declined:
            yield _problem("ranklist.missing-interviewed", ref)
    for entry in rank_list.rank:
        if entry.program not in interviewed:
            yield _problem("ranklist.not-interviewed", entry.program)


def check_preference_order(rank_list: RankList, prefs: RankPreferences | None) -> Iterator[Problem]:
    """The list should follow stated preferences; an order that follows chances instead is a warning."""
    if prefs is None:
        return
    listed = [e.program for e in rank_list.rank]
    ordered = {
        p for p in listed if (pref := prefs.get(p)) is not None and (pref.score is not None or prefs.pairwise)
    }
    true_order = [p for p in preference_order(prefs) if p in ordered]
    in_list = [p for p in listed if p in true_order]
    wrong = next((n for n, ref in enumerate(in_list) if ref != true_order[n]), None)
    if wrong is not None:
        ref = in_list[wrong]
        yield _problem(
            "ranklist.not-preference-order",
            ref,
            f"ranked #{listed.index(ref) + 1}, but your preferences put {true_order[wrong]} there",
        )
    chances = [c for p in listed if (pref := prefs.get(p)) is not None and (c := pref.chance) is not None]
    follows_chances = len(set(chances)) >= 3 and _tau(chances) >= 0.6
    if follows_chances and (wrong is not None or not true_order):
        yield _problem("ranklist.order-by-chances", None)


def _tau(values: list[float]) -> float:
    """Kendall's tau of ``values`` against list position (1 = strictly decreasing)."""
    pairs = [(a, b) for i, a in enumerate(values) for b in values[i + 1 :] if a != b]
    return float(sum(1 if a > b else -1 for a, b in pairs)) / len(pairs) if pairs else 0.0


def check_limits(rank_list: RankList) -> Iterator[Problem]:
    """NRMP limits: 300 ranks at most; more than 20 programs per list type cost extra."""
    ranks = len(rank_list.rank) + sum(len(e.supplemental) for e in rank_list.rank)
    if ranks > NRMP_MAX_RANKS:
        yield _problem("ranklist.too-many-ranks", None, f"{ranks} ranks")
    pgy1 = {p for e in rank_list.rank for p in e.supplemental}
    if len(rank_list.rank) > NRMP_INCLUDED_PROGRAMS:
        yield _problem("ranklist.extra-fee", None, f"{len(rank_list.rank)} programs on the primary list")
    if len(pgy1) > NRMP_INCLUDED_PROGRAMS:
        yield _problem("ranklist.extra-fee", None, f"{len(pgy1)} PGY-1 programs across supplemental lists")
