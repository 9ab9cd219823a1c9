"""One simulated PM&R Match, numba-compiled: cohort draws, applications, interviews, rank lists, the match.

Abbreviations: ROL = rank order list; CSR = compressed sparse rows; CK = Step 2 Clinical Knowledge;
USCE = US clinical experience; IMG = international medical graduate.

Steps of one run (:func:`_one_run`; every figure comes in through the parameter vector, see :mod:`.layout`):

1. Seed the run's own xoshiro128** stream (seeds are drawn in the parent, so results do not depend on how
   runs are split across threads or processes).
2. Programs draw this year's desirability (a per-program base plus shared noise) and, where the catalogue does
   not know their visa policy, whether they sponsor (the labelled share).
3. Competitors draw Step 2 CK (by type), an exam failure, USCE (IMGs), a visa need, a home region, how many
   programs they apply to and whether they did a hands-on away rotation (at their favourite program).
4. Applications: each competitor applies to their ``A`` favourite programs (desirability + home-region bonus +
   taste noise) among those that could take them, and signals their top ``signals`` of those.
5. Interviews: each program scores its applicants (type offset + Step 2 CK + failure + USCE + program-type
   terms + home-region tie + signal + away rotation + standard logistic noise) and interviews the best
   ``slots`` (interviews per position x positions); the score of the last one invited is the program's
   interview *threshold* (-inf when it interviews everyone who applied and could be taken).
6. Rank lists: competitors rank every interview by their taste; programs rank interviewees by the rank score
   (type offset + Step 2 CK + failure + away rotation + standard logistic noise).
   Whether each program sponsored a visa in this run is recorded (the user's chances there depend on it).
7. Applicant-proposing deferred acceptance (the project's one kernel,
   :func:`smartpick.domain.match.kernel.propose_all`);
   a full program's *cutoff* is the rank score of the last applicant it holds (-inf when it has a free seat).
8. The PGY-1 side (:func:`_pgy1_side`, its own random stream, so steps 1-7 draw exactly as without it): the
   advanced seats of each program go to some of its matched applicants (drawn at random); those holders and
   applicants of other specialties apply to and interview at programs of a PGY-1 pool, and the holders'
   supplemental lists and the others' lists are matched by deferred acceptance (:func:`pgy1_match`, the
   NRMP procedure's outcome for such markets). No advanced holder loses their PM&R seat over it.
9. The user, when given, is one more applicant: interviewed at ``j`` when their score beats ``j``'s
   threshold, accepted when their rank score beats the cutoff; their chain is added to the solved market
   (deferred acceptance does not depend on the order of proposals, McVitie & Wilson 1971), once per list
   on the very same market (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from smartpick.domain.market import layout as L
from smartpick.domain.market.pgy1 import pgy1_applications
from smartpick.domain.match.jit import NUMBA_AVAILABLE, compiled, jitable
from smartpick.domain.match.kernel import (
    ApplicantLists,
    Walk,
    copy_seats,
    new_seats,
    propose_all,
    propose_chain,
)
from smartpick.domain.match.random_streams import NOISE_TABLES, _seed_state, _two_draws, _uniform

_SPAN = 60.0
_SCALE = 1000.0
OPEN = -1.0e9
"""Threshold or cutoff of a program that takes anyone (free interview slot or free seat)."""
UNMATCHED = -1

if NUMBA_AVAILABLE:
    from numba import prange
else:  # pragma: no cover - the interpreted fallback
    prange = range  # type: ignore[misc,unused-ignore]


@jitable
def _rank_value(score: float) -> int:
    """Integer the match kernel orders by (smaller = better); scores clipped to +-``_SPAN``."""
    return int((_SPAN - min(max(score, -_SPAN), _SPAN)) * _SCALE)


@jitable
def _score_of(value: int) -> float:
    """Inverse of :func:`_rank_value` (to the kernel's resolution)."""
    return _SPAN - value / _SCALE


@jitable
def _draw_programs(pv: Any, visa_status: Any, desir_base: Any, s: Any, desir: Any, sponsor: Any) -> None:
    for j in range(len(desir_base)):
        normal = _two_draws(NOISE_TABLES, s)[0]
        desir[j] = desir_base[j] + pv[L.DESIR_SD] * normal
        status = visa_status[j]
        sponsor[j] = status == 1 or (status == 2 and _uniform(s) < pv[L.UNKNOWN_SPONSOR])


@jitable
def _draw_bases(pv: Any, t: int, s: Any) -> tuple[float, float, float]:
    """Step 2 CK, interview base and rank base of an applicant of type ``t`` (score, failure, USCE)."""
    normal, _ = _two_draws(NOISE_TABLES, s)
    score = pv[L.SCORE_MEAN + t] + pv[L.SCORE_SD + t] * normal
    delta = score - pv[L.SCORE_REF]
    ib = pv[L.OFFSET + t] + pv[L.I_SLOPE] * delta + pv[L.I_EXTRA + t] * min(delta, 0.0)
    rb = pv[L.OFFSET + t] + pv[L.R_SLOPE] * delta
    if _uniform(s) < pv[L.FAIL_SHARE + t]:
        ib += pv[L.FAIL_I]
        rb += pv[L.FAIL_R]
    u = _uniform(s)
    if u < pv[L.USCE_NONE + t]:
        ib += pv[L.USCE_NONE_COEF]
    elif u < pv[L.USCE_NONE + t] + pv[L.USCE_LITTLE + t]:
        ib += pv[L.USCE_LITTLE_COEF]
    return score, ib, rb


@jitable
def _draw_cohort(pv: Any, app_type: Any, region_cum: Any, n_prog: int, s: Any, c: Any) -> None:
    """Per competitor: score, interview base, rank base, home region, visa, applications, away flag."""
    score, ibase, rbase, home, visa, apps, away = c
    for i in range(len(app_type)):
        t = app_type[i]
        score[i], ibase[i], rbase[i] = _draw_bases(pv, t, s)
        u = _uniform(s)
        h = 0
        while h < len(region_cum) - 1 and u >= region_cum[h]:
            h += 1
        home[i] = h
        visa[i] = _uniform(s) < pv[L.VISA_NEED + t]
        normal = _two_draws(NOISE_TABLES, s)[0]
        a = round(pv[L.APPS_MEAN + t] * math.exp(pv[L.APPS_SD] * normal))
        apps[i] = min(max(a, 1), n_prog)
        away[i] = _uniform(s) < pv[L.AWAY_SHARE + t]


@jitable
def _kth_largest(buf: Any, n: int, k: int) -> float:
    """The ``k``-th largest of ``buf[:n]`` (1-based; Hoare's quickselect, in place, no allocation)."""
    lo, hi, want = 0, n - 1, k - 1
    while lo < hi:
        pivot = buf[(lo + hi) >> 1]
        a, b = lo, hi
        while a <= b:
            while buf[a] > pivot:
                a += 1
            while buf[b] < pivot:
                b -= 1
            if a <= b:
                buf[a], buf[b] = buf[b], buf[a]
                a += 1
                b -= 1
        if want <= b:
            hi = b
        elif want >= a:
            lo = a
        else:
            break
    return float(buf[want])


@jitable
def _top_k_mask(values: Any, k: int, mask: Any, buf: Any) -> None:
    """``mask[x] = True`` for the ``k`` largest of ``values`` above ``OPEN`` (``buf``: scratch space)."""
    n, m = len(values), 0
    for x in range(n):
        if values[x] > OPEN:
            buf[m] = values[x]
            m += 1
    if k >= m:
        for x in range(n):
            mask[x] = values[x] > OPEN
        return
    if k <= 0:
        mask[:] = False
        return
    kth = _kth_largest(buf, m, k)
    for x in range(n):
        mask[x] = values[x] >= kth and values[x] > OPEN


@jitable
def _applications(fx: Any, pv: Any, s: Any, desir: Any, sponsor: Any, c: Any) -> tuple[Any, Any, Any]:
    """Competitor applications as edge arrays (competitor, program, taste, signal, away)."""
    app_type, region, visa_status = fx[0], fx[3], fx[6]
    _score, _ibase, _rbase, home, visa, apps, away = c
    n, n_prog = len(app_type), len(region)
    total = 0
    for i in range(n):
        total += apps[i]
    e_app = np.empty(total, dtype=np.int32)
    e_prog = np.empty(total, dtype=np.int32)
    e_util = np.empty(total)
    e_flag = np.zeros(total, dtype=np.int8)  # 1 = signal, 2 = away rotation here
    util = np.empty(n_prog)
    mask = np.empty(n_prog, dtype=np.bool_)
    smask = np.empty(n_prog, dtype=np.bool_)
    chosen = np.empty(n_prog)
    buf = np.empty(n_prog)
    k = 0
    for i in range(n):
        for j in range(n_prog):
            normal = _two_draws(NOISE_TABLES, s)[0]
            ok = not (visa[i] and visa_status[j] == 0)
            bonus = pv[L.HOME_BONUS] if region[j] == home[i] else 0.0
            util[j] = desir[j] + bonus + pv[L.PREF_SD] * normal if ok else OPEN
        _top_k_mask(util, apps[i], mask, buf)
        for j in range(n_prog):
            chosen[j] = util[j] if mask[j] else OPEN
        _top_k_mask(chosen, int(pv[L.N_SIGNALS]), smask, buf)
        best, best_u = -1, OPEN
        for j in range(n_prog):
            if mask[j]:
                e_app[k], e_prog[k], e_util[k] = i, j, util[j]
                e_flag[k] = 1 if smask[j] else 0
                if util[j] > best_u:
                    best, best_u = k, util[j]
                k += 1
        if away[i] and best >= 0:
            e_flag[best] += 2
    return e_app[:k], e_prog[:k], (e_util[:k], e_flag[:k])


@jitable
def _interviews(fx: Any, pv: Any, s: Any, sponsor: Any, c: Any, edges: Any, thr: Any) -> Any:
    """Each program interviews its best ``slots`` applicants; writes thresholds; returns the invited mask."""
    app_type, slots, region, pterm = fx[0], fx[2], fx[3], fx[5]
    _score, ibase, _rbase, home, visa, _apps, _away = c
    e_app, e_prog, (_e_util, e_flag) = edges
    m, n_prog = len(e_app), len(slots)
    val = np.empty(m)
    count = np.zeros(n_prog + 1, dtype=np.int64)
    for e in range(m):
        i, j = e_app[e], e_prog[e]
        logistic = _two_draws(NOISE_TABLES, s)[1]
        if visa[i] and not sponsor[j]:
            val[e] = OPEN
        else:
            x = ibase[i] + pterm[app_type[i], j] + logistic
            x += pv[L.TIE_I] if region[j] == home[i] else 0.0
            x += pv[L.SIGNAL_I] if e_flag[e] & 1 else 0.0
            x += pv[L.AWAY_I] if e_flag[e] & 2 else 0.0
            val[e] = x
        count[j + 1] += 1
    for j in range(n_prog):
        count[j + 1] += count[j]
    fill = count[:n_prog].copy()
    order = np.empty(m, dtype=np.int64)
    for e in range(m):
        order[fill[e_prog[e]]] = e
        fill[e_prog[e]] += 1
    invited = np.zeros(m, dtype=np.bool_)
    widest = 0
    for j in range(n_prog):
        widest = max(widest, count[j + 1] - count[j])
    vals_all, mask_all, buf = np.empty(widest), np.empty(widest, dtype=np.bool_), np.empty(widest)
    for j in range(n_prog):
        lo, hi = count[j], count[j + 1]
        vals, mask = vals_all[: hi - lo], mask_all[: hi - lo]
        for a in range(lo, hi):
            vals[a - lo] = val[order[a]]
        _top_k_mask(vals, slots[j], mask, buf)
        low, taken = OPEN, 0
        for a in range(hi - lo):
            if mask[a]:
                invited[order[lo + a]] = True
                taken += 1
                low = vals[a] if taken == 1 or vals[a] < low else low
        thr[j] = -OPEN if slots[j] <= 0 else (low if taken >= slots[j] else OPEN)
    return invited


@jitable
def _rank_lists(pv: Any, s: Any, n: int, c: Any, edges: Any, invited: Any, spare: int) -> Any:
    """CSR of competitor ROLs (interviews by taste) with the programs' rank values; row ``n`` = the user."""
    _score, _ibase, rbase, _home, _visa, _apps, _away = c
    e_app, e_prog, (e_util, e_flag) = edges
    indptr = np.zeros(n + 2, dtype=np.int32)
    for e in range(len(e_app)):
        if invited[e]:
            indptr[e_app[e] + 1] += 1
    for i in range(n):
        indptr[i + 1] += indptr[i]
    indptr[n + 1] = indptr[n]
    total = indptr[n]
    progs = np.empty(total + spare, dtype=np.int32)
    ranks = np.empty(total + spare, dtype=np.int32)
    util = np.empty(total + spare)
    fill = indptr[:n].copy()
    for e in range(len(e_app)):
        if invited[e]:
            i = e_app[e]
            slot = fill[i]
            fill[i] += 1
            logistic = _two_draws(NOISE_TABLES, s)[1]
            y = rbase[i] + (pv[L.AWAY_R] if e_flag[e] & 2 else 0.0) + logistic
            progs[slot], ranks[slot], util[slot] = e_prog[e], _rank_value(y), e_util[e]
    for i in range(n):  # insertion sort by taste, best first (lists are short)
        for a in range(indptr[i] + 1, indptr[i + 1]):
            p, r, u = progs[a], ranks[a], util[a]
            b = a - 1
            while b >= indptr[i] and util[b] < u:
                progs[b + 1], ranks[b + 1], util[b + 1] = progs[b], ranks[b], util[b]
                b -= 1
            progs[b + 1], ranks[b + 1], util[b + 1] = p, r, u
    return indptr, progs, ranks


@jitable
def _stats(fx: Any, pv: Any, c: Any, indptr: Any, assignment: Any, held: Any, out: Any) -> None:
    """Per type: applicants, matched, ranks (matched/unmatched), Step 2 CK sums (matched/unmatched)."""
    app_type, capacity = fx[0], fx[1]
    score = c[0]
    out[:] = 0.0
    for i in range(len(app_type)):
        b = L.STAT_WIDTH * app_type[i]
        ranks = indptr[i + 1] - indptr[i]
        out[b + 0] += 1
        if assignment[i] >= 0:
            out[b + 1] += 1
            out[b + 2] += ranks
            out[b + 4] += score[i]
        else:
            out[b + 3] += ranks
            out[b + 5] += score[i]
    base = L.STAT_WIDTH * L.N_TYPES
    for j in range(len(capacity)):
        out[base] += held[j]
        out[base + 1] += capacity[j]


@jitable
def _chain_cutoffs(indptr: Any, progs: Any, ranks: Any, capacity: Any, st: Any, cut: Any) -> None:
    """Raise each full program's cutoff to what a newcomer must beat to *keep* the seat.

    A newcomer taken at ``j`` bumps ``j``'s last applicant, who proposes further down their list, and so on
    (a rejection chain); a proposal that reaches ``j`` again from someone better than the newcomer takes the
    seat back. For each full program, a phantom newcomer that nobody outranks is placed at ``j``, the chain is
    run on a copy of the solved market, and the best rank score among the chain's proposals to ``j`` becomes
    the effective cutoff when it is above the plain one.
    """
    seats, walk = st
    n = len(indptr) - 2
    base = indptr[n]
    for j in range(len(capacity)):
        if cut[j] <= OPEN or cut[j] >= -OPEN:
            continue
        progs[base], ranks[base] = j, 0
        indptr[n + 1] = base + 1
        chain = Walk(walk.next_edge.copy(), walk.assignment.copy())
        chain.next_edge[n] = base
        propose_chain(n, ApplicantLists(indptr, progs, ranks), capacity, copy_seats(seats), chain)
        best = -1
        for a in range(n):
            for e in range(walk.next_edge[a], chain.next_edge[a]):
                if progs[e] == j and (best < 0 or ranks[e] < best):
                    best = ranks[e]
        if best >= 0:
            cut[j] = max(cut[j], _score_of(best))
    indptr[n + 1] = base


_PGY1_STREAM = 0x50C1A1
"""Salt of the PGY-1 side's own random stream: the PM&R market's draws are the same with or without it."""


@jitable
def _logistic_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * x))


@jitable
def _advanced_holders(capacity: Any, advanced: Any, seats: Any, s: Any, holder: Any) -> None:
    """``holder[i]``: applicant ``i`` holds one of their program's advanced seats.

    The market pools a program's categorical and advanced positions; which of its matched applicants hold the
    ``advanced[j]`` advanced seats is drawn at random (a partial Fisher-Yates shuffle of its seats).
    """
    holder[:] = False
    for j in range(len(capacity)):
        lo, k = seats.start[j], seats.held[j]
        buf = seats.applicant[lo : lo + k].copy()
        for a in range(min(advanced[j], k)):
            b = a + min(int(_uniform(s) * (k - a)), k - a - 1)
            buf[a], buf[b] = buf[b], buf[a]
            holder[buf[a]] = True


@jitable
def _pgy1_agents(pv: Any, fx: Any, c: Any, holder: Any, s: Any) -> tuple[Any, Any, Any, Any, int]:
    """The PGY-1 side's applicants: the advanced holders, then the other specialties' applicants.

    Per applicant: type, interview base, rank base, visa need; and how many are PM&R advanced holders.
    """
    app_type, other_type = fx[0], fx[10]
    ibase, rbase, visa = c[1], c[2], c[4]
    n_h = 0
    for i in range(len(app_type)):
        n_h += holder[i]
    m = n_h + len(other_type)
    kind, ib, rb = np.empty(m, dtype=np.int32), np.empty(m), np.empty(m)
    need = np.empty(m, dtype=np.bool_)
    k = 0
    for i in range(len(app_type)):
        if holder[i]:
            kind[k], ib[k], rb[k], need[k] = app_type[i], ibase[i], rbase[i], visa[i]
            k += 1
    for o in range(len(other_type)):
        t = other_type[o]
        _score, ib[k], rb[k] = _draw_bases(pv, t, s)
        need[k] = _uniform(s) < pv[L.VISA_NEED + t]
        kind[k] = t
        k += 1
    return kind, ib, rb, need, n_h


@jitable
def _pgy1_lists(pv: Any, s: Any, agents: Any, sponsor: Any) -> ApplicantLists:
    """Supplemental (or PGY-1) ROLs: applications, interviews, then each list ordered by taste.

    An applicant applies to as many of the pool's programs (at random: they are alike but for taste) as
    SmartPick's PGY-1 plan advises for their interview chance; a program interviews them when their interview
    score (PM&R interview base + ``P1_OFFSET`` + logistic noise) is positive and a needed visa is sponsored,
    and ranks them by their rank score (+ logistic noise).
    """
    _kind, ib, rb, need, _n_h = agents
    m, n_prog = len(ib), len(sponsor)
    most = min(int(pv[L.P1_MAX_APPS]), n_prog)
    indptr = np.zeros(m + 1, dtype=np.int32)
    progs = np.empty(m * most, dtype=np.int32)
    ranks = np.empty(m * most, dtype=np.int32)
    taste = np.empty(m * most)
    perm = np.arange(n_prog)
    e = 0
    for a in range(m):
        x = ib[a] + pv[L.P1_OFFSET]
        share = pv[L.P1_SPONSOR] if need[a] else 1.0
        apps = min(pgy1_applications(share * _logistic_cdf(x), pv[L.P1_TARGET], pv[L.P1_MAX_APPS]), n_prog)
        start = e
        for q in range(apps):
            r = q + min(int(_uniform(s) * (n_prog - q)), n_prog - q - 1)
            perm[q], perm[r] = perm[r], perm[q]
            k = perm[q]
            normal, logistic = _two_draws(NOISE_TABLES, s)
            if (need[a] and not sponsor[k]) or x + logistic <= 0.0:
                continue
            rank = _rank_value(rb[a] + _two_draws(NOISE_TABLES, s)[1])
            b = e - 1
            while b >= start and taste[b] < normal:  # insertion by taste, best first
                progs[b + 1], ranks[b + 1], taste[b + 1] = progs[b], ranks[b], taste[b]
                b -= 1
            progs[b + 1], ranks[b + 1], taste[b + 1] = k, rank, normal
            e += 1
        indptr[a + 1] = e
    return ApplicantLists(indptr, progs[:e], ranks[:e])


@jitable
def pgy1_match(lists: ApplicantLists, capacity: Any) -> tuple[Any, Any]:
    """The PGY-1 seats, by deferred acceptance over the holders' supplemental lists and the others' lists.

    Equivalent to NRMP's procedure with supplemental lists for these markets (PGY-1 programs are on no PM&R
    applicant's primary list, so the advanced match never depends on them and the supplemental lists of the
    final advanced holders compete with the other applicants' lists; checked against
    :func:`smartpick.domain.match.algorithm.run_nrmp_procedure` in the tests). Returns (assignment, seats).
    """
    m = len(lists.indptr) - 1
    seats = new_seats(capacity)
    walk = Walk(lists.indptr[:m].copy(), np.full(m, -1, dtype=np.int32))
    propose_all(lists, capacity, seats, walk, m)
    return walk.assignment, seats


@jitable
def _pgy1_side(seed: int, fx: Any, pv: Any, c: Any, seats: Any, out: Any) -> None:
    """Supplemental lists of the advanced holders against the PGY-1 pool; per-type counts and cutoffs.

    Only the PGY-1 seats are decided here: an advanced holder whom no PGY-1 program takes keeps the advanced
    position (NRMP's rule), so the PM&R statistics above are untouched.
    """
    stats, p1cut = out
    capacity, advanced, p1_cap = fx[1], fx[8], fx[9]
    s = _seed_state(seed ^ _PGY1_STREAM)
    sponsor = np.empty(len(p1_cap), dtype=np.bool_)
    for k in range(len(p1_cap)):
        sponsor[k] = _uniform(s) < pv[L.P1_SPONSOR]
    holder = np.empty(len(fx[0]), dtype=np.bool_)
    _advanced_holders(capacity, advanced, seats, s, holder)
    agents = _pgy1_agents(pv, fx, c, holder, s)
    assignment, p1_seats = pgy1_match(_pgy1_lists(pv, s, agents, sponsor), p1_cap)
    kind, n_h = agents[0], agents[4]
    for a in range(n_h):
        stats[L.PGY1_STATS + 2 * kind[a]] += 1
        stats[L.PGY1_STATS + 2 * kind[a] + 1] += assignment[a] >= 0
    for k in range(len(p1_cap)):
        full = p1_seats.held[k] >= p1_cap[k] and p1_cap[k] > 0
        p1cut[k] = _score_of(p1_seats.rank[p1_seats.start[k]]) if full else (OPEN if p1_cap[k] > 0 else -OPEN)


@jitable
def _one_run(seed: int, fx: Any, pv: Any, user: Any, out: Any, chains: bool) -> None:
    """Simulate one market; write stats, thresholds, cutoffs and the user's outcome per list."""
    stats, thr, cut, user_out, spon, p1cut = out
    app_type, capacity, _slots, _region, region_cum, _pterm, visa_status, desir_base = fx[:8]
    s = _seed_state(seed)
    n, n_prog = len(app_type), len(capacity)
    desir, sponsor = np.empty(n_prog), np.empty(n_prog, dtype=np.bool_)
    _draw_programs(pv, visa_status, desir_base, s, desir, sponsor)
    for j in range(n_prog):
        spon[j] = sponsor[j]
    c = (
        np.empty(n),
        np.empty(n),
        np.empty(n),
        np.empty(n, dtype=np.int32),
        np.empty(n, dtype=np.bool_),
        np.empty(n, dtype=np.int32),
        np.empty(n, dtype=np.bool_),
    )
    _draw_cohort(pv, app_type, region_cum, n_prog, s, c)
    edges = _applications(fx, pv, s, desir, sponsor, c)
    invited = _interviews(fx, pv, s, sponsor, c, edges, thr)
    u_lists = user[0]
    indptr, progs, ranks = _rank_lists(pv, s, n, c, edges, invited, u_lists.shape[1])
    seats = new_seats(capacity)
    walk = Walk(indptr[: n + 1].copy(), np.full(n + 1, -1, dtype=np.int32))
    propose_all(ApplicantLists(indptr, progs, ranks), capacity, seats, walk, n)
    for j in range(n_prog):
        full = seats.held[j] >= capacity[j] and capacity[j] > 0
        cut[j] = _score_of(seats.rank[seats.start[j]]) if full else (OPEN if capacity[j] > 0 else -OPEN)
    _stats(fx, pv, c, indptr, walk.assignment, seats.held, stats)
    _pgy1_side(seed, fx, pv, c, seats, (stats, p1cut))
    state = (seats, walk)
    if chains:
        _chain_cutoffs(indptr, progs, ranks, capacity, state, cut)
    _user_lists(s, user, sponsor, thr, indptr, progs, ranks, capacity, state, user_out)


@jitable
def _user_lists(
    s: Any,
    user: Any,
    sponsor: Any,
    thr: Any,
    indptr: Any,
    progs: Any,
    ranks: Any,
    cap: Any,
    st: Any,
    out: Any,
) -> None:
    """The user's chain per list on a copy of the solved market; ``out[l]`` = list position or -1.

    Lists ``l`` with the same ``l // shared`` see the same noise at each program (common random numbers, so
    two orders of one list are compared on the same draws).
    """
    u_lists, u_len, u_x, u_y, u_forced, u_visa, shared = user
    seats, walk = st
    n = len(indptr) - 2
    base = indptr[n]
    i_noise, r_noise = np.empty(len(cap)), np.empty(len(cap))
    for li in range(u_lists.shape[0]):
        if li % shared == 0:
            for j in range(len(cap)):
                i_noise[j], r_noise[j] = _two_draws(NOISE_TABLES, s)[1], _two_draws(NOISE_TABLES, s)[1]
        length = 0
        for e in range(u_len[li]):
            j = u_lists[li, e]
            if not u_forced and (u_visa[j] == 0 or (u_visa[j] == 2 and not sponsor[j])):
                continue
            if u_forced or u_x[li, e] + i_noise[j] > thr[j]:
                progs[base + length], ranks[base + length] = j, _rank_value(u_y[j] + r_noise[j])
                length += 1
        indptr[n + 1] = base + length
        chain = Walk(walk.next_edge.copy(), walk.assignment.copy())
        chain.next_edge[n] = base
        propose_chain(n, ApplicantLists(indptr, progs, ranks), cap, copy_seats(seats), chain)
        out[li] = UNMATCHED
        for e in range(u_len[li]):
            if u_lists[li, e] == chain.assignment[n]:
                out[li] = e


def _many_runs(
    seeds: Any,
    fx: Any,
    pv: Any,
    user: Any,
    stats: Any,
    thr: Any,
    cut: Any,
    user_out: Any,
    spon: Any,
    p1cut: Any,
    chains: bool,
) -> None:
    """:func:`_one_run` for every seed, in parallel threads (each run owns its stream)."""
    for r in prange(len(seeds)):
        _one_run(seeds[r], fx, pv, user, (stats[r], thr[r], cut[r], user_out[r], spon[r], p1cut[r]), chains)


many_runs: Callable[..., None] = compiled(_many_runs, parallel=True)
