"""Match services: run a JSON match instance, and simulate a user's rank list on synthetic markets."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.data.figures import bundled_figures
from smartpick.data.market import bundled_spec
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.chances.individual import sigmoid, visa_usable
from smartpick.domain.market import chances as market_chances
from smartpick.domain.market.build import MarketArrays, build_arrays, parameter_vector, type_offsets
from smartpick.domain.market.chances import ApplicantInMarket
from smartpick.domain.market.run import UserEntry, spawn_seeds
from smartpick.domain.match.summary import Reordering, SimulatedOutcome, compare_orders, list_outcome
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services.files import read_json
from smartpick.services.market import check_run_options, fitted_params, market_tables, simulate_markets
from smartpick.services.match_instance import InstanceInputError, MatchRun, run_instance_file
from smartpick.services.profiles import load_profile
from smartpick.services.ranking import load_rank_list

MAX_MARKETS = 1000
"""Most whole markets simulated per command; further runs replay the applicant in them with fresh noise."""
MAX_RUNS = 200_000
"""Simulated markets per command (about 30 s on two cores): more adds no precision worth the wait."""
MAX_WORKERS = 64
MAX_SEED = 2**63 - 1
"""Seeds are non-negative 63-bit integers (NumPy's SeedSequence takes no negative entropy)."""


def check_simulation_options(runs: int, workers: int, seed: int | None, engine: str) -> None:
    """One-line errors for ``--runs``, ``--workers``, ``--seed`` and ``--engine`` out of range."""
    if not 1 <= runs <= MAX_RUNS:
        raise InputError("--runs", runs, f"a whole number from 1 to {MAX_RUNS:,}")
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError("--workers", workers, f"a whole number from 1 to {MAX_WORKERS}")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise InputError("--seed", seed, f"a whole number from 0 to {MAX_SEED}")
    check_run_options(runs, workers, engine)


__all__ = ["InstanceInputError", "MatchRun", "run_instance_file"]  # re-exported (``match run``)


@dataclass(frozen=True)
class SimulationSetup:
    """Everything a rank-list simulation needs, resolved from the user's files."""

    market: MarketArrays
    pv: NDArray[np.float64]
    user: UserEntry
    true_order: tuple[str, ...]
    safest_first: tuple[str, ...]
    supplemental: dict[str, int]
    pgy1_each: float
    merged: tuple[str, ...]


@dataclass(frozen=True)
class SimulationReport:
    """``match simulate`` results: the list as ranked, the list reordered safest first, and PGY-1 odds."""

    setup: SimulationSetup
    runs: int
    seed: int | None
    ranked: SimulatedOutcome
    safest: SimulatedOutcome
    reordering: Reordering
    markets: int = 0


def _market(catalogue: Catalogue) -> tuple[MarketArrays, NDArray[np.float64], dict[str, float]]:
    figures, spec, params = bundled_figures(), bundled_spec(), fitted_params()
    return build_arrays(catalogue, figures, spec, params), parameter_vector(figures, spec, params), params


def _user_scores(
    profile: Profile, arrays: MarketArrays, catalogue: Catalogue, params: dict[str, float]
) -> tuple[ApplicantInMarket, NDArray[np.float64], NDArray[np.float64]]:
    """The applicant at every market program: interview scores (no signal) and rank scores."""
    programs = [catalogue.get(pid) for pid in arrays.program_ids]
    applicant = ApplicantInMarket.of(profile, [p for p in programs if p is not None], bundled_figures())
    x, y, _ = applicant.arrays(params)
    return applicant, x, y


def _visa(profile: Profile, arrays: MarketArrays, catalogue: Catalogue) -> NDArray[np.int8]:
    """Per market program: 1 usable visa (or none needed), 0 none usable, 2 unknown."""
    codes = {True: 1, False: 0, None: 2}
    out = []
    for pid in arrays.program_ids:
        program = catalogue.get(pid)
        out.append(codes[visa_usable(profile, program)] if program is not None else 2)
    return np.asarray(out, dtype=np.int8)


def prepare_simulation(profile_path: Path, rank_list_path: Path, catalogue: Catalogue) -> SimulationSetup:
    """Read the profile and rank list; build the calibrated market and the user's two lists.

    Ranks naming two tracks of one catalogue program are merged into the first (the market has one
    position pool per program); they are listed in ``merged``. A rank list comes after interviews, so the
    user is interviewed at every ranked program.
    """
    profile = load_profile(profile_path, catalogue)
    rank_list = load_rank_list(rank_list_path, catalogue)
    arrays, pv, params = _market(catalogue)
    order: list[str] = []
    supplemental: dict[str, int] = {}
    merged: list[str] = []
    for entry in rank_list.rank:
        program = catalogue.get(entry.program)
        assert program is not None  # load_rank_list checked every id
        if program.id in order:
            merged.append(entry.program)
            continue
        order.append(program.id)
        if entry.supplemental:
            supplemental[program.id] = len(entry.supplemental)
    applicant, x, y = _user_scores(profile, arrays, catalogue, params)
    index = [arrays.index_of(p) for p in order]
    tables = market_tables(catalogue)
    cut = tables.central.cutoffs[:, tables.columns(order)].astype(float) if order else np.zeros((1, 0))
    taken = (0.5 * (1 + np.tanh(0.5 * (y[index] - cut)))).mean(axis=0) if order else np.zeros(0)
    safest = sorted(range(len(order)), key=lambda k: -taken[k])
    lists = (tuple(index), tuple(index[k] for k in safest))
    user = UserEntry(
        lists,
        tuple(tuple(float(x[j]) for j in lst) for lst in lists),
        y,
        True,
        _visa(profile, arrays, catalogue),
        2,
    )
    offset = type_offsets(params)[profile.applicant.type]
    return SimulationSetup(
        market=arrays,
        pv=pv,
        user=user,
        true_order=tuple(order),
        safest_first=tuple(order[k] for k in safest),
        supplemental=supplemental,
        pgy1_each=sigmoid(applicant.base.rank_base + offset + bundled_figures().pgy1.logit_offset),
        merged=tuple(merged),
    )


def _replicas(runs: int) -> tuple[int, int]:
    """Markets and replays per market so that markets x replays >= runs."""
    markets = min(runs, MAX_MARKETS)
    return markets, math.ceil(runs / markets)


def _replicated(user: UserEntry, times: int) -> UserEntry:
    return UserEntry(
        user.lists * times, user.interview_score * times, user.rank_score, user.forced, user.visa, user.shared
    )


def simulate(
    profile_path: Path,
    rank_list_path: Path,
    *,
    catalogue: Catalogue,
    runs: int = 2000,
    seed: int | None = None,
    workers: int = 1,
    engine: str = "local",
    progress: Callable[[int], None] | None = None,
) -> SimulationReport:
    """Simulate ``runs`` outcomes of the user's rank list (as ranked and safest first) in calibrated markets.

    Up to ``MAX_MARKETS`` whole markets are simulated; each is replayed ``ceil(runs / markets)`` times for the
    user with fresh noise (their chain is re-run on the solved market each time). The result is the same for
    any ``workers`` and for both engines.

    Raises:
        InputError: Bad files, ``runs``, ``workers`` or ``seed`` out of range, or Ray asked for but not
            installed.
    """
    check_simulation_options(runs, workers, seed, engine)
    setup = prepare_simulation(profile_path, rank_list_path, catalogue)
    markets, times = _replicas(runs)
    result = simulate_markets(
        setup.market,
        setup.pv,
        spawn_seeds(seed, markets),
        user=_replicated(setup.user, times),
        workers=workers,
        engine=engine,
        progress=_scaled(progress, times),
    )
    true_runs = result.user[:, 0::2].reshape(-1)[:runs]
    safe_runs = result.user[:, 1::2].reshape(-1)[:runs]
    ranked = list_outcome(setup.true_order, true_runs)
    safest = list_outcome(setup.safest_first, safe_runs)
    reordering = compare_orders(setup.true_order, setup.safest_first, true_runs, safe_runs)
    return SimulationReport(setup, runs, seed, ranked, safest, reordering, markets)


def _scaled(progress: Callable[[int], None] | None, times: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda n: progress(n * times)


@dataclass(frozen=True)
class ApplicationsReport:
    """``match simulate --applications``: P(match) of applying to a list, with its Monte Carlo interval."""

    program_ids: tuple[str, ...]
    signals: tuple[str, ...]
    runs: int
    markets: int
    seed: int | None
    p_match: float
    p_match_ci: tuple[float, float]
    p_interviews: dict[str, float]
    model_p_match: float

    def to_json_dict(self) -> dict[str, object]:
        """JSON form (probabilities are model estimates)."""
        return {
            "runs": self.runs,
            "markets": self.markets,
            "seed": self.seed,
            "programs": list(self.program_ids),
            "signals": list(self.signals),
            "p_match": round(self.p_match, 4),
            "p_match_ci": [round(self.p_match_ci[0], 4), round(self.p_match_ci[1], 4)],
            "recommend_p_match": round(self.model_p_match, 4),
            "estimate": True,
            "method": APPLICATIONS_METHOD,
        }


APPLICATIONS_METHOD = (
    "Each run is a whole simulated PM&R Match with the calibrated market model: the national cohort applies, "
    "programs invite their best-scoring applicants (you among them when your score beats theirs), both sides "
    "rank, and the NRMP algorithm decides. P(match) is the share of runs you matched; the 95% interval "
    "allows "
    "for runs sharing a simulated market."
)


def read_applications(path: Path, catalogue: Catalogue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Program ids (and signalled ids) from an applications file.

    A text file has one id a line (``#`` comments, an optional ``signal`` after the id); a JSON file is what
    ``recommend --format json`` writes.

    Raises:
        InputError: unreadable file, unknown program, or an empty list.
    """
    text = _read_text(path)
    if text.lstrip().startswith("{"):
        doc = read_json(path)
        programs = doc.get("programs") if isinstance(doc, dict) else None
        if not isinstance(programs, list):
            raise InputError(
                "programs",
                None,
                "a JSON list of programs (as recommend --format json writes)",
                source=str(path),
            )
        rows = [(str(p.get("id")), bool(p.get("signal"))) for p in programs if isinstance(p, dict)]
    else:
        rows = []
        for line in text.splitlines():
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) > 2 or (len(words) == 2 and words[1].lower() != "signal"):
                raise InputError(
                    "applications",
                    line.strip(),
                    "a program id, optionally followed by 'signal'",
                    source=str(path),
                )
            rows.append((words[0], len(words) == 2))
    ids: list[str] = []
    signals: list[str] = []
    for ref, signal in rows:
        program = catalogue.get(ref)
        if program is None:
            raise InputError(
                "program", ref, "a program id, NRMP code or ACGME id from the catalogue", source=str(path)
            )
        if program.id not in ids:
            ids.append(program.id)
            if signal:
                signals.append(program.id)
    if not ids:
        raise InputError("applications", None, "at least one program", source=str(path))
    return tuple(ids), tuple(signals)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            "applications", str(path), f"a readable UTF-8 file ({exc.__class__.__name__})"
        ) from None


def simulate_applications(
    profile: Profile,
    program_ids: tuple[str, ...],
    signals: tuple[str, ...],
    *,
    catalogue: Catalogue,
    runs: int = 20000,
    seed: int | None = None,
    workers: int = 2,
    engine: str = "local",
    progress: Callable[[int], None] | None = None,
) -> ApplicationsReport:
    """P(match) of applying to ``program_ids`` (signalling ``signals``) in simulated calibrated markets."""
    check_simulation_options(runs, workers, seed, engine)
    arrays, pv, params = _market(catalogue)
    applicant, x, y = _user_scores(profile, arrays, catalogue, params)
    signal = applicant.signal
    index = tuple(arrays.index_of(p) for p in program_ids)
    scores = tuple(
        float(x[j] + (signal if pid in signals else 0.0)) for j, pid in zip(index, program_ids, strict=True)
    )
    markets, times = _replicas(runs)
    user = UserEntry((index,) * times, (scores,) * times, y, False, _visa(profile, arrays, catalogue))
    result = simulate_markets(
        arrays,
        pv,
        spawn_seeds(seed, markets),
        user=user,
        workers=workers,
        engine=engine,
        progress=_scaled(progress, times),
    )
    matched = (result.user >= 0).astype(float)
    flat = matched.reshape(-1)[:runs]
    p = float(flat.mean())
    per_market = matched.mean(axis=1)
    se = float(per_market.std(ddof=1) / math.sqrt(markets)) if markets > 1 else 0.5
    tables = market_tables(catalogue)
    listed = [p for p in (catalogue.get(i) for i in program_ids) if p is not None]
    sub = ApplicantInMarket.of(profile, listed, bundled_figures())
    model = market_chances.list_p_match(
        sub, tables, list(range(len(program_ids))), [i in signals for i in program_ids]
    )
    odds = market_chances.program_chances(sub, tables)
    interviews = {pid: float(odds[k].p_interview) for k, pid in enumerate(program_ids)}
    return ApplicationsReport(
        program_ids,
        signals,
        runs,
        markets,
        seed,
        p,
        (max(0.0, p - 1.96 * se), min(1.0, p + 1.96 * se)),
        interviews,
        model,
    )
