"""Results stay bit-identical across refactors: digests of ``match run`` results on generated instances.

The digests were produced by the code as it stood before the match package was reworked (one kernel,
typed parameter bundles, columnar parsing); any change to a matching, a count or a status shows here.
Every instance runs through the public entry point (``run_instance``: the columnar fast path, or the
full contract checker for couples) and, without couples, through the pure-Python reference procedure too.
"""

from __future__ import annotations

import numpy as np
import pytest

from smartpick.domain.match import run_instance
from smartpick.domain.match.algorithm import run_match, run_nrmp_procedure
from smartpick.domain.match.columnar import parse_market

from .generated import CASES, digest, make_instance

# (case, seed) -> SHA-256 of the instance's result document (see generated.digest)
EXPECTED = {
    ("singles", 1): "aec042193563efa1bf0f92f278de42be2808f1d8096dfcb3771fabd277cb9d78",
    ("singles", 2): "d3daafb476e4776c61bb87e0e887f28ce0d7e4bfee3ffee6b278a94c8792733f",
    ("supplemental", 1): "717a13314ec670b683e096cbaa1dda79ecf80721ad46e336a90c9b66ded694b2",
    ("supplemental", 2): "dd53830cf28b6ab3ee78b4d06a943305a2db99a530b36f6a5545e69a52f89365",
    ("couples", 1): "536c9875ca0dee36cda4334a82ee736237d043eae0b1abf02aed2ba499b981c6",
    ("couples", 2): "6e608f7a9571cd742156b241747d49e2777d12c4c2d2483e34b0f9c7f32b609e",
}


@pytest.mark.parametrize(("case", "seed"), sorted(EXPECTED))
def test_result_digest_unchanged(case: str, seed: int) -> None:
    data = make_instance(seed, **CASES[case])
    assert digest(run_instance(data).to_json_dict()) == EXPECTED[case, seed]


@pytest.mark.parametrize("case", ["singles", "supplemental"])
def test_compiled_paths_agree_with_reference(case: str) -> None:
    market, _ = parse_market(make_instance(1, **CASES[case]))
    fast, reference = run_match(market), run_nrmp_procedure(market)
    assert np.array_equal(fast.assignment, reference.assignment)
    assert np.array_equal(fast.pgy1_assignment, reference.pgy1_assignment)
    assert (fast.proposals, fast.status) == (reference.proposals, reference.status)
