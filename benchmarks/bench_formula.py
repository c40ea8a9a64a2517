"""Time user-defined families: refusing hostile formulas, defining a family (SymPy's verdict
on the density included) and deriving it with data and for general n.

Run: .venv/bin/python benchmarks/bench_formula.py   (or `make bench`)
Each family is defined anew (no cache) so that the times include the whole work.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import symmle
from symmle.errors import FormulaError
from symmle.families import get
from symmle.families.formula import parse_formula

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_formula import CATALOGUE, HOSTILE, NAMES  # the tests' formulas


def refusal_times() -> list[float]:
    times = []
    for formula in HOSTILE:
        start = time.perf_counter()
        try:
            parse_formula(formula, NAMES)
        except FormulaError:
            times.append(time.perf_counter() - start)
    assert len(times) == len(HOSTILE)
    return times


def main() -> None:
    times = refusal_times()
    print(
        f"{len(times)} hostile formulas refused: median {statistics.median(times) * 1e6:.0f} µs, "
        f"max {max(times) * 1e6:.0f} µs"
    )
    for name, options in CATALOGUE.items():
        start = time.perf_counter()
        family = symmle.define(**options)  # type: ignore[arg-type]
        defined = time.perf_counter() - start
        example = list(get(name).example)
        start = time.perf_counter()
        result = symmle.mle(family, data=example)
        checks = result.checks
        assert all(c.passed for c in checks)
        derived = time.perf_counter() - start
        start = time.perf_counter()
        general = symmle.mle(family)
        assert all(c.passed for c in general.checks)
        general_time = time.perf_counter() - start
        print(
            f"{name:>10} by formula ({result.method}): define {defined:.2f} s, derive and check "
            f"{derived:.2f} s ({len(checks)} checks), general n {general_time:.2f} s"
        )


if __name__ == "__main__":
    main()
