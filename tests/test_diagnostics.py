"""The four diagnostic plots of a comparison (fitdistrplus' denscomp, cdfcomp, qqcomp, ppcomp):
the points behind each against scipy.stats and R, and the SVG's series, one per family."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from scipy import stats

import symmle
from symmle.fit.compare import Comparison, compare
from symmle.fit.diagnostics import (
    cdf_points,
    density_points,
    empirical_cdf,
    plotting_positions,
    pp_points,
    qq_points,
)

RNG = np.random.default_rng(17)
GAMMA = RNG.gamma(2.5, 1 / 1.5, 300)
KICKS = np.repeat([0, 1, 2, 3, 4], [109, 65, 22, 3, 1]).astype(float)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def found() -> Comparison:
    return compare(GAMMA, ["gamma", "weibull", "lognormal", "exponential"])


def test_plotting_positions_are_rs_ppoints() -> None:
    """R: ppoints(5) and ppoints(20)[1:2], a = 3/8 up to n = 10 and 1/2 above."""
    assert plotting_positions(5) == pytest.approx(
        [0.1190476, 0.3095238, 0.5, 0.6904762, 0.8809524], abs=1e-7
    )
    assert plotting_positions(20)[:2] == pytest.approx([0.025, 0.075])


def test_qq_and_pp_points_are_scipys_quantiles_and_cdf(found: Comparison) -> None:
    """Q–Q: the gamma's quantiles at the plotting positions against the sorted data; P–P: its
    CDF at the sorted data against the plotting positions (the gamma built here from the
    estimate, not through symmle)."""
    gamma = next(f for f in found.fitted(4) if f.name == "gamma")
    row = next(c for c in found.candidates if c.family == "gamma")
    oracle = stats.gamma(row.estimate["alpha"], scale=1 / row.estimate["beta"])
    ordered = np.sort(GAMMA)
    positions = (np.arange(1, 301) - 0.5) / 300
    x, y = qq_points(gamma.twin, GAMMA)
    assert x == pytest.approx(oracle.ppf(positions), rel=1e-10) and np.array_equal(y, ordered)
    x, y = pp_points(gamma.twin, GAMMA)
    assert x == pytest.approx(oracle.cdf(ordered), rel=1e-10) and y == pytest.approx(positions)
    assert np.max(np.abs(x - positions)) == pytest.approx(row.ks, abs=1 / 300)


def test_curves_are_the_fitted_densities_and_cdfs(found: Comparison) -> None:
    gamma = next(f for f in found.fitted(4) if f.name == "gamma")
    row = next(c for c in found.candidates if c.family == "gamma")
    oracle = stats.gamma(row.estimate["alpha"], scale=1 / row.estimate["beta"])
    x, density = density_points(gamma, GAMMA)
    assert x.size == 201 and x[0] < GAMMA.min() and x[-1] > GAMMA.max()
    assert density == pytest.approx(oracle.pdf(x), rel=1e-10)
    x, cdf = cdf_points(gamma, GAMMA)
    assert cdf == pytest.approx(oracle.cdf(x), rel=1e-10)
    (poisson,) = compare(KICKS).fitted()
    x, mass = density_points(poisson, KICKS)
    assert list(x) == [0, 1, 2, 3, 4]
    assert mass == pytest.approx(stats.poisson(0.61).pmf(x), rel=1e-12)


def test_the_empirical_cdf_is_scipys() -> None:
    values, shares = empirical_cdf(KICKS)
    assert list(values) == [0, 1, 2, 3, 4]
    assert shares == pytest.approx(stats.ecdf(KICKS).cdf.evaluate(values))


def series(image: str) -> dict[str, ET.Element]:
    """The SVG's groups by id (matplotlib writes an artist's gid as its group's id)."""
    root = ET.fromstring(image)
    return {e.attrib["id"]: e for e in root.iter(f"{SVG}g") if "id" in e.attrib}


def test_each_plot_has_the_data_and_one_series_per_family(found: Comparison) -> None:
    plots = found.plots(top=3)
    assert list(plots) == ["density", "cdf", "qq", "pp"]
    best = [c.family for c in found.candidates[:3]]
    for name, image in plots.items():
        ids = {k for k in series(image) if k.startswith(f"{name}-")}
        extra = {"density": "data", "cdf": "data", "qq": "identity", "pp": "identity"}[name]
        assert ids == {f"{name}-{f}" for f in [*best, extra]}, name
    for name in ("qq", "pp"):  # one marker per observation
        groups = series(plots[name])
        for family in best:
            assert len(list(groups[f"{name}-{family}"].iter(f"{SVG}use"))) == GAMMA.size
    assert found.plots(top=1).keys() == plots.keys()
    assert "density-weibull" not in series(found.plots(top=1)["density"])
    assert found.plots(top=3) == plots  # deterministic: no date, fixed ids


def test_counts_are_drawn_as_bars_and_steps() -> None:
    plots = compare(KICKS).plots()
    assert set(series(plots["density"])) >= {"density-data", "density-poisson"}
    assert set(series(plots["cdf"])) >= {"cdf-data", "cdf-poisson"}


@pytest.mark.parametrize("top", [0, -1, True, 2.5, "3"])
def test_top_is_a_positive_integer(found: Comparison, top: object) -> None:
    with pytest.raises(symmle.OptionError, match="top is how many"):
        found.plots(top=top)  # type: ignore[arg-type]


def test_without_matplotlib_the_plots_name_the_extra(
    found: Comparison, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from symmle import extras
    from symmle.errors import MissingExtraError

    real = importlib.util.find_spec
    monkeypatch.setattr(
        extras, "find_spec", lambda name: None if name == "matplotlib" else real(name)
    )
    with pytest.raises(MissingExtraError, match=r"pip install 'symmle\[docs\]'"):
        found.plots()
