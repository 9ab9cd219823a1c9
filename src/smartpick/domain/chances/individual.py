"""The applicant's scores at each program, term by term: what the market model turns into chances.

An applicant's *interview score* at a program is the sum of named terms (figures in ``figures.toml``):
Step 2 CK, exams, US clinical experience, letters, research, flags, and the program's own terms (program type
and IMG openness for IMGs, an away rotation there, ties to its state or region). Programs interview the
applicants with the best scores plus noise, and rank them by the *rank score* (Step 2 CK, failures, concerns,
an away rotation there). The market model (:mod:`smartpick.domain.market`) adds the applicant type's fitted
offset and turns the scores into P(interview) and P(match | interviewed) at each program by comparing them
with that program's simulated interview threshold and rank cutoff. Each term is a `Contribution` (its signed
change of the score against the reference applicant), so the reasons shown are exactly what moved the number.
Unknown program facts add nothing and are listed in ``unknowns``. A visa factor is 1 when no visa is needed or
the program sponsors one, 0 when it is known to sponsor none, and the labelled share of sponsoring
programs when the catalogue does not say.

Abbreviations: CK = Step 2 Clinical Knowledge; IMG = international medical graduate; USCE = US clinical
experience; PM&R = physical medicine and rehabilitation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.geography import region_of
from smartpick.domain.catalogue.programs import ImgFriendliness, Program
from smartpick.domain.planning import exams as exam_plan
from smartpick.domain.profile.applicant import (
    ApplicantType,
    ExamResult,
    Profile,
    ProgramType,
    RotationKind,
    Specialty,
)
from smartpick.domain.wording import plural, plural_word


@dataclass(frozen=True)
class Contribution:
    """One signed term of a logit: what it is, how much it moved the log-odds, and the figure behind it."""

    factor: str
    text: str
    logit: float
    figure: str

    def to_json_dict(self) -> dict[str, object]:
        """JSON form."""
        logit = round(self.logit, 3) if math.isfinite(self.logit) else None
        return {"factor": self.factor, "text": self.text, "logit": logit, "figure": self.figure}


@dataclass(frozen=True)
class ProgramChance:
    """The applicant's chances at one program, with reasons; all values are model estimates.

    ``interview_score`` and ``rank_score`` are the applicant's scores on the market's scale (before noise);
    the probabilities come from the simulated markets (:mod:`smartpick.domain.market.chances`).
    """

    program_id: str
    interview_score: float
    rank_score: float
    visa_factor: float
    p_interview: float
    p_interview_if_signalled: float
    p_match_if_interviewed: float
    interview_terms: tuple[Contribution, ...]
    rank_terms: tuple[Contribution, ...]
    unknowns: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    program_specific: tuple[Contribution, ...] = ()
    estimate: bool = field(default=True)

    @property
    def interview_logit(self) -> float:
        """The interview score (kept under its former name)."""
        return self.interview_score

    def p_interview_signalled(self, _signal_log_odds: float | None = None) -> float:
        """P(interview) when the applicant sends this program a signal."""
        return self.p_interview_if_signalled

    @property
    def p_match(self) -> float:
        """P(interview and the program ranks the applicant high enough), no signal."""
        return self.p_interview * self.p_match_if_interviewed

    def reasons(self, n: int = 3) -> tuple[Contribution, ...]:
        """The ``n`` largest terms by size (visa factor included as a term when it is not 1)."""
        terms = list(self.interview_terms)
        if self.visa_factor < 1.0:
            value = math.log(self.visa_factor) if self.visa_factor > 0 else -math.inf
            text = "program sponsors no visa" if self.visa_factor == 0 else "visa sponsorship unknown"
            terms.append(Contribution("visa", text, value, "visa.sponsor_share_when_unknown"))
        return tuple(sorted(terms, key=lambda c: -abs(c.logit))[:n])


@dataclass(frozen=True)
class ProgramScores:
    """The applicant's interview and rank scores at one program (without the type offset), with terms."""

    program_id: str
    interview: float
    rank: float
    visa_factor: float
    interview_terms: tuple[Contribution, ...]
    rank_terms: tuple[Contribution, ...]
    unknowns: tuple[str, ...]
    sources: tuple[str, ...]
    program_specific: tuple[Contribution, ...]


def sigmoid(x: float) -> float:
    """Logistic function, safe for large arguments."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass(frozen=True)
class ApplicantTerms:
    """The program-independent part of the model for one profile (computed once per recommendation)."""

    score: float
    score_is_estimate: bool
    interview: tuple[Contribution, ...]
    rank: tuple[Contribution, ...]
    interview_base: float
    rank_base: float


def projected_step2(profile: Profile, figures: Figures) -> tuple[float, bool]:
    """Step 2 CK the model uses and whether it is estimated.

    The one projection of `smartpick.domain.planning.exams.projected_step2` (the practice trend on the
    planned test date); with neither a score nor practice scores, the mean of the applicant's type.
    """
    found = exam_plan.projected_step2(profile.exams, figures.step2_pace)
    if found is None:
        return figures.score_distribution[profile.applicant.type].mean, True
    return found.score, found.estimated


def applicant_terms(profile: Profile, figures: Figures) -> ApplicantTerms:
    """Score, exam, experience, letter, research and flag terms of both logits."""
    m = figures.model
    score, estimated = projected_step2(profile, figures)
    inter = [_score_term(score, estimated, m.interview["step2_per_10"].value, m.score_reference, "interview")]
    if profile.applicant.type is not ApplicantType.US_MD and score < m.score_reference:
        extra = m.interview["step2_per_10_non_md"].value * (score - m.score_reference) / 10
        text = "a score below the reference weighs more for DO and IMG applicants"
        inter.append(Contribution("step2_ck_extra", text, extra, "model.interview.step2_per_10_non_md"))
    inter += (
        _exam_terms(profile, figures) + _experience_terms(profile, figures) + _flag_terms(profile, figures)
    )
    rank = [_score_term(score, estimated, m.rank["step2_per_10"].value, m.score_reference, "rank")]
    rank += _rank_flag_terms(profile, figures)
    return ApplicantTerms(
        score=score,
        score_is_estimate=estimated,
        interview=tuple(inter),
        rank=tuple(rank),
        interview_base=sum(c.logit for c in inter),
        rank_base=sum(c.logit for c in rank),
    )


def _score_term(score: float, estimated: bool, per10: float, ref: float, kind: str) -> Contribution:
    what = f"projected Step 2 CK {score:.0f} (estimate)" if estimated else f"Step 2 CK {score:.0f}"
    return Contribution(
        "step2_ck", f"{what} vs reference {ref:.0f}", per10 * (score - ref) / 10, f"model.{kind}.step2_per_10"
    )


def _term(figures: Figures, name: str, text: str, times: float = 1.0) -> Contribution:
    return Contribution(name, text, figures.model.interview[name].value * times, f"model.interview.{name}")


def _rank_term(figures: Figures, name: str, text: str) -> Contribution:
    return Contribution(name, text, figures.model.rank[name].value, f"model.rank.{name}")


def _exam_terms(profile: Profile, figures: Figures) -> list[Contribution]:
    ex, out = profile.exams, []
    if ex.step2_ck is None and _score_late(profile, figures):
        out.append(_term(figures, "step2_pending", "no Step 2 CK score when programs first screen"))
    if ex.step1 is ExamResult.FAIL:
        out.append(_term(figures, "step1_not_passed", "Step 1 not passed"))
    elif ex.step1_attempts > 1:
        out.append(_term(figures, "step1_repeat", f"Step 1 passed on attempt {ex.step1_attempts}"))
    if ex.step2_attempts > 1:
        out.append(_term(figures, "step2_repeat", f"Step 2 CK taken {ex.step2_attempts} times"))
    return out


def _score_late(profile: Profile, figures: Figures) -> bool:
    """Whether the planned Step 2 CK comes too late to be scored before programs review applications."""
    planned = profile.exams.step2_planned_date
    if planned is None:
        return True
    rule = figures.strategy
    return planned > dt.date(profile.applicant.target_start_year - 1, rule.step2_scored_by_month,
                             rule.step2_scored_by_day)  # fmt: skip


def _experience_terms(profile: Profile, figures: Figures) -> list[Contribution]:
    out = []
    months = profile.experience.us_clinical_months_hands_on
    if profile.applicant.type.is_img and months == 0:
        out.append(_term(figures, "usce_none_img", "no hands-on US clinical experience"))
    elif profile.applicant.type.is_img and months < figures.strategy.usce_little_months:
        text = f"{plural(months, 'month')} of hands-on US clinical experience"
        out.append(_term(figures, "usce_little_img", text))
    pmr = [x for x in profile.letters if x.writer_specialty is Specialty.PMR and x.us]
    if not pmr:
        out.append(_term(figures, "pmr_letters_none", "no letter from a US physiatrist"))
    elif len(pmr) == 1:
        out.append(_term(figures, "pmr_letters_one", "one US physiatrist letter (two expected)"))
    strong = min(2, sum(1 for x in pmr if x.strength.value == "strong"))
    if strong:
        text = f"{plural(strong, 'strong US physiatrist letter')}"
        out.append(_term(figures, "pmr_letter_strong", text, strong))
    res = profile.research
    if res.publications + res.posters > 0:
        name = "research_pmr" if res.pmr_related else "research_other"
        count = res.publications + res.posters
        out.append(_term(figures, name, f"{plural(count, 'publication')} or {plural_word(count, 'poster')}"))
    return out


def _flag_terms(profile: Profile, figures: Figures) -> list[Contribution]:
    out, gap = [], profile.red_flags.training_gap_months
    if gap >= figures.strategy.gap_major_months:
        out.append(_term(figures, "gap_major", f"{gap}-month training gap"))
    elif gap > 0:
        out.append(_term(figures, "gap_minor", f"{gap}-month training gap"))
    if profile.red_flags.notes.strip():
        out.append(_term(figures, "reported_concern", "reported concern in the profile"))
    years = profile.applicant.target_start_year - profile.applicant.graduation_year
    if years >= figures.strategy.years_since_graduation_flag:
        out.append(_term(figures, "years_since_graduation", f"{years} years from graduation to start"))
    return out


def _rank_flag_terms(profile: Profile, figures: Figures) -> list[Contribution]:
    ex, out = profile.exams, []
    if ex.step1 is ExamResult.FAIL or ex.step1_attempts > 1 or ex.step2_attempts > 1:
        out.append(_rank_term(figures, "exam_failure", "exam failure on record"))
    if profile.red_flags.notes.strip():
        out.append(_rank_term(figures, "reported_concern", "reported concern"))
    return out


def program_terms(
    profile: Profile, program: Program, figures: Figures
) -> tuple[list[Contribution], list[str]]:
    """Program-specific interview terms and the facts that were unknown."""
    terms: list[Contribution] = []
    unknowns: list[str] = []
    if not program.positions:
        unknowns.append("positions")
    if profile.applicant.type.is_img:
        _img_terms(profile, program, figures, terms, unknowns)
    elif program.program_type.value is ProgramType.UNIVERSITY:
        terms.append(_term(figures, "university_us", "university program"))
    rotation = _rotation_here(profile, program)
    if rotation is not None:
        terms.append(
            _term(figures, f"away_{rotation.value}", f"{rotation.value.replace('_', '-')} rotation here")
        )
    _geo_terms(profile, program, figures, terms, unknowns)
    return terms, unknowns


def _img_terms(
    profile: Profile, program: Program, figures: Figures, terms: list[Contribution], unknowns: list[str]
) -> None:
    kind = program.program_type.value
    if kind is None:
        unknowns.append("program type")
    elif kind is ProgramType.UNIVERSITY:
        terms.append(_term(figures, "university_img", "university program (fewer IMGs)"))
    elif kind is ProgramType.COMMUNITY:
        terms.append(_term(figures, "community_img", "community program (more IMGs)"))
    elif kind is ProgramType.UNIVERSITY_AFFILIATED:
        terms.append(_term(figures, "community_img", "university-affiliated community program", 0.5))
    tier = program.img_friendliness
    if tier is ImgFriendliness.UNKNOWN:
        unknowns.append("IMG share")
    else:
        terms.append(_term(figures, f"img_{tier.value}", f"IMG-friendliness {tier.value}"))
    if profile.applicant.type.value == "us_img" and program.us_img_present.value is True:
        terms.append(_term(figures, "us_img_present", "recent US-IMG residents"))


def _rotation_here(profile: Profile, program: Program) -> RotationKind | None:
    refs = {program.id, program.acgme_id.value, *(t.code for t in program.tracks)}
    kinds = [r.kind for r in profile.rotations if r.program is not None and r.program in refs]
    for kind in (RotationKind.HANDS_ON, RotationKind.OBSERVERSHIP, RotationKind.VIRTUAL):
        if kind in kinds:
            return kind
    return None


def _geo_terms(
    profile: Profile, program: Program, figures: Figures, terms: list[Contribution], unknowns: list[str]
) -> None:
    state = program.state.value
    if state is None:
        unknowns.append("state")
        return
    ties = profile.preferences.states_with_ties
    if state in ties:
        terms.append(_term(figures, "state_ties", f"ties to {state}"))
    elif program.region.value is not None and any(region_of(s) == program.region.value for s in ties):
        terms.append(_term(figures, "region_ties", f"ties in the {program.region.value}"))
    speaks = any(lang.casefold() == "spanish" for lang in profile.applicant.languages)
    if speaks and state in figures.spanish_speaking_states.value:
        terms.append(_term(figures, "spanish", f"speaks Spanish ({state})"))


def visa_usable(profile: Profile, program: Program) -> bool | None:
    """Whether the program sponsors a visa the applicant can use (J-1, H-1B or either); None when unknown.

    True when no visa is needed.
    """
    needed = profile.applicant.visa_needed
    if needed is None:
        return True
    return needed.usable(j1=program.visa_j1.value, h1b=program.visa_h1b.value)


def visa_factor(profile: Profile, program: Program, figures: Figures) -> float:
    """1 with no visa need or a usable visa sponsored; 0 when known not to be; else the labelled share."""
    usable = visa_usable(profile, program)
    if usable is None:
        return figures.visa["sponsor_share_when_unknown"].value
    return 1.0 if usable else 0.0


def rank_terms(profile: Profile, program: Program, figures: Figures) -> list[Contribution]:
    """Program-specific rank terms (an away rotation here)."""
    rotation = _rotation_here(profile, program)
    if rotation in (RotationKind.HANDS_ON, RotationKind.OBSERVERSHIP):
        name = f"away_{rotation.value}"
        return [_rank_term(figures, name, f"{rotation.value.replace('_', '-')} rotation here")]
    return []


def program_scores(
    profile: Profile, program: Program, figures: Figures, *, base: ApplicantTerms | None = None
) -> ProgramScores:
    """The applicant's interview and rank scores at one program (type offset excluded), with reasons.

    Args:
        profile: the applicant.
        program: a catalogue program.
        figures: the model's figures.
        base: `applicant_terms(profile, figures)` when already computed (speeds up whole catalogues).
    """
    base = base or applicant_terms(profile, figures)
    pterms, unknowns = program_terms(profile, program, figures)
    rterms = rank_terms(profile, program, figures)
    vf = visa_factor(profile, program, figures)
    if visa_usable(profile, program) is None:
        unknowns.append("visa sponsorship")
    inter = (*base.interview, *pterms)
    ranks = (*base.rank, *rterms)
    used = {c.figure for c in (*inter, *ranks)}
    if vf < 1.0:
        used.add("visa.sponsor_share_when_unknown")
    return ProgramScores(
        program_id=program.id,
        interview=base.interview_base + sum(c.logit for c in pterms),
        rank=base.rank_base + sum(c.logit for c in rterms),
        visa_factor=vf,
        interview_terms=tuple(c for c in inter if c.logit != 0.0),
        rank_terms=tuple(c for c in ranks if c.logit != 0.0),
        unknowns=tuple(unknowns),
        sources=tuple(sorted(used)),
        program_specific=_once_per_factor(c for c in (*pterms, *rterms) if c.logit != 0.0),
    )


def _once_per_factor(terms: Iterable[Contribution]) -> tuple[Contribution, ...]:
    """Each factor once, its interview term first (an away rotation there moves both scores: shown once)."""
    seen: set[str] = set()
    out = []
    for c in terms:
        if c.factor not in seen:
            seen.add(c.factor)
            out.append(c)
    return tuple(out)
