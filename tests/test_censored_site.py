"""The censored-data page: the Kaplan–Meier estimate against lifelines' KaplanMeierFitter, the
page in the navigation with its worked example, figure and checks, and a wrong estimate that
fails the page's checks (and so the build)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from symmle.censored.kaplan_meier import KaplanMeier, kaplan_meier
from symmle.site import censored_page
from symmle.site.hooks import failures
from symmle.site.page import Page
from symmle.site.pages import builders, navigation


def lifelines_km(times: Any, observed: Any) -> Any:
    import lifelines

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lifelines.KaplanMeierFitter().fit(times, observed)


def tied_sample(seed: int, size: int) -> tuple[Any, Any]:
    """Exponential times censored by uniform ones, rounded so that events and censored times
    tie."""
    rng = np.random.default_rng(seed)
    events, censoring = rng.exponential(2.0, size), rng.uniform(0, 5, size)
    return np.round(np.minimum(events, censoring), 1), events <= censoring


@pytest.mark.parametrize(
    ("times", "observed"),
    [
        ([2, 3, 3, 5, 8, 9], [1, 1, 0, 1, 0, 1]),
        ([1, 1, 1, 2, 2], [1, 0, 1, 0, 0]),
        ([4.0], [1]),
        tied_sample(1, 50),
        tied_sample(2, 2000),
    ],
)
def test_kaplan_meier_equals_lifelines(times: Any, observed: Any) -> None:
    fitter = lifelines_km(times, observed)
    grid = np.asarray(fitter.survival_function_.index, float)
    grid = np.concatenate([grid, grid + 0.05])
    ours = kaplan_meier(times, observed)
    expected = fitter.survival_function_at_times(grid).to_numpy()
    np.testing.assert_allclose(ours(grid), expected, rtol=0, atol=1e-13)
    table = fitter.event_table.loc[ours.times]
    np.testing.assert_array_equal(ours.at_risk, table["at_risk"].to_numpy())
    np.testing.assert_array_equal(ours.events, table["observed"].to_numpy())


def test_kaplan_meier_of_the_worked_example_by_hand() -> None:
    km = kaplan_meier([2, 3, 3, 5, 8, 9], [1, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(km.times, [2, 3, 5, 9])
    np.testing.assert_array_equal(km.at_risk, [6, 5, 3, 1])
    np.testing.assert_allclose(km.survival, [5 / 6, 2 / 3, 4 / 9, 0], atol=1e-15)
    np.testing.assert_allclose(km([0, 1.9, 2, 4, 8, 10]), [1, 1, 5 / 6, 2 / 3, 4 / 9, 0])


@pytest.fixture(scope="module")
def page() -> Page:
    return censored_page.censored_page()


def test_page_shows_the_worked_example_and_its_figure(page: Page) -> None:
    assert page.markdown.startswith("# Right-censored data")
    assert r"\hat\lambda = \frac{d}{\sum t_i} = \frac{2}{15}" in page.markdown
    assert r"\frac{4}{19}" in page.markdown and r"\frac{1}{5}" in page.markdown  # shortcuts
    assert "| 5 | 3 | 1 | 1 − 1/3 | 0.4444 |" in page.markdown  # the Kaplan–Meier table
    assert "## The Weibull, both parameters unknown" in page.markdown
    assert "## Numeric checks" in page.markdown
    (figure,) = page.figures
    assert figure.name == "censored-survival.svg" and figure.svg.lstrip().startswith("<?xml")
    assert f"({figure.name})" in page.markdown


def test_page_checks_pass_and_cover_each_route(page: Page) -> None:
    assert page.checks and all(c.passed for _, c in page.checks), page.checks
    names = {c.name for _, c in page.checks}
    assert "Ŝ equals scipy.stats.ecdf: 200 tied times" in names
    assert "ℓ(θ̂) as derived equals scipy's Σ logpdf + Σ logsf" in names
    assert "SE from −ℓ'' equals central differences of scipy's ℓ" in names
    assert {s for s, _ in page.checks} >= {"Weibull, worked example", "Exponential, general n"}


def test_page_is_in_the_generated_navigation() -> None:
    assert censored_page.censored_page in builders()
    stub = Page("censored.md", "Right-censored data", "", "# R", section=censored_page.SECTION)
    assert {censored_page.SECTION: [{"Right-censored data": "censored.md"}]} in navigation([stub])


def test_figure_is_deterministic() -> None:
    worked = censored_page.derive()
    km = kaplan_meier(censored_page.TIMES, censored_page.OBSERVED)
    first = censored_page.survival_figure(worked, km).svg
    assert censored_page.survival_figure(worked, km).svg == first


def without_ties(times: Any, observed: Any) -> KaplanMeier:
    """A planted bug: a time censored at an event time leaves the risk set before it."""
    t, seen = np.asarray(times, float), np.asarray(observed, bool)
    nudged = np.where(seen, t, t - 1e-9)
    return kaplan_meier(nudged, seen)


def test_a_wrong_kaplan_meier_fails_the_page_and_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(censored_page, "kaplan_meier", without_ties)
    found = censored_page.km_check("Ŝ", censored_page.TIMES, censored_page.OBSERVED)
    assert not found.passed
    broken = Page("censored.md", "R", "", "# R", checks=(("Kaplan–Meier", found),))
    assert failures([broken]) == ["censored.md: Ŝ"]


def test_a_wrong_standard_error_fails_its_check(monkeypatch: pytest.MonkeyPatch) -> None:
    worked = censored_page.derive()
    exact = dict(worked.weibull.standard_errors)
    monkeypatch.setattr(
        type(worked.weibull),
        "standard_errors",
        property(lambda self: {k: v * 1.001 for k, v in exact.items()}),
    )
    assert not censored_page.standard_error_check(worked.weibull).passed
