"""The NRMP Main Residency Match algorithm: capacities, supplemental PGY-1 lists and couples.

Abbreviations: ROL = rank order list; PGY-1 = first postgraduate year. Programs are ``categorical``,
``advanced`` (start at PGY-2; the applicant needs a separate PGY-1) or ``pgy1`` (preliminary or
transitional year). Source: Roth & Peranson (1999), "The Redesign of the Matching Market for
American Physicians: Some Engineering Aspects of Economic Design", AER 89(4):748-780, and NRMP's
published description of supplemental ROLs.

Steps of :func:`run_nrmp_procedure`:

1. Singles phase. Single applicants enter one at a time (McVitie & Wilson 1971) and propose down
   their primary ROL (applicant-proposing deferred acceptance); a displaced applicant continues
   down their own list. A program holds its best ``capacity`` acceptable applicants.
2. Supplemental lists. While an applicant holds an advanced program that has a supplemental list
   attached, a second proposer walks that list from its top, competing for PGY-1 seats with
   everybody else (PGY-1 programs rank with their own ROLs). If nothing on it accepts, the
   applicant keeps the advanced program without a PGY-1. When the advanced program is lost the
   PGY-1 seat held through it is released and the applicant continues down the primary ROL; a new
   advanced program starts its own supplemental list from the top.
3. Couples, added one at a time. A couple proposes its ranked pairs in order and holds a pair only
   if both programs accept (a null side needs no position). Applicants it displaces re-enter the queue. If
   a member is displaced, the couple withdraws the other member and continues with its next pair.
4. Vacancies. A seat given up without a better applicant taking it (a withdrawn partner, a
   released PGY-1 seat, an applicant moving up) lets every proposer who ranks that program above
   what they hold propose to it again, so the final matching has no blocking pair.
5. Cycles. With couples, and also with supplemental lists (an applicant wants a PGY-1 seat only
   together with an advanced one), a stable matching may not exist. Whenever couples or
   supplemental lists are in play, the procedure hashes its full state each time a proposer is
   taken off the queue and stops when a state repeats within one arrival (``status == "cycle"``),
   or after ``max_proposals`` (``"iteration_limit"``).

Without couples and supplemental lists this is exactly deferred acceptance and gives the unique
applicant-optimal stable matching; :func:`run_match` then calls the compiled kernel. With
supplemental lists or couples it calls the compiled ports of this procedure (same outcome, checked
against this reference by property tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from smartpick.domain.match import _engine as eng
from smartpick.domain.match.arrays import MatchMarket
from smartpick.domain.match.kernel import NUMBA_AVAILABLE, IntArray, deferred_acceptance_counted

CONVERGED: Final = "converged"
CYCLE: Final = "cycle"
ITERATION_LIMIT: Final = "iteration_limit"


@dataclass(frozen=True, eq=False)
class MatchOutcome:
    """The matching found, as id arrays, and how the procedure ended.

    Attributes:
        assignment: Primary program per applicant (categorical, advanced or pgy1), -1 = unmatched.
        pgy1_assignment: PGY-1 program obtained through a supplemental list, -1 = none.
        couple_pair: Index of the pair each couple holds, -1 = none.
        proposals: Number of proposals (entries tried) made.
        status: ``"converged"``, ``"cycle"`` or ``"iteration_limit"``.
    """

    assignment: IntArray
    pgy1_assignment: IntArray
    couple_pair: IntArray
    proposals: int
    status: str

    @property
    def cycle_detected(self) -> bool:
        """True when the procedure stopped without converging."""
        return self.status != CONVERGED


def default_max_proposals(market: MatchMarket) -> int:
    """Return a proposal budget generous for any convergent run of this market."""
    entries = len(market.rol_indices) + len(market.supplemental_indices) + len(market.pair_programs)
    return 200 * entries + 100_000


def run_match(market: MatchMarket, *, max_proposals: int | None = None) -> MatchOutcome:
    """Run the NRMP algorithm; plain markets (no couples, no supplemental lists) use the kernel.

    Args:
        market: The match as arrays.
        max_proposals: Budget after which the procedure stops (default: :func:`default_max_proposals`).

    Returns:
        The outcome; see :func:`run_nrmp_procedure` for the steps.
    """
    if market.n_couples == 0 and not market.has_supplemental:
        assignment, proposals = deferred_acceptance_counted(
            market.rol_indptr, market.rol_indices, market.rol_program_rank, market.capacity
        )
        none = np.full(market.n_applicants, -1, dtype=np.int32)
        return MatchOutcome(assignment, none, np.zeros(0, dtype=np.int32), proposals, CONVERGED)
    if not NUMBA_AVAILABLE:
        return run_nrmp_procedure(market, max_proposals=max_proposals)
    if market.n_couples == 0:
        return run_compiled_procedure(market, max_proposals=max_proposals)
    return run_compiled_couples_procedure(market, max_proposals=max_proposals)


_STATUS = (CONVERGED, CYCLE, ITERATION_LIMIT)


def run_compiled_procedure(market: MatchMarket, *, max_proposals: int | None = None) -> MatchOutcome:
    """Run the procedure with supplemental lists, compiled (markets without couples only).

    Same steps, order and outcome as :func:`run_nrmp_procedure` (see
    :mod:`smartpick.domain.match.procedure_kernel`); without numba it runs that reference instead.

    Raises:
        ValueError: When the market has couples.
    """
    if market.n_couples:
        raise ValueError("the compiled procedure handles markets without couples")
    if not NUMBA_AVAILABLE:
        return run_nrmp_procedure(market, max_proposals=max_proposals)
    from smartpick.domain.match.procedure_kernel import procedure_market, run_supplemental_procedure

    budget = default_max_proposals(market) if max_proposals is None else max_proposals
    assignment, pgy1, proposals, status = run_supplemental_procedure(procedure_market(market, budget))
    return MatchOutcome(assignment, pgy1, np.zeros(0, dtype=np.int32), proposals, _STATUS[status])


def run_compiled_couples_procedure(market: MatchMarket, *, max_proposals: int | None = None) -> MatchOutcome:
    """Run the full procedure (couples and supplemental lists), compiled.

    Same steps, order and outcome as :func:`run_nrmp_procedure` (see
    :mod:`smartpick.domain.match.couples_kernel`); without numba it runs that reference instead.
    """
    if not NUMBA_AVAILABLE:
        return run_nrmp_procedure(market, max_proposals=max_proposals)
    from smartpick.domain.match.couples_kernel import couples_market, run_couples_procedure

    budget = default_max_proposals(market) if max_proposals is None else max_proposals
    assignment, pgy1, pairs, proposals, status = run_couples_procedure(couples_market(market, budget))
    return MatchOutcome(assignment, pgy1, pairs, proposals, _STATUS[status])


def run_nrmp_procedure(market: MatchMarket, *, max_proposals: int | None = None) -> MatchOutcome:
    """Run the full procedure (steps 1-5 of the module docstring) in pure Python.

    Args:
        market: The match as arrays.
        max_proposals: Budget after which the procedure stops (default: :func:`default_max_proposals`).

    Returns:
        The outcome, with ``status`` telling whether it converged.
    """
    budget = default_max_proposals(market) if max_proposals is None else max_proposals
    state = eng.new_state(market)
    members = set(state.couple_of_member)
    singles = [a for a in range(market.n_applicants) if a not in members]
    couples = [2 * market.n_applicants + c for c in range(market.n_couples)]
    status = CONVERGED
    for agent in singles + couples:
        if status != CONVERGED:
            break
        eng.push(state, agent)
        status = _drain(state, budget, detect_cycles=agent >= 2 * state.n or market.has_supplemental)
    return _outcome(state, status)


def _drain(state: eng.EngineState, budget: int, *, detect_cycles: bool) -> str:
    seen: set[int] = set()
    while state.queue:
        agent = state.queue.popleft()
        state.queued[agent] = False
        if state.n <= agent < 2 * state.n and agent not in state.supp_owner_edge:
            continue  # a supplemental proposer whose advanced program was lost meanwhile
        if detect_cycles:
            key = eng.cycle_key(state, agent)
            if key in seen:
                return CYCLE
            seen.add(key)
        _propose(state, agent)
        if state.proposals > budget:
            return ITERATION_LIMIT
    return CONVERGED


def _propose(state: eng.EngineState, agent: int) -> None:
    """Walk the agent's list (above its held entry, or onward from its pointer) until accepted."""
    hold, entries = state.hold[agent], state.entries[agent]
    start, stop = (state.scan[agent], hold) if hold >= 0 else (state.next[agent], len(entries))
    state.scan[agent] = eng._NONE
    for index in range(start, stop):
        state.proposals += 1
        if eng.accepts(state, entries[index], agent):
            _take(state, agent, index)
            return
    if hold < 0:
        eng.set_pointers(state, agent, -1, stop)


def _take(state: eng.EngineState, agent: int, index: int) -> None:
    """Hold entry ``index``: give up old seats, take the new ones, displace, then handle vacancies."""
    freed = eng.release(state, agent)
    eng.set_pointers(state, agent, index, index + 1)
    if agent < state.n:
        freed += _deactivate_supplemental(state, agent)
        edge = eng.is_advanced_with_supplemental(state, agent, index)
        if edge >= 0:
            _activate_supplemental(state, agent, edge)
    for program, applicant, rank in state.entries[agent][index]:
        bumped = eng.insert_seat(state, program, (rank, applicant, agent))
        if bumped is not None:
            freed += _displaced(state, bumped)
    for program in freed:
        eng.vacancy(state, program)


def _displaced(state: eng.EngineState, seat: eng.Seat) -> list[int]:
    """The holder of ``seat`` lost it: couples withdraw the partner, advanced losses free the PGY-1."""
    _, applicant, agent = seat
    freed: list[int] = []
    if agent >= 2 * state.n:
        freed = eng.release(state, agent, skip_applicant=applicant)
    elif agent < state.n:
        freed = _deactivate_supplemental(state, agent)
    # A vacancy may have rewound this agent (``scan``) while it still held the lost entry; the
    # rewind must survive the loss, or a program it prefers and could now get is never retried.
    eng.set_pointers(state, agent, -1, min(state.next[agent], state.scan[agent]))
    state.scan[agent] = eng._NONE
    eng.push(state, agent)
    return freed


def _deactivate_supplemental(state: eng.EngineState, applicant: int) -> list[int]:
    supp = state.n + applicant
    if supp not in state.supp_owner_edge:
        return []
    freed = eng.release(state, supp)
    eng.set_pointers(state, supp, -1, 0)
    eng.set_source(state, supp, 0)
    del state.supp_owner_edge[supp]
    state.entries[supp] = []
    return freed


def _activate_supplemental(state: eng.EngineState, applicant: int, edge: int) -> None:
    market, supp = state.market, state.n + applicant
    lo, hi = int(market.supplemental_indptr[edge]), int(market.supplemental_indptr[edge + 1])
    state.entries[supp] = [
        ((int(market.supplemental_indices[k]), applicant, state.supp_ranks[k]),) for k in range(lo, hi)
    ]
    state.supp_owner_edge[supp] = edge
    eng.set_source(state, supp, edge + 1)
    eng.set_pointers(state, supp, -1, 0)
    eng.push(state, supp)


def _outcome(state: eng.EngineState, status: str) -> MatchOutcome:
    n = state.n
    assignment = np.full(n, -1, dtype=np.int32)
    pgy1 = np.full(n, -1, dtype=np.int32)
    for agent, hold in enumerate(state.hold):
        if hold >= 0:
            target = pgy1 if n <= agent < 2 * n else assignment
            for program, applicant, _ in state.entries[agent][hold]:
                target[applicant] = program
    couple_pair = np.asarray(state.hold[2 * n :], dtype=np.int32)
    return MatchOutcome(assignment, pgy1, couple_pair, state.proposals, status)
