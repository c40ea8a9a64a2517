"""Profile-likelihood intervals: against the exponential's closed form, against a scan of the
profile computed by an independent route (scipy.stats log-densities, the nuisance maximised by
scipy.optimize or in closed form), at the domain's edges, and their errors."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from scipy import optimize, stats

import symmle
from symmle.derive.statistics import with_data
from symmle.families import get
from symmle.inference.explicit import (
    explicit_profile,
    explicit_profile_check,
    explicit_profile_step,
)
from symmle.inference.profile import profile, profile_intervals, profiles
from symmle.models.profile import regression_profiles
from symmle.printing.notation import EstimateGiven
from symmle.symbols import i, y
from symmle.symbols import n as sym_n

CUTOFF = float(stats.chi2.ppf(0.95, 1))


def crossing_within(deviance: Callable[[float], float], end: float, rel: float = 1e-6) -> bool:
    """The deviance crosses the cut-off between end·(1 − rel) and end·(1 + rel)."""
    below, above = sorted(deviance(end * (1 + s * rel)) for s in (-1, 1))
    return below < CUTOFF < above


def test_the_exponential_interval_is_the_closed_form() -> None:
    """2n(λ/λ̂ − 1 − log(λ/λ̂)) = χ²₁,₀.₉₅ at both ends (R's confint on the exponential)."""
    t = np.array([0.5, 1.2, 2.0, 0.3, 4.1, 0.9])
    n, rate = t.size, t.size / t.sum()
    low, high = symmle.mle("exponential", data=list(t)).interval(method="profile")["lambda"]

    def equation(x: float) -> float:
        return float(2 * n * (x - 1 - np.log(x)) - CUTOFF)

    assert low == pytest.approx(rate * optimize.brentq(equation, 1e-9, 1), rel=1e-9)
    assert high == pytest.approx(rate * optimize.brentq(equation, 1, 100), rel=1e-9)


def test_the_normal_intervals_match_a_scan_of_the_profile() -> None:
    y = np.array([-1.0, 0.0, 1.0, 2.5, 0.7])
    found = symmle.mle("normal", data=list(y)).interval(method="profile")
    top = float(np.sum(stats.norm.logpdf(y, y.mean(), y.std())))

    def of_mu(mu: float) -> float:  # σ̂(μ)² = mean (y − μ)²
        return 2 * (top - float(np.sum(stats.norm.logpdf(y, mu, np.sqrt(np.mean((y - mu) ** 2))))))

    def of_sigma(sigma: float) -> float:  # μ̂ = ȳ whatever σ
        return 2 * (top - float(np.sum(stats.norm.logpdf(y, y.mean(), sigma))))

    for name, deviance in (("mu", of_mu), ("sigma", of_sigma)):
        low, high = found[name]
        assert crossing_within(deviance, low) and crossing_within(deviance, high), name


@pytest.mark.parametrize("name", ["gamma", "weibull", "logistic"])
def test_numeric_families_match_a_brute_force_profile(name: str) -> None:
    """Each profile point found again by scipy.optimize (Nelder–Mead on the nuisance) on
    scipy.stats' own log-density."""
    y = np.array([1.5, 2.0, 3.25, 0.5, 2.75, 1.1, 4.2, 0.8])
    r = symmle.mle(name, data=list(y))
    names = [p.name for p in r.family.parameters]
    estimate = {k: float(v) for k, v in r.estimate.items()}

    def log_likelihood(values: dict[str, float]) -> float:
        dist = {
            "gamma": lambda: stats.gamma(values["alpha"], scale=1 / values["beta"]),
            "weibull": lambda: stats.weibull_min(values["k"], scale=values["lambda"]),
            "logistic": lambda: stats.logistic(values["mu"], values["s"]),
        }[name]()
        total = float(np.sum(dist.logpdf(y)))
        return total if np.isfinite(total) else -1e300

    top = log_likelihood(estimate)
    for fixed in names:
        (other,) = [k for k in names if k != fixed]

        def deviance(value: float, fixed: str = fixed, other: str = other) -> float:
            best = optimize.minimize(
                lambda u: -log_likelihood({fixed: value, other: float(u[0])}),
                [estimate[other]],
                method="Nelder-Mead",
                options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20_000},
            )
            return 2 * (top + float(best.fun))

        low, high = r.interval(method="profile")[fixed]
        assert low < estimate[fixed] < high
        assert crossing_within(deviance, low) and crossing_within(deviance, high), fixed


def test_an_estimate_on_the_edge_keeps_the_edge_as_its_end() -> None:
    """θ̂ = 0 for 0, 0, 0: the interval is [0, 1 − e^(−χ²/6)], where Wald has none."""
    low, high = symmle.mle("bernoulli", data=[0, 0, 0]).interval(method="profile")["theta"]
    assert low == 0 and high == pytest.approx(1 - np.exp(-CUTOFF / 6), rel=1e-9)
    low, high = symmle.mle("poisson", data=[0, 0, 0, 0]).interval(method="profile")["lambda"]
    assert low == 0 and high == pytest.approx(CUTOFF / 8, rel=1e-9)


def test_a_support_end_has_no_profile_interval_and_bounds_the_others() -> None:
    """2(ℓ̂ − ℓₚ) is not χ² for a support end; the Pareto's α has its interval, with x_m kept
    at most min yᵢ at each profile point (else ℓ grows without bound)."""
    with pytest.raises(symmle.RegularityError, match="no profile-likelihood intervals"):
        symmle.mle("uniform", data=[2, 3, 5]).interval(method="profile")
    y = np.array([1.0, 2.0, 3.0, 4.0, 1.5])
    found = symmle.mle("pareto", data=list(y)).interval(method="profile")
    assert list(found) == ["alpha"]
    top = float(np.sum(stats.pareto.logpdf(y, len(y) / np.sum(np.log(y / y.min())), scale=1)))

    def deviance(alpha: float) -> float:
        return 2 * (top - float(np.sum(stats.pareto.logpdf(y, alpha, scale=y.min()))))

    assert crossing_within(deviance, found["alpha"][0])
    assert crossing_within(deviance, found["alpha"][1])


def test_the_profile_interval_stays_in_the_domain_where_wald_leaves_it() -> None:
    r = symmle.mle("gamma", data=[1.5, 2.0, 3.25, 0.5])
    assert r.interval()["beta"][0] < 0 < r.interval(method="profile")["beta"][0]


def test_the_categorical_profile_shares_what_a_probability_leaves() -> None:
    """p_j fixed, the others in proportion to their counts: the profile is the binomial's."""
    data = [1, 2, 2, 3, 3, 3]
    found = symmle.mle("categorical", data=data, known={"k": 3}).interval(method="profile")
    binomial = symmle.mle("bernoulli", data=[1 if v == 3 else 0 for v in data])
    assert found["p_3"] == pytest.approx(binomial.interval(method="profile")["theta"], rel=1e-7)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "bootstrap"}, "'wald' or 'profile'"),
        ({"method": "profile", "level": 1.5}, "strictly between 0 and 1"),
        ({"method": "profile", "level": True}, "strictly between 0 and 1"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], message: str) -> None:
    r = symmle.mle("poisson", data=[1, 2, 3])
    with pytest.raises(symmle.OptionError, match=message):
        r.interval(**options)  # type: ignore[arg-type]


def test_profile_intervals_need_data() -> None:
    with pytest.raises(symmle.OptionError, match="need data"):
        symmle.mle("poisson").interval(method="profile")


def test_family_pages_draw_the_profile_beside_wald() -> None:
    """A figure of 2(ℓ̂ − ℓₚ) per parameter on each family page with profile intervals; none
    for the uniform, whose parameters are support ends."""
    from symmle.site.family_pages import family_page

    gamma = family_page("gamma")
    assert [f.name for f in gamma.figures] == ["gamma-likelihood.svg", "gamma-profile.svg"]
    assert "gamma-profile.svg" in gamma.markdown and gamma.figures[1].svg.count('<g id="axes_') == 2
    assert [f.name for f in family_page("uniform").figures] == ["uniform-likelihood.svg"]


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("normal", "mu"),
        ("normal", "sigma"),
        ("gamma", "alpha"),
        ("weibull", "k"),
        ("inverse_gaussian", "lambda"),
    ],
)
def test_an_explicit_profile_is_derived_and_equals_the_numeric_one(
    name: str, parameter: str
) -> None:
    """ℓₚ derived by the planner with θⱼ held as a symbol, written out on the data, equals
    the numeric profile (L-BFGS-B over the other parameters) at points around the estimate."""
    family = get(name)
    found = explicit_profile(family, parameter)
    assert found is not None and family.parameter(parameter).symbol in found.free_symbols
    data = [Fraction(v) for v in ("1.5", "2", "3.25", "0.5", "2.75", "1.1")]
    r = symmle.mle(name, data=data)
    numeric = profile(r, family.parameter(parameter))
    on_data = with_data(found.subs(sym_n, len(data)), data)
    estimate = float(r.estimate[parameter])
    for factor in (0.7, 0.9, 1.0, 1.2, 1.6):
        value = factor * estimate
        exact = float(on_data.subs(family.parameter(parameter).symbol, value))
        assert exact == pytest.approx(numeric.profile(value), rel=1e-8), factor


def test_no_explicit_profile_where_the_others_solve_a_digamma_equation() -> None:
    assert explicit_profile(get("gamma"), "beta") is None  # α̂ given β: ψ(α) = log β + mean log y
    assert explicit_profile(get("exponential"), "lambda") is None  # nothing else to maximise
    assert explicit_profile(get("uniform"), "a") is None  # support ends


def regression_data(name: str, seed: int, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    eta = X @ np.array([0.4, -0.8, 0.6])
    if name == "linear":
        return X, eta + rng.normal(0, 1.2, n)
    if name == "logistic":
        return X, (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    return X, rng.poisson(np.exp(eta)).astype(float)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_linear_regressions_intervals_are_the_closed_form(seed: int) -> None:
    """σ profiled out, RSSⱼ(β) = RSS + (β − β̂)²/[(XᵀX)⁻¹]ⱼⱼ, so 2(ℓ̂ − ℓₚ(β)) =
    n·log(1 + (β − β̂)²/((n − d)·SE²)) with statsmodels' SE (σ² = RSS/(n − d)); and for σ,
    2n·log(σ/σ̂) + n·σ̂²/σ² − n, σ̂² = RSS/n."""
    import statsmodels.api as sm

    X, y = regression_data("linear", seed)
    (n, d), ols = X.shape, sm.OLS(y, X).fit()
    found = symmle.regression("linear", X=X, y=y).interval(method="profile")
    half = ols.bse * np.sqrt((n - d) * np.expm1(CUTOFF / n))
    for k, name in enumerate(("x1", "x2", "x3")):
        expected = (ols.params[k] - half[k], ols.params[k] + half[k])
        assert found[name] == pytest.approx(expected, rel=1e-9), name
    sigma = np.sqrt(ols.ssr / n)

    def of_sigma(s: float) -> float:
        return float(2 * n * np.log(s / sigma) + n * sigma**2 / s**2 - n - CUTOFF)

    expected = (optimize.brentq(of_sigma, 1e-3, sigma), optimize.brentq(of_sigma, sigma, 10))
    assert found["sigma"] == pytest.approx(expected, rel=1e-9)


def scanned_ends(deviance: Callable[[float], float], around: tuple[float, float]) -> list[float]:
    """Where the deviance crosses the cut-off: a scan on a grid across ``around`` widened
    by half its length on each side, each crossing then found by brentq within its cell."""
    low, high = around
    grid = np.linspace(low - (high - low) / 2, high + (high - low) / 2, 81)
    gaps = np.array([deviance(v) - CUTOFF for v in grid])
    cells = np.flatnonzero(np.sign(gaps[:-1]) != np.sign(gaps[1:]))
    return [
        optimize.brentq(lambda v: deviance(v) - CUTOFF, grid[k], grid[k + 1], xtol=1e-12)
        for k in cells
    ]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", ["logistic", "poisson"])
def test_glm_intervals_match_a_brute_force_scan_of_the_profile(name: str, seed: int) -> None:
    """ℓ from scipy.stats' log-pmf, ℓ̂ from statsmodels, each profile point's other weights
    maximised by scipy.optimize (BFGS on finite differences): the ends agree to 1e-6."""
    import statsmodels.api as sm

    X, y = regression_data(name, seed)
    if name == "logistic":
        theirs = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    else:
        theirs = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-13)

    def log_likelihood(w: np.ndarray) -> float:
        eta = X @ w
        if name == "logistic":
            return float(np.sum(stats.bernoulli.logpmf(y, 1 / (1 + np.exp(-eta)))))
        return float(np.sum(stats.poisson.logpmf(y, np.exp(eta))))

    r = symmle.regression(name, X=X, y=y)
    found = r.interval(method="profile")
    for k, label in enumerate(("x1", "x2", "x3")):

        def deviance(value: float, k: int = k) -> float:
            rest = optimize.minimize(
                lambda u: -log_likelihood(np.insert(u, k, value)),
                np.delete(theirs.params, k),
                method="BFGS",
                options={"gtol": 1e-9},
            )
            return 2 * (float(theirs.llf) + float(rest.fun))

        ends = scanned_ends(deviance, r.interval()[label])
        assert len(ends) == 2 and found[label] == pytest.approx(ends, abs=1e-6), label


@pytest.mark.parametrize("name", ["linear", "logistic", "poisson"])
def test_regression_intervals_hold_the_estimate_and_wald_stays_the_default(name: str) -> None:
    X, y = regression_data(name, 2)
    r = symmle.regression(name, X=X, y=y)
    profile, wide = r.interval(method="profile"), r.interval(level=0.99, method="profile")
    names = ["x1", "x2", "x3"] + ["sigma"] * (name == "linear")
    assert list(profile) == list(r.estimate) == names
    for key, estimate in r.estimate.items():
        low, high = profile[key]
        assert wide[key][0] < low < estimate < high < wide[key][1], key
    if name == "linear":
        assert profile["sigma"][0] > 0
    z = stats.norm.ppf(0.975)
    at, se = np.array(list(r.estimate.values())), np.array(list(r.standard_errors.values()))
    assert r.interval() == r.interval(method="wald")
    np.testing.assert_allclose(list(r.interval().values()), np.c_[at - z * se, at + z * se])


def test_glm_wald_intervals_equal_statsmodels_conf_int() -> None:
    import statsmodels.api as sm

    X, y = regression_data("poisson", 3)
    theirs = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-13).conf_int(0.1)
    found = symmle.regression("poisson", X=X, y=y).interval(level=0.9)
    np.testing.assert_allclose(list(found.values()), theirs, rtol=1e-6)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "bootstrap"}, "'wald' or 'profile'"),
        ({"method": "profile", "level": 1.5}, "strictly between 0 and 1"),
        ({"method": "profile", "level": 0}, "strictly between 0 and 1"),
        ({"method": "wald", "level": True}, "strictly between 0 and 1"),
    ],
)
def test_bad_regression_interval_options_are_refused(
    options: dict[str, object], message: str
) -> None:
    X, y = regression_data("logistic", 0)
    with pytest.raises(symmle.OptionError, match=message):
        symmle.regression("logistic", X=X, y=y).interval(**options)  # type: ignore[arg-type]
    with pytest.raises(symmle.OptionError, match="need data"):
        symmle.regression("logistic").interval(method="profile")


def test_model_pages_draw_the_profile_beside_wald() -> None:
    """Each regression page: the estimate's table with both intervals, and a figure of
    2(ℓ̂ − ℓₚ) per parameter (the linear model's σ too)."""
    from symmle.site.model_pages import model_page

    for name, panels in (("linear", 3), ("poisson", 2)):
        page = model_page(name)
        figure = page.figures[-1]
        assert figure.name == f"{name}-regression-profile.svg" and figure.name in page.markdown
        assert figure.svg.count('<g id="axes_') == panels
        assert "| 95% Wald interval | 95% profile interval |" in page.markdown
    assert "| σ |" in model_page("linear").markdown


def test_near_separation_the_profile_interval_follows_the_likelihood_ratio_test() -> None:
    """Nearly separated classes: Wald's interval for the slope holds 0, the profile's does not,
    as statsmodels' likelihood-ratio test of slope = 0 says: its 2(ℓ̂ − ℓ̂₀) is the profile's
    deviance at 0, and above χ²₁,₀.₉₅."""
    import statsmodels.api as sm

    x = np.array([-3, -2, -1.5, -1, -0.5, 0.2, 0.5, 1, 1.5, 2, 3, 0.3])
    y = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0.0])
    X = np.column_stack([np.ones_like(x), x])
    r = symmle.regression("logistic", X=X, y=y)
    wald, found = r.interval()["x2"], r.interval(method="profile")["x2"]
    assert wald[0] < 0 < found[0] < r.estimate["x2"] < wald[1] < found[1]
    full = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    at_zero = regression_profiles(r)["x2"].deviance(0.0)
    assert at_zero == pytest.approx(2 * (full.llf - full.llnull), rel=1e-9) and at_zero > CUTOFF


@pytest.mark.parametrize(
    "name", ["normal", "lognormal", "gamma", "weibull", "gumbel", "inverse_gaussian"]
)
def test_the_profile_as_a_formula_is_shown_and_checked_against_scipy(name: str) -> None:
    """The family page's step writes each θ̂ₖ(θⱼ) as a textbook does (Σ(yᵢ − μ)², not
    nμ² + Σyᵢ² − 2μΣyᵢ), and its check puts them against scipy.optimize on the example."""
    family = get(name)
    step = explicit_profile_step(family)
    assert step is not None and step.expr.atoms(EstimateGiven)
    example = symmle.mle(name, data=family.example)
    check = explicit_profile_check(family, example)
    assert check is not None and check.passed and check.error < 1e-6, check


def test_the_profile_of_the_normal_is_written_with_one_sum() -> None:
    step = explicit_profile_step(get("normal"))
    assert step is not None
    sigma_given_mu = next(line.rhs for line in step.expr.args if line.lhs.has(EstimateGiven))
    mu, _ = get("normal").symbols
    assert sigma_given_mu == sp.sqrt(sp.Sum((mu - y[i]) ** 2, (i, 1, sym_n))) / sp.sqrt(sym_n)
    assert explicit_profile_step(get("exponential")) is None


def test_no_formula_for_a_profile_under_a_constraint() -> None:
    categorical = symmle.mle("categorical", known={"k": 3}).family
    assert explicit_profile(categorical, "p_1") is None
    assert explicit_profile_step(categorical) is None


def test_a_mixture_has_no_profile_interval_and_says_why() -> None:
    x = [0.1, 0.3, 0.2, 0.4, 5.1, 5.3, 4.9, 5.2, 0.25, 5.0]
    r = symmle.mle("normal_mixture", data=[str(v) for v in x], known={"k": 2})
    with pytest.raises(symmle.RegularityError, match="swap labels"):
        profiles(r)
    assert "EM gives no standard errors or intervals" in r.to_text()


def test_profile_intervals_are_found_once_per_level() -> None:
    result = symmle.mle("gamma", data=[1, 2, 4, 7])
    first = result.interval(method="profile")
    first["alpha"] = (0.0, 0.0)  # a copy: the result's own is untouched
    assert result.interval(method="profile") != first
    assert list(result.found_profiles) == [0.95]
    result.interval(level=0.9, method="profile")
    assert list(result.found_profiles) == [0.95, 0.9]


def test_a_results_profiles_and_intervals_are_found_once() -> None:
    """The page's table and its figure ask for the same profiles: one set of curves and one
    search per level for a result, fresh ones for another result of the same data."""
    data = [2.1, 0.7, 3.4, 1.9, 5.2, 2.8]
    result = symmle.mle("gamma", data=data)
    curves = profiles(result)
    assert all(profiles(result)[k] is curves[k] for k in curves)
    assert profile_intervals(result) == result.interval(method="profile")
    assert profile_intervals(result, 0.9) != profile_intervals(result)
    again = symmle.mle("gamma", data=data)
    assert all(profiles(again)[k] is not curves[k] for k in curves)
    assert profile_intervals(again) == profile_intervals(result)
