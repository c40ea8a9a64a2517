"""The cheat sheet's rows for right-censored data and mixtures (symmle/site/sheet_rows.py): the
formulas shown, evaluated on data, against lifelines, scikit-learn and scipy.optimize; the
method each row names; the rows on the page."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import scipy
import sympy as sp

import symmle
from symmle.censored import CensoredResult
from symmle.derive.censored.sample import CENSORABLE, d, e
from symmle.derive.em.updates import N, r
from symmle.families import get
from symmle.families.mixtures import FAMILIES, j
from symmle.printing.notation import hat
from symmle.site.page import Page
from symmle.site.pages import summary_page
from symmle.site.sheet_rows import (
    censored_estimates,
    censored_row,
    mixture_row,
    mixture_updates,
)
from symmle.symbols import i, n, y

TIGHT = {"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000}


def censored(name: str) -> CensoredResult:
    found = symmle.mle(name, observed=True)
    assert isinstance(found, CensoredResult)
    return found


def on_data(expr: sp.Expr, columns: dict[sp.Expr, Any], values: dict[sp.Symbol, float]) -> float:
    """An expression in sums over the sample, evaluated: the symbols at their values, then
    each sum over the data columns (y[i], e[i], r[i, j] → arrays)."""

    def total(s: sp.Sum) -> sp.Expr:
        names = [sp.Dummy() for _ in columns]
        body = s.function.xreplace(dict(zip(columns, names, strict=True)))
        function = sp.lambdify(names, body, "numpy")
        return sp.Float(float(np.sum(function(*columns.values()))))

    return float(expr.xreplace(values).replace(lambda x: isinstance(x, sp.Sum), total))


def lifelines_fit(kind: str, t: Any, observed: Any) -> Any:
    import lifelines

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(lifelines, kind)().fit(t, observed, fit_options=TIGHT)


def weibull_times(seed: int = 3, size: int = 400) -> tuple[Any, Any]:
    """Weibull(1.5, 2) event times, censored by uniform times on (0, 4)."""
    rng = np.random.default_rng(seed)
    events = 2.0 * rng.weibull(1.5, size)
    censoring = rng.uniform(0, 4, size)
    return np.minimum(events, censoring), events <= censoring


def test_exponential_row_is_d_over_the_total_time_as_lifelines_finds() -> None:
    t, observed = weibull_times()
    (equation,) = censored_estimates(censored("exponential"))
    assert equation.lhs == hat(get("exponential").symbols[0]) and equation.rhs.has(d)
    value = on_data(equation.rhs, {y[i]: t, e[i]: observed}, {d: observed.sum(), n: t.size})
    theirs = lifelines_fit("ExponentialFitter", t, observed)  # lambda_ is a scale: rate 1/it
    assert value == pytest.approx(1 / theirs.lambda_, rel=1e-6)


def test_weibull_row_gives_lifelines_scale_at_its_shape() -> None:
    """λ̂(k̂) = (Σyᵢ^k̂/d)^(1/k̂) at lifelines' shape rho_ is lifelines' scale lambda_; with
    k known, symmle's own closed-form estimate."""
    t, observed = weibull_times()
    (equation,) = censored_estimates(censored("weibull"))
    k = get("weibull").parameter("k").symbol
    theirs = lifelines_fit("WeibullFitter", t, observed)
    columns = {y[i]: t, e[i]: observed}
    at = {hat(k): theirs.rho_, d: observed.sum(), n: t.size}
    assert on_data(equation.rhs, columns, at) == pytest.approx(theirs.lambda_, rel=1e-6)
    times, seen = [2, 3, 3, 5, 8, 9], [True, True, False, True, False, True]
    known = symmle.mle("weibull", data=times, observed=seen, known={"k": 2})
    columns = {y[i]: np.array(times, float), e[i]: np.array(seen)}
    at = {hat(k): 2, d: sum(seen), n: len(times)}
    value = on_data(equation.rhs, columns, at)
    assert value == pytest.approx(float(known.estimate["lambda"]), rel=1e-14)


@pytest.mark.parametrize("name", CENSORABLE)
def test_censored_rows_name_the_method_the_derivation_uses(name: str) -> None:
    """Closed form where the derivation has one; else the optimiser its numeric step names."""
    result = censored(name)
    row = censored_row(result)
    assert row.title == get(name).title
    if result.method == "closed form":
        assert row.method == "closed form" and row.formulas and not row.note
        return
    (step,) = (s for s in result.steps if s.kind == "numeric")
    optimiser = "Nelder–Mead" if "Nelder–Mead" in str(step.text) else "Newton"
    assert row.method == f"numeric ({optimiser})" and "numerically" in row.note
    assert len(row.formulas) == len(result.general.plan.profiled)


def test_methods_of_the_censored_rows() -> None:
    methods = {name: censored_row(censored(name)).method for name in CENSORABLE}
    assert methods == {
        "exponential": "closed form",
        "gamma": "numeric (Nelder–Mead)",
        "lognormal": "numeric (Newton)",
        "normal": "numeric (Newton)",
        "weibull": "numeric (Newton)",
    }


def test_normal_mixture_updates_are_a_fixed_point_of_scikit_learns_em() -> None:
    """At scikit-learn's converged GaussianMixture, the row's updates with its
    responsibilities give back its weights, means and standard deviations."""
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal(0, 1, 300), rng.normal(5, 1.5, 500)])
    fitted = GaussianMixture(2, tol=1e-12, max_iter=10_000, reg_covar=0, random_state=0)
    fitted.fit(x[:, None])
    shares = fitted.predict_proba(x[:, None])
    weight, mu, sigma = mixture_updates(symmle.mle("normal_mixture"))
    theirs = (fitted.weights_, fitted.means_[:, 0], np.sqrt(fitted.covariances_[:, 0, 0]))
    for c in range(2):
        columns = {y[i]: x, r[i, j]: shares[:, c]}
        at = {N[j]: shares[:, c].sum(), n: x.size}
        found = [on_data(eq.rhs, columns, at) for eq in (weight, mu, sigma)]
        assert found == pytest.approx([v[c] for v in theirs], rel=1e-6, abs=1e-6)


@pytest.mark.parametrize(
    ("name", "component"),
    [("poisson_mixture", scipy.stats.poisson), ("exponential_mixture", scipy.stats.expon)],
)
def test_mixture_m_step_maximises_the_weighted_log_likelihood(name: str, component: Any) -> None:
    """The row's λ̂ⱼ for any responsibilities is scipy.optimize's maximum of Σᵢ rᵢⱼ log f(yᵢ)
    (scipy.stats' densities), and ŵⱼ = Nⱼ/n."""
    rng = np.random.default_rng(7)
    x = rng.poisson(4, 200).astype(float) if name == "poisson_mixture" else rng.exponential(2, 200)
    shares = rng.uniform(0.05, 1, x.size)
    weight, lam = mixture_updates(symmle.mle(name))
    at = {N[j]: shares.sum(), n: x.size}
    found = on_data(lam.rhs, {y[i]: x, r[i, j]: shares}, at)

    def negative(rate: float) -> float:
        if name == "poisson_mixture":
            return -float(np.sum(shares * component.logpmf(x, rate)))
        return -float(np.sum(shares * component.logpdf(x, scale=1 / rate)))

    best = scipy.optimize.minimize_scalar(negative, bounds=(1e-3, 50), method="bounded",
                                          options={"xatol": 1e-12})  # fmt: skip
    assert found == pytest.approx(best.x, rel=1e-6)
    assert on_data(weight.rhs, {}, at) == pytest.approx(shares.sum() / x.size, rel=1e-15)


def test_mixture_rows_show_every_parameter_indexed() -> None:
    for family in FAMILIES:
        row = mixture_row(symmle.mle(family.name))
        names = [p.symbol for p in family.base.parameters]
        assert row.method == "EM" and len(row.formulas) == 1 + len(names)
        assert row.parameters.startswith("{w}_{j}") and row.parameters.endswith(r"\dots, k")
        assert "{r}_{i,j} =" in row.note and "{N}_{j} =" in row.note


def test_rows_on_the_cheat_sheet_under_their_pages_sections() -> None:
    rows = tuple(censored_row(censored(name)) for name in ("exponential", "gamma"))
    mixtures = (mixture_row(symmle.mle("poisson_mixture")),)
    pages = [
        Page("em.md", "Mixtures by EM", "", "", section="Latent variables", rows=mixtures),
        Page("censored.md", "Right-censored data", "", "", section="Censored data", rows=rows),
    ]
    sheet = summary_page(pages).markdown
    latent, censoring = sheet.index("## Latent variables"), sheet.index("## Censored data")
    assert sheet.index("## No closed form") < latent < censoring
    assert "| [Poisson mixture](em.md) |" in sheet[latent:censoring]
    assert "| [Exponential](censored.md) | $\\lambda$ | $\\hat{\\lambda} = \\frac{d}" in sheet
    assert "| [Gamma](censored.md) |" in sheet and "| numeric (Nelder–Mead) |" in sheet
    assert "iterates $\\hat{w}_{j} = \\frac{{N}_{j}}{n}$" in sheet
