"""The vector families' pages: each builds with the derivation's estimate, its figure and
passing checks, sits in the generated navigation, and a planted bug (standard errors off,
the covariance divided by n − 1) fails a check and so the build."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from scipy import stats

from symmle.derive.step import Step
from symmle.printing.latex import latex
from symmle.site import hooks, pages
from symmle.site.page import Page
from symmle.site.vector import page as vector
from symmle.site.vector.checks import dirichlet_general_checks, numpy_check, standard_error_check
from symmle.site.vector.figures import barycentric, plane
from symmle.vector import VectorResult

NAMES = ("multivariate_normal", "multinomial", "dirichlet")


@pytest.fixture(scope="module")
def built() -> dict[str, Page]:
    return {name: vector.vector_page(name) for name in NAMES}


@pytest.fixture(scope="module")
def worked() -> dict[str, vector.Worked]:
    return {name: vector.derive(name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_the_page_holds_both_derivations_the_figure_and_passing_checks(
    built: dict[str, Page], name: str
) -> None:
    page = built[name]
    assert page.markdown.startswith("# The ") and page.section == vector.SECTION
    general = page.markdown.index("## General n")
    assert general < page.markdown.index("## Worked example") < page.markdown.index("seeded rows")
    assert page.markdown.rsplit("\n## ", 1)[-1].startswith("Numeric checks")
    assert "| pass |" in page.markdown and "FAIL" not in page.markdown
    assert page.checks and all(c.passed for _, c in page.checks)
    sections = {s for s, _ in page.checks}
    assert sections == {"General n", "Worked example", "Seeded sample, n = 30"}
    (figure,) = page.figures
    assert figure.name == f"{name}-fit.svg" and figure.svg.startswith("<?xml")
    assert f"]({figure.name})" in page.markdown


def test_the_normal_page_shows_the_exact_estimate_and_numpys(
    built: dict[str, Page], worked: dict[str, vector.Worked]
) -> None:
    page = built["multivariate_normal"].markdown
    example = worked["multivariate_normal"].example
    assert example.estimate["Sigma"] == sp.Matrix([[2, 1], [1, 2]]) / 3
    for value in example.estimate.values():
        assert latex(value) in page
    sample = worked["multivariate_normal"].sample
    assert latex(sample.estimate["Sigma"]) in page
    names = [c.name for s, c in built["multivariate_normal"].checks if s.startswith("Seeded")]
    assert "μ̂, Σ̂ equal numpy.mean and numpy.cov(bias=True)" in names
    assert "| $\\hat{\\mu}_{1}$ | 1 | 0.4714 | (0.07606, 1.924) |" in page  # √(2/3 / 3)


def test_the_other_pages_show_their_estimates_and_intervals(
    built: dict[str, Page], worked: dict[str, vector.Worked]
) -> None:
    assert r"\hat{p}_{1} &= \frac{3}{5}" in built["multinomial"].markdown
    assert "| $\\hat{p}_{1}$ | 0.6 | 0.1095 | (0.3853, 0.8147) |" in built["multinomial"].markdown
    dirichlet = built["dirichlet"].markdown
    for result in (worked["dirichlet"].example, worked["dirichlet"].sample):
        for value in result.estimate.values():
            assert latex(value) in dirichlet


@pytest.mark.parametrize("name", NAMES)
def test_standard_errors_agree_with_statsmodels_or_by_hand(
    worked: dict[str, vector.Worked], name: str
) -> None:
    """The page's oracle route against a second one: statsmodels' Wald proportion intervals
    for the Multinomial's categories, the textbook √(Σ̂ⱼⱼ/n) and the inverse Fisher
    information with SciPy's trigamma for the others."""
    result = worked[name].sample
    X = np.array([[float(v) for v in row] for row in result.data or ()])
    if name == "multinomial":
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(X.sum(axis=0), X.sum(), method="normal")
        intervals = np.array(list(result.interval().values()))
        np.testing.assert_allclose(intervals, np.column_stack([low, high]), rtol=1e-12)
    elif name == "multivariate_normal":
        expected = np.sqrt(np.diag(np.cov(X, rowvar=False, bias=True)) / len(X))
        got = [result.standard_errors[f"mu_{j}"] for j in (1, 2)]
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert standard_error_check(result).passed


def test_the_ternary_plot_maps_the_simplex_onto_the_triangle_and_back() -> None:
    np.testing.assert_allclose(plane(np.eye(3)), [[0, 0], [1, 0], [0.5, np.sqrt(3) / 2]])
    rows = stats.dirichlet(np.array([4.0, 2.0, 3.0])).rvs(50, random_state=1)
    np.testing.assert_allclose(barycentric(plane(rows)), rows, atol=1e-14)


def test_the_pages_are_in_the_generated_navigation() -> None:
    names = [getattr(b, "args", ()) for b in pages.builders() if getattr(b, "func", None)]
    assert [(n,) for n in NAMES] == [a for a in names if a and a[0] in NAMES]
    stubs = [Page(f"{n}.md", vector.TITLES[n], "", "# V", section=vector.SECTION) for n in NAMES]
    expected = [{vector.TITLES[n]: f"{n}.md"} for n in NAMES]
    assert {vector.SECTION: expected} in pages.navigation(stubs)


EXACT = VectorResult.standard_errors


def unbiased(result: VectorResult) -> dict[str, float]:
    """A planted bug: standard errors from variances divided by n − 1 instead of n."""
    factor = np.sqrt(result.size / (result.size - 1))
    return {k: v * factor for k, v in EXACT.fget(result).items()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_standard_errors_off_fail_the_check(
    worked: dict[str, vector.Worked], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(VectorResult, "standard_errors", property(unbiased))
    for result in (worked[name].example, worked[name].sample):
        assert not standard_error_check(result).passed


def test_a_covariance_divided_by_n_minus_one_fails_the_numpy_check(
    worked: dict[str, vector.Worked],
) -> None:
    sample = worked["multivariate_normal"].sample
    estimate = dict(sample.estimate)
    estimate["Sigma"] = estimate["Sigma"] * sample.size / (sample.size - 1)
    assert numpy_check(sample).passed
    assert not numpy_check(replace(sample, estimate=estimate)).passed


def test_a_failing_check_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Multinomial's page alone, derived afresh (no page cache) with its standard errors
    planted wrong: the hooks refuse to build, naming the page and the check."""
    monkeypatch.setenv("SYMMLE_NO_CACHE", "1")
    monkeypatch.setattr(pages, "builders", lambda: vector.vector_builders()[1:2])
    monkeypatch.setattr(VectorResult, "standard_errors", property(unbiased))
    config: dict[str, Any] = {}
    with pytest.raises(PluginError, match=r"multinomial\.md: SE equals"):
        hooks.on_files(Files([]), config)  # type: ignore[arg-type]
    assert "nav" not in config


def test_a_dirichlet_hessian_without_its_rank_one_term_fails_the_general_check(
    worked: dict[str, vector.Worked],
) -> None:
    """The general Hessian with nψ'(α₀) dropped (a diagonal only): scipy's curvature differs."""
    general, example = worked["dirichlet"].general, worked["dirichlet"].example
    assert all(c.passed for c in dirichlet_general_checks(general, example))
    step = next(s for s in general.steps if s.kind == "second_order")
    diagonal = step.expr.rhs.replace(
        lambda e: isinstance(e, sp.polygamma) and isinstance(e.args[1], sp.Sum), lambda e: 0
    )
    planted = Step(step.kind, step.title, sp.Eq(step.expr.lhs, diagonal), step.text)
    steps = tuple(planted if s is step else s for s in general.steps)
    checks = dirichlet_general_checks(replace(general, steps=steps), example)
    assert [c.name.split(" at ")[0] for c in checks if not c.passed] == ["the general Hessian"]


def test_the_strict_build_typesets_the_pages_with_their_figures(built_site: Path) -> None:
    for name in NAMES:
        html = (built_site / name / "index.html").read_text()
        assert 'class="katex"' in html and "katex-error" not in html, name
        assert f"{name}-fit.svg" in html and (built_site / f"{name}-fit.svg").is_file()
    checks = (built_site / "checks" / "index.html").read_text()
    assert "SE equals √diag of (−ℓ'')⁻¹" in checks


def test_the_cheat_sheet_has_a_row_per_vector_family(built: dict[str, Page]) -> None:
    sheet = pages.summary_page(list(built.values())).markdown
    for name, method in (("multinomial", "constrained"), ("dirichlet", "numeric")):
        (row,) = built[name].rows
        assert row.method == method and f"]({name}.md)" in sheet
    normal = built["multivariate_normal"].rows[0]
    assert normal.formulas == (r"\hat{\mu} = \bar{y}", r"\hat{\Sigma} = \frac{1}{n} A")
    assert r"\psi" in built["dirichlet"].rows[0].formulas[0]
