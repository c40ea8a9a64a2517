"""Right-censored data: the derivation from mle(family, data=t, observed=e), fit on arrays, the
checks, against lifelines' fitters, scipy.stats' survival functions and scipy.optimize."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import scipy
import sympy as sp

import symmle
from symmle.censored import CensoredResult
from symmle.derive.censored.optimum import log_likelihood
from symmle.derive.censored.sample import CENSORABLE, d, e
from symmle.errors import DataError, OptionError
from symmle.families import REGISTRY, get
from symmle.symbols import i, n, y

TIMES = [2, 3, 3, 5, 8, 9]
EVENTS = [True, True, False, True, False, True]
TIGHT = {"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000}
"""lifelines' L-BFGS-B polished far below its defaults (which stop near 1e-5)."""


def censored_sample(seed: int = 1, size: int = 400) -> tuple[Any, Any]:
    """Weibull(1.5, 2) event times, censored by uniform times on (0, 4): about a third."""
    rng = np.random.default_rng(seed)
    events = 2.0 * rng.weibull(1.5, size)
    censoring = rng.uniform(0, 4, size)
    return np.minimum(events, censoring), events <= censoring


def lifelines_fit(kind: str, t: Any, observed: Any) -> Any:
    import lifelines

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = getattr(lifelines, kind)()
        return fitter.fit(t, observed, fit_options=TIGHT)


def test_exponential_closed_form_for_general_n() -> None:
    r = symmle.mle("exponential", observed=True)
    assert isinstance(r, CensoredResult) and r.method == "closed form"
    expected = sp.Sum(e[i], (i, 1, n)) / sp.Sum(y[i], (i, 1, n))
    assert sp.simplify(r.estimate["lambda"] - expected) == 0
    lam = get("exponential").symbols[0]
    assert (
        sp.simplify(
            r.general.log_likelihood - (d * sp.log(lam) - lam * sp.Symbol("S_1", real=True))
        )
        == 0
    )
    assert all(c.passed for c in r.checks), r.checks
    kinds = [s.kind for s in r.steps]
    assert kinds[:5] == ["model", "likelihood", "log", "nll", "score"]
    assert {"solve", "second_order", "estimate", "fisher"} <= set(kinds)


def test_exponential_worked_example_by_hand() -> None:
    """d = 4 events, Σtᵢ = 30 over every time: λ̂ = 4/30, SE = λ̂/√d."""
    r = symmle.mle("exponential", data=TIMES, observed=EVENTS)
    assert r.estimate["lambda"] == sp.Rational(2, 15)
    assert r.standard_errors["lambda"] == pytest.approx(2 / 15 / 2, rel=1e-12)
    assert all(c.passed for c in r.checks), r.checks
    lam = get("exponential").symbols[0]
    assert sp.simplify(r.log_likelihood - (4 * sp.log(lam) - 30 * lam)) == 0


def test_weibull_known_shape_closed_form() -> None:
    """k = 2: λ̂ = (Σtᵢ²/d)^(1/2) = √(192/4)."""
    r = symmle.mle("weibull", data=TIMES, observed=EVENTS, known={"k": 2})
    assert r.method == "closed form"
    assert sp.simplify(r.estimate["lambda"] - sp.sqrt(48)) == 0
    assert all(c.passed for c in r.checks), r.checks


@pytest.mark.parametrize(
    ("family", "fitter", "names"),
    [
        ("weibull", "WeibullFitter", {"k": "rho_", "lambda": "lambda_"}),
        ("lognormal", "LogNormalFitter", {"mu": "mu_", "sigma": "sigma_"}),
    ],
)
def test_numeric_families_against_lifelines(
    family: str, fitter: str, names: dict[str, str]
) -> None:
    t, observed = censored_sample()
    theirs = lifelines_fit(fitter, t, observed)
    found, errors = symmle.fit(family, t, observed=observed, se=True)
    r = symmle.mle(family, data=t, observed=observed)
    assert isinstance(r, CensoredResult) and r.method == "numeric"
    assert all(c.passed for c in r.checks), r.checks
    ours = {k: float(v) for k, v in r.estimate.items()}
    for name, attribute in names.items():
        assert ours[name] == pytest.approx(getattr(theirs, attribute), rel=1e-6)
        assert found[name] == pytest.approx(ours[name], rel=1e-9)
        se = theirs.summary.loc[attribute, "se(coef)"]
        assert errors[name] == pytest.approx(se, rel=1e-4)
        assert r.standard_errors[name] == pytest.approx(errors[name], rel=1e-9)
    at = {get(family).parameter(k).symbol: v for k, v in ours.items()}
    assert log_likelihood(r.general, r.split, at) >= theirs.log_likelihood_


def test_exponential_against_lifelines() -> None:
    """lifelines' ExponentialFitter has λ as a scale: the rate is 1/lambda_."""
    t, observed = censored_sample(2)
    theirs = lifelines_fit("ExponentialFitter", t, observed)
    found, errors = symmle.fit("exponential", t, observed=observed, se=True)
    assert found["lambda"] == pytest.approx(observed.sum() / t.sum(), rel=1e-12)
    assert found["lambda"] == pytest.approx(1 / theirs.lambda_, rel=1e-6)
    scale_se = theirs.summary.loc["lambda_", "se(coef)"]
    assert errors["lambda"] == pytest.approx(scale_se / theirs.lambda_**2, rel=1e-4)  # delta method


@pytest.mark.parametrize("family", CENSORABLE)
def test_survival_functions_against_scipy(family: str) -> None:
    dist = get(family)
    assert dist.survival is not None
    values = dict(dist.probe)
    at = {p.symbol: values[p.name] for p in dist.parameters}
    points = np.linspace(0.1, 6, 13)
    fn = sp.lambdify(sp.Symbol("y"), dist.survival.subs(at), "scipy")
    expected = dist.scipy(values).sf(points)  # type: ignore[misc]
    np.testing.assert_allclose(fn(points), expected, rtol=1e-12)


def test_censorable_names_the_families_with_a_survival_function() -> None:
    assert sorted(n for n, f in REGISTRY.items() if f.survival is not None) == sorted(CENSORABLE)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"observed": [False] * 6}, DataError, "every observation is censored"),
        ({"observed": [True, False]}, DataError, "observed has 2 values for 6"),
        ({"observed": [1, 0, 2, 1, 1, 1]}, DataError, "not a boolean"),
        ({"observed": ["yes"] * 6}, DataError, "not a boolean"),
        ({"observed": "110111"}, DataError, "not a string"),
    ],
)
def test_bad_observed(kwargs: dict[str, Any], error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        symmle.mle("exponential", data=TIMES, **kwargs)


def test_family_without_survival_function() -> None:
    with pytest.raises(OptionError, match="has no survival function"):
        symmle.mle("cauchy", data=TIMES, observed=EVENTS)
    with pytest.raises(OptionError, match="has no survival function"):
        symmle.fit("poisson", np.array(TIMES), observed=EVENTS)


@pytest.mark.parametrize(
    ("observed", "words"),
    [
        (np.zeros(6, bool), "every observation is censored"),
        (np.ones(5, bool), "observed has 5 values for 6"),
        (np.array([0.0, 1, 1, 1, 1, 1]), "booleans"),
    ],
)
def test_fit_bad_observed(observed: Any, words: str) -> None:
    with pytest.raises(DataError, match=words):
        symmle.fit("exponential", np.array(TIMES, float), observed=observed)


def test_checks_fail_on_a_wrong_estimate() -> None:
    """The checks are not vacuous: an estimate moved off the optimum fails them."""
    from dataclasses import replace

    r = symmle.mle("exponential", data=TIMES, observed=EVENTS)
    moved = replace(r, estimate={"lambda": sp.Rational(3, 20)})
    failed = {c.name for c in moved.checks if not c.passed}
    assert "score zero at the estimate" in failed


def test_gamma_no_worse_than_scipy_optimize() -> None:
    t, observed = censored_sample(3, 200)
    found = symmle.fit("gamma", t, observed=observed)
    twin = get("gamma").scipy

    def nll(theta: Any) -> float:
        if np.any(theta <= 0):
            return np.inf
        dist = twin({"alpha": theta[0], "beta": theta[1]})  # type: ignore[misc]
        return -float(np.sum(dist.logpdf(t[observed])) + np.sum(dist.logsf(t[~observed])))

    best = scipy.optimize.minimize(
        nll, [1.0, 1.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}
    )
    assert -nll(np.array([found["alpha"], found["beta"]])) >= -best.fun - 1e-9


def test_cli_observed_beside_data(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from symmle.cli import main

    argv = ["derive", "exponential", "--data", "2,3,3,5,8,9", "--observed", "1,1,0,1,0,1"]
    assert main([*argv, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["censored"] and found["estimate"]["lambda"]["expr"] == "2/15"
    assert all(c["passed"] for c in found["checks"])


def test_cli_two_column_file(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from symmle.cli import main

    path = tmp_path / "times.csv"
    rows = "".join(f"{t},{int(e)}\n" for t, e in zip(TIMES, EVENTS, strict=True))
    path.write_text("time,observed\n" + rows)
    assert main(["derive", "weibull", "--data-file", str(path), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    r = symmle.mle("weibull", data=TIMES, observed=EVENTS)
    assert found["estimate"]["k"]["value"] == pytest.approx(float(r.estimate["k"]), rel=1e-12)


@pytest.mark.parametrize(
    ("observed", "words"),
    [
        ("1,1", "observed has 2 values for 6"),
        ("0,0,0,0,0,0", "every observation"),
        ("1,x", "not an event"),
    ],
)
def test_cli_bad_observed(observed: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    from symmle.cli import main

    assert main(["derive", "exponential", "--data", "2,3,3,5,8,9", "--observed", observed]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1


def test_cli_fit_two_column_file_against_lifelines(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from symmle.cli import main

    t, observed = censored_sample(5, 300)
    path = tmp_path / "times.csv"
    rows = "".join(f"{float(v)!r},{int(seen)}\n" for v, seen in zip(t, observed, strict=True))
    path.write_text("time,observed\n" + rows)
    argv = ["fit", "weibull", "--data-file", str(path), "--se", "--format", "json"]
    assert main(argv) == 0
    found = json.loads(capsys.readouterr().out)
    fitter = lifelines_fit("WeibullFitter", t, observed)
    assert found["censored"] and found["events"] == int(observed.sum()) and found["n"] == t.size
    assert found["estimate"]["k"] == pytest.approx(fitter.rho_, rel=1e-6)
    assert found["estimate"]["lambda"] == pytest.approx(fitter.lambda_, rel=1e-6)
    errors = fitter.summary["se(coef)"]
    assert found["standard_errors"]["k"] == pytest.approx(errors["rho_"], rel=1e-4)
    assert found["standard_errors"]["lambda"] == pytest.approx(errors["lambda_"], rel=1e-4)


def test_cli_fit_observed_beside_values(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from symmle.cli import main

    path = tmp_path / "times.txt"
    path.write_text("\n".join(map(str, TIMES)) + "\n")
    assert main(["fit", "exponential", "--data-file", str(path), "--observed", "1,1,0,1,0,1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Exponential (closed form), n = 6, d = 4 events (right-censored)",
        f"  lambda = {2 / 15:.10g}",
    ]


@pytest.mark.parametrize(
    ("rows", "observed", "words"),
    [
        ("2\n3\n5\n", "1,1", "observed has 2 values for 3"),
        ("2\n3\n5\n", "0,0,0", "every observation"),
        ("2\n3\n5\n", "1,y,1", "not an event"),
        ("time,observed\n2,1\n3,0\n", "1,1", "not both"),
        ("time,observed\n2,1\n3\n", None, "line 3 of the data file has 1 columns"),
        ("time,observed\n2,1\n-3,0\n", None, "support"),
    ],
)
def test_cli_fit_bad_censored_input(
    rows: str, observed: str | None, words: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from symmle.cli import main

    path = tmp_path / "times.csv"
    path.write_text(rows)
    extra = [] if observed is None else ["--observed", observed]
    assert main(["fit", "weibull", "--data-file", str(path), *extra]) == 2
    out, err = capsys.readouterr()
    assert out == "" and words in err and "Traceback" not in err and err.count("\n") == 1


def test_the_optimum_checks_domain_test_in_floats_agrees_with_sympys() -> None:
    import numpy as np
    import sympy as sp

    from symmle.censored.checks import within_domain

    domains = [sp.Interval.open(0, sp.oo), sp.S.Reals, sp.Interval(0, 1), sp.Interval.Lopen(0, 1)]
    for domain in domains:
        inside = within_domain(domain)
        for v in [-np.inf, -1.0, 0.0, 1e-300, 0.5, 1.0, 2.0, np.inf]:
            assert inside(v) == bool(domain.contains(sp.Float(v))), (domain, v)
