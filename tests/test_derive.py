"""The worked examples, the general-n forms and the edge cases of symmle.mle."""

from __future__ import annotations

import pickle

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy import stats

import symmle
from symmle import i, n, y
from symmle.checks import log_density
from symmle.derive.lambdified import per_sample
from symmle.families.continuous import mu, sigma
from symmle.families.discrete import theta
from symmle.symbols import value

MLE_KINDS = ["model", "likelihood", "log", "nll", "score", "solve", "second_order", "estimate"]


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return bool(sp.simplify(a - b) == 0)


def kinds(result: symmle.Result) -> list[str]:
    return [s.kind for s in result.steps]


def test_bernoulli_worked_example() -> None:
    r = symmle.mle("bernoulli", data=[0, 0, 0, 1, 0])
    assert same(r.estimate["theta"], sp.Rational(1, 5))
    assert r.method == "closed form"
    likelihood = r.step("likelihood").expr.args[-1].rhs
    assert same(likelihood, theta * (1 - theta) ** 4)
    assert same(r.log_likelihood, sp.log(theta) + 4 * sp.log(1 - theta))
    assert kinds(r) == ["model", "data", *MLE_KINDS[1:]]


def test_normal_worked_example() -> None:
    r = symmle.mle("normal", data=[-1, 0, 1])
    assert same(r.estimate["mu"], 0)
    assert same(r.estimate["sigma"], sp.sqrt(sp.Rational(2, 3)))
    likelihood = r.step("likelihood").expr.args[-1].rhs.doit()
    exponent = -((mu - 1) ** 2 + mu**2 + (mu + 1) ** 2) / (2 * sigma**2)
    expected = (2 * sp.pi * sigma**2) ** sp.Rational(-3, 2) * sp.exp(exponent)
    assert same(likelihood, expected)


def test_general_bernoulli_is_the_sample_mean() -> None:
    r = symmle.mle("bernoulli")
    assert same(r.estimate["theta"], sp.Sum(y[i], (i, 1, n)) / n)
    assert kinds(r) == MLE_KINDS


def test_general_normal_is_mean_and_std() -> None:
    r = symmle.mle("normal")
    mean = sp.Sum(y[i], (i, 1, n)) / n
    assert same(r.estimate["mu"], mean)
    variance = sp.Sum((y[i] - mean) ** 2, (i, 1, n)) / n
    squared = r.estimate["sigma"] ** 2
    for size in (2, 3, 5):  # the sums written out: identities in y_1..y_size
        assert same(squared.subs(n, size).doit(), variance.subs(n, size).doit())
    assert kinds(r) == MLE_KINDS


@pytest.mark.parametrize("size", [1, 2, 7, 40])
def test_general_forms_agree_with_numpy(size: int) -> None:
    rng = np.random.default_rng(size)
    sample = rng.normal(1.0, 2.0, size)
    r = symmle.mle("normal")
    values = {y[k + 1]: float(v) for k, v in enumerate(sample)}
    at = {name: float(e.subs(n, size).doit().subs(values)) for name, e in r.estimate.items()}
    assert at["mu"] == pytest.approx(np.mean(sample), rel=1e-12, abs=1e-12)
    assert at["sigma"] == pytest.approx(np.std(sample), rel=1e-9, abs=1e-12)


def test_concrete_data_plug_into_the_general_result() -> None:
    data = [3, 1, 4, 1, 5, 9, 2, 6]
    general = symmle.mle("normal").estimate
    concrete = symmle.mle("normal", data=data).estimate
    values = {y[k + 1]: v for k, v in enumerate(data)}
    for name in ("mu", "sigma"):
        assert same(general[name].subs(n, len(data)).doit().subs(values), concrete[name])


def test_all_zeros_is_a_boundary_maximum() -> None:
    r = symmle.mle("bernoulli", data=[0, 0, 0, 0])
    assert r.estimate["theta"] == 0
    assert r.method == "boundary"
    assert "boundary" in kinds(r) and "second_order" not in kinds(r)
    assert "endpoint" in r.step("boundary").text


def test_all_ones_is_a_boundary_maximum() -> None:
    r = symmle.mle("bernoulli", data=[1, 1, 1])
    assert r.estimate["theta"] == 1 and r.method == "boundary"


def test_equal_normal_values_have_no_mle_for_sigma() -> None:
    with pytest.raises(symmle.NoMLEError, match="sigma"):
        symmle.mle("normal", data=[2.5, 2.5, 2.5])


def test_float_data_are_exact_and_match_numpy() -> None:
    data = [0.5, 1.25, -0.1, 3.0]
    r = symmle.mle("normal", data=data)
    assert r.estimate["mu"] == sp.Rational(93, 80)
    assert float(r.estimate["mu"]) == pytest.approx(np.mean(data), rel=1e-15)
    assert float(r.estimate["sigma"]) == pytest.approx(np.std(data), rel=1e-14)


def test_known_parameter_is_fixed() -> None:
    r = symmle.mle("normal", data=[1, 2, 6], known={"sigma": 2})
    assert list(r.estimate) == ["mu"]
    assert same(r.estimate["mu"], 3)
    assert all(c.passed for c in r.checks)


@pytest.mark.parametrize(
    ("family", "data"),
    [
        ("bernoulli", [0, 0, 0, 1, 0]),
        ("normal", [-1, 0, 1]),
        ("bernoulli", None),
        ("normal", None),
        ("bernoulli", [0, 0]),
    ],
)
def test_numeric_checks_pass(family: str, data: list[int] | None) -> None:
    checks = symmle.mle(family, data=data).checks
    assert len(checks) >= 2
    assert all(c.passed for c in checks), checks


def test_every_step_has_latex_and_text() -> None:
    for r in (symmle.mle("normal"), symmle.mle("normal", data=[-1, 0, 1])):
        for step in r.steps:
            assert step.latex.strip() and step.text.strip() and step.kind in symmle.KINDS


def test_large_sample_uses_the_statistics() -> None:
    data = [k % 2 for k in range(10_000)]
    r = symmle.mle("bernoulli", data=data)
    assert r.estimate["theta"] == sp.Rational(1, 2)


def test_the_laplace_on_integers_keeps_its_total_exact() -> None:
    """|y − 59/2| summed through lambdify was float division: 'float' has no numerator."""
    data = list(range(60))
    r = symmle.mle("laplace", data=data)
    assert r.estimate == {"mu": sp.Rational(59, 2), "b": 15}
    assert float(r.estimate["b"]) == pytest.approx(np.mean(np.abs(np.array(data) - 29.5)))
    assert all(c.passed for c in r.checks)


@pytest.mark.parametrize(
    ("family", "known", "data", "expected"),
    [
        ("binomial", {"m": 30}, [3, 5, 9], {"p": sp.Rational(17, 90)}),
        ("negative_binomial", {"r": 30}, [3, 5, 9], {"p": sp.Rational(90, 107)}),
        ("normal", {"sigma": "1e20"}, [1, 2, 5], {"mu": sp.Rational(8, 3)}),
        ("student_t", {"nu": 100}, [1, 2, 5], None),
        ("gamma", {"alpha": 40}, [1, 2, 5], {"beta": sp.Rational(15, 1)}),
    ],
)
def test_large_known_constants_reach_numpy_as_floats(
    family: str, known: dict[str, object], data: list[int], expected: dict[str, sp.Expr] | None
) -> None:
    """30!, Γ(50) or σ² = 10⁴⁰ were printed by lambdify as Python ints, which NumPy's log
    refuses: every check crashed."""
    r = symmle.mle(family, data=data, known=known)
    assert all(c.passed for c in r.checks), [c for c in r.checks if not c.passed]
    if expected is not None:
        assert all(sp.simplify(r.estimate[k] - v) == 0 for k, v in expected.items())


@pytest.mark.parametrize(
    ("family", "known", "data", "expected"),
    [
        ("binomial", {"m": 5}, [1, 2, 3], {"p": sp.Rational(2, 5)}),
        ("categorical", {"k": 2}, [1, 2, 2], {"p_1": sp.Rational(1, 3), "p_2": sp.Rational(2, 3)}),
    ],
)
def test_the_users_data_is_never_judged_by_the_worked_example(
    family: str, known: dict[str, int], data: list[int], expected: dict[str, sp.Expr]
) -> None:
    """The binomial's example holds 7 and the categorical's a 3: they lie outside these
    supports, and were read while deriving the general form."""
    r = symmle.mle(family, data=data, known=known)
    assert r.estimate == expected and all(c.passed for c in r.checks)
    general = symmle.mle(family, known=known)
    assert all(c.passed for c in general.checks)
    fitted = symmle.fit(family, np.array(data), known)
    assert all(fitted[k] == pytest.approx(float(v)) for k, v in expected.items())


@pytest.mark.parametrize("data", [[3], [3, 3, 3], [0.25, 0.25]])
def test_the_uniform_on_equal_values_has_no_mle(data: list[float]) -> None:
    """â = b̂ would leave a support of one point, where (b − a)⁻ⁿ has no bound."""
    with pytest.raises(symmle.NoMLEError, match=f"single value {data[0]:g},"):
        symmle.mle("uniform", data=data)
    with pytest.raises(symmle.NoMLEError, match=f"single value {data[0]:g},"):
        symmle.fit("uniform", np.array(data, dtype=float))
    estimate = symmle.mle("uniform", data=[*data, 4]).estimate
    assert estimate == {"a": sp.nsimplify(data[0]), "b": 4}


def test_a_likelihood_growing_without_bound_is_said_in_words() -> None:
    with pytest.raises(symmle.NoMLEError, match="approaches infinity") as caught:
        symmle.mle("pareto", data=[2, 2])
    assert "zoo" not in str(caught.value)


@pytest.mark.parametrize(
    ("family", "known"), [("gamma", {"alpha": "1e50"}), ("categorical", {"k": 50})]
)
def test_a_known_value_sympy_takes_forever_over_stops_at_the_budget(
    family: str, known: dict[str, object]
) -> None:
    """Γ(10⁵⁰) is computed as the factorial it is; 50 categories make a slow Lagrange solve."""
    with pytest.raises(symmle.OptionError, match=r"did not finish .* within 1 s"):
        symmle.mle(family, data=[1, 2, 3], known=known, budget=1)


def test_a_known_count_beyond_what_floats_hold_is_refused() -> None:
    with pytest.raises(symmle.OptionError, match="beyond 2⁵³"):
        symmle.mle("binomial", data=[1, 2, 3], known={"m": "1e50"})


def test_a_registered_family_pickles_by_name_with_its_known_values() -> None:
    """A derivation comes back from its worker process as a pickle; the SciPy twin is a lambda."""
    family = symmle.family_with_known("binomial", {"m": 7})
    again = pickle.loads(pickle.dumps(family))
    assert again == family
    r = symmle.mle("student_t", data=[1, 2, 5], known={"nu": 4})
    assert pickle.loads(pickle.dumps(r)).estimate == r.estimate


@pytest.mark.parametrize(("m", "k"), [(10**15, 3), (10**6, 5 * 10**5), (30, 7), (5, 0)])
def test_log_binomial_coefficients_keep_their_digits(m: int, k: int) -> None:
    """log C(m, y) compiled through log B (SciPy's betaln): log Γ(m + 1) − log Γ(m − y + 1)
    would lose every digit at m = 10¹⁵; mpmath at 40 digits is the reference."""
    compiled = per_sample([sp.log(sp.binomial(m, value))], [])
    found = float(compiled(np.array([float(k)]))[0][0])
    with mpmath.workdps(40):
        exact = float(mpmath.log(mpmath.binomial(m, k)))
    assert found == pytest.approx(exact, rel=1e-13, abs=1e-13)


def test_a_huge_binomial_count_is_optimised_as_derived() -> None:
    result = symmle.mle("binomial", data=[3, 5], known={"m": "1e15"})
    assert result.estimate["p"] == sp.Rational(4, 10**15)
    assert len(result.checks) == 3 and all(c.passed for c in result.checks), result.checks


def test_scipy_pmf_is_read_where_its_logpmf_loses_its_digits() -> None:
    """The oracle of the log-likelihood check: at m = 10¹⁵ SciPy's binom.logpmf is off by
    1.8; the log of its pmf agrees with mpmath to 1e-12."""
    twin = stats.binom(10**15, 4e-15)
    with mpmath.workdps(40):
        m, p = mpmath.mpf(10) ** 15, mpmath.mpf(4) / mpmath.mpf(10) ** 15
        exact = [
            float(mpmath.log(mpmath.binomial(m, k) * p**k * (1 - p) ** (m - k))) for k in (3, 5)
        ]
    assert abs(twin.logpmf(3) - exact[0]) > 1
    assert np.allclose(log_density(twin, np.array([3.0, 5.0])), exact, rtol=1e-12)
    poisson = stats.poisson(3.2)  # beyond a normal float, logpmf itself
    assert np.allclose(log_density(poisson, np.array([2.0, 400.0])), poisson.logpmf([2, 400]))
