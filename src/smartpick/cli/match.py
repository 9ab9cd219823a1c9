"""``smartpick match``: run the NRMP algorithm on an instance, or simulate your rank list's outcomes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartpick.cli.progress import check_runs, progress_bar
from smartpick.cli.render import DocFormat, console, echo, print_json, print_table
from smartpick.errors import InputError

if TYPE_CHECKING:  # imported where used: ``match run`` should not load the simulation's libraries
    from smartpick.domain.catalogue.programs import Catalogue
    from smartpick.domain.match.result import MatchResult
    from smartpick.domain.match.summary import SimulatedOutcome
    from smartpick.services import match as svc

app = typer.Typer(help="Run the NRMP match algorithm and simulate your rank list.", no_args_is_help=True)

FormatOpt = Annotated[DocFormat, typer.Option("--format", help="Output format.")]


def _notice_if_interpreted() -> None:
    """One line on stderr when the compiled engine is missing (numba did not import)."""
    from smartpick.domain.match.kernel import NUMBA_AVAILABLE

    if not NUMBA_AVAILABLE:
        typer.echo(
            "notice: numba is not installed here, so the match engine runs in pure Python (slower; "
            "same results). Install it with: pip install numba",
            err=True,
        )


@app.command("run")
def run(
    instance: Annotated[
        Path, typer.Option("--instance", help="Match instance JSON (format: docs/formats.md#instance).")
    ],
    fmt: FormatOpt = DocFormat.TABLE,
    verify: Annotated[
        bool, typer.Option("--verify", help="Exit 1 if the result has a blocking pair or cycled.")
    ] = False,
) -> None:
    """Run the NRMP algorithm (supplemental PGY-1 lists, couples) on a JSON match instance."""
    from smartpick.services.match_instance import dumps_json, run_instance_file

    _notice_if_interpreted()
    outcome = run_instance_file(instance)
    if fmt is DocFormat.JSON:
        sys.stdout.write(dumps_json(outcome.result.to_json_dict()) + "\n")
    else:
        _print_run_tables(outcome.result)
    if verify:
        for pair in outcome.blocking_pairs:
            echo(f"blocking pair: {pair['kind']} {pair['proposer']} -> {pair['programs']}", err=True)
        if outcome.result.stats.cycle_detected:
            echo(f"no stable matching found: the procedure stopped ({outcome.result.stats.status})", err=True)
        if outcome.blocking_pairs or outcome.result.stats.cycle_detected:
            raise typer.Exit(1)


def _print_run_tables(result: MatchResult) -> None:
    rows = [(a, p or "(unmatched)", result.pgy1_matches.get(a, "")) for a, p in result.matches.items()]
    print_table("Matches", ("applicant", "program", "PGY-1 (supplemental list)"), rows)
    if result.unfilled:
        print_table("Unfilled positions", ("program", "seats"), sorted(result.unfilled.items()))
    st = result.stats
    console.print(
        f"{st.matched} of {st.applicants} applicants matched ({st.unmatched} unmatched); {st.filled} of "
        f"{st.seats} positions filled ({st.unfilled_seats} unfilled); couples: {st.couples_matched} of "
        f"{st.couples} matched; {st.pgy1_matched} PGY-1 positions through supplemental lists; "
        f"{st.iterations} offers made; "
        + (
            "stable: no applicant and program would both rather have each other"
            if st.stable
            else "NOT stable"
        )
        + ("" if not st.cycle_detected else f"; the procedure stopped without converging ({st.status})"),
        highlight=False,
        markup=False,
    )


@app.command("simulate")
def simulate(
    profile: Annotated[
        Path, typer.Option("--profile", help="profile.toml (format: docs/formats.md#profile).")
    ],
    rank_list: Annotated[
        Path | None, typer.Option("--rank-list", help="ranklist.toml (after interviews).")
    ] = None,
    applications: Annotated[
        Path | None,
        typer.Option(
            "--applications",
            help="Programs you apply to: one id a line ('#' comments, optional 'signal'), or recommend JSON.",
        ),
    ] = None,
    runs: Annotated[
        int | None, typer.Option("--runs", help="Simulated runs (default 2000; 20000 with --applications).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed (same seed, same result).")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Threads (same results for any count).")] = 2,
    engine: Annotated[str, typer.Option("--engine", help="local or ray (needs the ray extra).")] = "local",
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Simulate whole PM&R Matches: P(match) of your applications, or of your rank list (and safest-first)."""
    if (rank_list is None) == (applications is None):
        raise InputError("--rank-list/--applications", None, "exactly one of --rank-list or --applications")
    from smartpick.services import match as svc
    from smartpick.services.catalogue import current_catalogue

    _notice_if_interpreted()
    catalogue = current_catalogue(None)
    if applications is not None:
        n = 20000 if runs is None else runs
        check_runs(n)
        _simulate_applications(profile, applications, n, seed, workers, engine, fmt, catalogue)
        return
    assert rank_list is not None
    n = 2000 if runs is None else runs
    check_runs(n)
    with progress_bar("Simulating matches", total=n, unit="simulated matches") as advance:
        report = svc.simulate(
            profile,
            rank_list,
            catalogue=catalogue,
            runs=n,
            seed=seed,
            workers=workers,
            engine=engine,
            progress=advance,
        )
    doc = simulation_doc(report, catalogue)
    if fmt is DocFormat.JSON:
        print_json(doc)
    else:
        _print_simulation(doc)


def _simulate_applications(
    profile: Path,
    applications: Path,
    runs: int,
    seed: int | None,
    workers: int,
    engine: str,
    fmt: DocFormat,
    catalogue: Catalogue,
) -> None:
    from smartpick.services import match as svc
    from smartpick.services.profiles import load_profile

    svc.check_simulation_options(runs, workers, seed, engine)
    prof = load_profile(profile, catalogue)
    ids, signals = svc.read_applications(applications, catalogue)
    with progress_bar("Simulating matches", total=runs, unit="simulated matches") as advance:
        report = svc.simulate_applications(
            prof,
            ids,
            signals,
            catalogue=catalogue,
            runs=runs,
            seed=seed,
            workers=workers,
            engine=engine,
            progress=advance,
        )
    if fmt is DocFormat.JSON:
        print_json(report.to_json_dict())
        return
    rows = [
        (pid, _name(catalogue, pid), "yes" if pid in signals else "", f"{report.p_interviews[pid]:.0%}")
        for pid in ids
    ]
    print_table("Your applications", ("program", "name", "signal", "P(interview) est."), rows)
    low, high = report.p_match_ci
    console.print(
        f"P(match): {report.p_match:.1%} (95% interval {low:.1%}-{high:.1%}) over {report.runs} simulated "
        f"matches ({report.markets} markets); recommend's figure for this list: {report.model_p_match:.1%}"
    )
    console.print(report.to_json_dict()["method"], markup=False)


def _name(catalogue: Catalogue, program_id: str) -> str:
    program = catalogue.get(program_id)
    return program.name if program is not None else program_id


def simulation_doc(report: svc.SimulationReport, catalogue: Catalogue) -> dict[str, Any]:
    """The JSON form of a simulation report."""
    from smartpick.domain.match.summary import pgy1_probability

    setup = report.setup

    def rows(outcome: SimulatedOutcome) -> list[dict[str, Any]]:
        out = []
        for n, (program_id, prob) in enumerate(zip(outcome.programs, outcome.per_program, strict=True), 1):
            program = catalogue.get(program_id)
            k = setup.market.index_of(program_id)
            row: dict[str, Any] = {
                "position": n,
                "program": program_id,
                "name": program.name if program else None,
            }
            row |= {"p": prob.to_json_dict(), "positions": int(setup.market.capacity[k])}
            row["positions_estimated"] = bool(setup.market.positions_estimated[k])
            if program_id in setup.supplemental:
                row["p_pgy1_if_matched_here"] = round(
                    pgy1_probability(setup.pgy1_each, setup.supplemental[program_id]), 4
                )
            out.append(row)
        return out

    return {
        "runs": report.runs,
        "seed": report.seed,
        "p_match": report.ranked.p_match.to_json_dict(),
        "unmatched": report.ranked.unmatched.to_json_dict(),
        "outcomes": rows(report.ranked),
        "safest_first": {
            "order": list(setup.safest_first),
            "p_match": report.safest.p_match.to_json_dict(),
            "outcomes": rows(report.safest),
            "true_order_better": report.reordering.true_better.to_json_dict(),
            "safest_first_better": report.reordering.reordered_better.to_json_dict(),
        },
        "merged_ranks": list(setup.merged),
        "markets": report.markets,
        "market": {
            "programs": setup.market.n_programs,
            "competitors": setup.market.n_competitors,
            "positions": int(setup.market.capacity.sum()),
            "positions_estimated_programs": int(setup.market.positions_estimated.sum()),
        },
        "method": METHOD,
    }


METHOD = (
    "Each run is a whole PM&R Match simulated with the calibrated market model (the national cohort applies, "
    "programs interview and rank, and the NRMP algorithm decides); you are interviewed at every program you "
    "ranked. "
    "Probabilities are shares of runs with 95% Wilson intervals. PGY-1: each program on a supplemental "
    "list is assumed to take you independently, more readily than a PM&R program would (PGY-1 programs are "
    "less selective; estimate)."
)


def _print_simulation(doc: dict[str, Any]) -> None:
    def fmt(p: dict[str, float]) -> str:
        return f"{p['p']:.3f} [{p['low']:.3f}, {p['high']:.3f}]"

    rows = [
        (
            r["position"],
            r["program"],
            r["name"],
            f"{r['positions']}{'*' if r['positions_estimated'] else ''}",
            fmt(r["p"]),
            f"{r['p_pgy1_if_matched_here']:.2f}" if "p_pgy1_if_matched_here" in r else "",
        )
        for r in doc["outcomes"]
    ]
    print_table(
        f"Simulated outcomes ({doc['runs']} markets)",
        ("#", "program", "name", "positions", "P(match here) [95%]", "P(PGY-1 | here)"),
        rows,
        caption="* positions estimated",
    )
    safest = doc["safest_first"]
    console.print(f"P(match): {fmt(doc['p_match'])}; unmatched {fmt(doc['unmatched'])}")
    console.print(
        f"Safest first ({', '.join(safest['order'])}): P(match) {fmt(safest['p_match'])}; "
        f"a less preferred program in {fmt(safest['true_order_better'])} of runs, "
        f"a more preferred one in {fmt(safest['safest_first_better'])} (the match is strategy-proof)."
    )
    console.print(doc["method"], markup=False)
