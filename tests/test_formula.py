"""User-defined families: formulas parsed without eval against a whitelist, refused clearly
when hostile or not a density, and derived by every method of the catalogue."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from scipy import stats

import symmle
import symmle.api
from symmle.cli import main
from symmle.errors import FormulaError, RegularityError
from symmle.families import formula, get
from symmle.families.formula import parse_formula
from symmle.inference import fisher
from symmle.symbols import i, n, value, y

lam = sp.Symbol("lambda", positive=True)
NAMES = {"y": value, "lam": lam}
EXPONENTIAL = {"pdf": "lam*exp(-lam*y)", "parameters": {"lam": "(0, oo)"}, "support": "[0, oo)"}

HOSTILE = [
    "__import__('os').system('touch CANARY')",
    "().__class__.__bases__[0].__subclasses__()",
    "y.__class__",
    "lam.conjugate()",
    "__builtins__",
    "lambda: 0",
    "(lambda x: x)(1)",
    "[x for x in range(10**9)]",
    "sum(x for x in range(10**10))",
    "{x: x for x in range(9**9)}",
    "{x for x in range(9**9)}",
    "9**9**9",
    "2**2**2**2**2",
    "y**(10**100)",
    "y**1000000",
    "(1 + y)**-1000",
    "factorial(10**6)",
    "gamma(1e10)",
    "exp(exp(exp(100)))",
    "1e400*y",
    "1e-400 + y",
    "1" * 600,
    "exp(" * 60 + "y" + ")" * 60,
    "(" * 240 + "y" + ")" * 240,
    "-" * 400 + "y",
    "+".join(["y"] * 240),
    "'a'*10**9",
    "b'x'",
    "y if y else lam",
    "(y := 1)",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('import os')",
    "getattr(y, '__class__')",
    "exp(x=y)",
    "exp(*[y])",
    "y[0]",
    "lam @ y",
    "y << 100000",
    "1j*y",
    "True*y",
    "y\x00",
    "y; import os",
    "[y]*10**9",
    "(y,)*10**9",
    "1/0 + y",
    "log(0)*y",
    "(-8)**(1/3)*y",
    "f'{y}'",
]


@pytest.fixture
def no_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every door to running text as code is shut: a formula that needs one fails."""

    def shut(*args: object, **kwargs: object) -> None:
        raise AssertionError("user text reached eval, exec, sympify or parse_expr")

    for target in ("eval", "exec", "compile"):  # as the parser's module looks names up
        monkeypatch.setattr(formula, target, shut, raising=False)
    monkeypatch.setattr(sp, "sympify", shut)
    monkeypatch.setattr(sp, "parse_expr", shut)
    monkeypatch.setattr("sympy.parsing.sympy_parser.parse_expr", shut)
    monkeypatch.setattr("sympy.parsing.sympy_parser.eval_expr", shut)


@pytest.mark.parametrize("formula", HOSTILE)
def test_hostile_formulas_are_refused_without_running_anything(
    formula: str, no_eval: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FormulaError, match=r"^cannot use the pdf .*\.$") as refused:
        parse_formula(formula, NAMES, "pdf")
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 400
    assert not (tmp_path / "CANARY").exists()


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("lam*exp(-lam*y)", lam * sp.exp(-lam * value)),
        ("lam^2 * y", lam**2 * value),
        ("-y**2", -(value**2)),
        ("2^3^2 * y", 512 * value),
        ("sqrt(2/pi) * exp(-y^2/2)", sp.sqrt(2 / sp.pi) * sp.exp(-(value**2) / 2)),
        ("0.1 * y", value / 10),
        ("1_000 * y / 1e3", value),
        ("binomial(10, y) * lam**y", sp.binomial(10, value) * lam**value),
        ("abs(y - lam) + E", sp.Abs(value - lam) + sp.E),
        ("beta(lam, 2) * gamma(y + 1)", sp.beta(lam, 2) * sp.gamma(value + 1)),
        ("factorial(y) / 4", sp.factorial(value) / 4),
    ],
)
def test_formulas_build_the_sympy_expression(
    formula: str, expected: sp.Expr, no_eval: None
) -> None:
    assert sp.simplify(parse_formula(formula, NAMES) - expected) == 0


def test_lambda_has_a_clear_message() -> None:
    with pytest.raises(FormulaError, match="call the rate lam"):
        symmle.mle(pdf="lambda*exp(-lambda*y)", parameters={"lam": "(0, oo)"}, support="[0, oo)")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"pdf": "lam*exp(-2*lam*y)"}, "integrates to 1/2 over"),
        ({"pdf": "exp(-lam*y)"}, "not to 1"),
        ({"pdf": "y - lam", "support": "[0, 1]", "parameters": {"lam": "(0, 1)"}}, "negative"),
        ({"pdf": "lam*exp(-lam*y)", "support": "[0, oo"}, "cannot read the support"),
        ({"parameters": {"lam": "(oo, 0)"}}, "ends are reversed"),
        ({"parameters": {"lam": "(0, x)"}}, "not a number"),
        ({"parameters": {"lam": "(0, oo)", "mu": "(0, oo)"}}, "mu does not appear"),
        ({"parameters": {"n": "(0, oo)"}}, "reserved"),
        ({"parameters": {"2x": "(0, oo)"}}, "not a parameter name"),
        ({"parameters": {}}, "mapping of name to domain"),
        ({"support": None}, "give the support"),
        ({"pdf": None}, "unknown family None"),
        (
            {"pdf": None, "pmf": "lam**y*exp(-lam)/factorial(y)", "support": "{0, 1, x}"},
            "not an integer",
        ),
        (
            {"pdf": None, "pmf": "lam**y*exp(-lam)/factorial(y)", "support": "[0.2, 0.7]"},
            "holds no integer",
        ),
        (
            {"pdf": None, "pmf": "lam**y*exp(-lam)/factorial(y)", "support": "(0, 1)"},
            "holds no integer",
        ),
        (
            {"pdf": None, "pmf": "lam**y*exp(-lam)/factorial(y)", "support": "[3, 0]"},
            "ends are reversed",
        ),
    ],
)
def test_what_is_not_a_density_is_refused(options: dict[str, object], message: str) -> None:
    given = {**EXPONENTIAL, **options}
    with pytest.raises(symmle.SymmleError, match=message):
        symmle.mle(data=[1, 2, 3], **given)  # type: ignore[call-overload]


def same_estimate(formula: symmle.Result, registered: symmle.Result) -> None:
    """Same method and estimate (symbolically; to 1e-9 for Newton's), every check passed."""
    assert formula.method == registered.method
    rename = dict(zip(registered.family.symbols, formula.family.symbols, strict=True))
    for ours, theirs in zip(formula.estimate.values(), registered.estimate.values(), strict=True):
        if ours.is_Float:
            assert float(ours) == pytest.approx(float(theirs), rel=1e-9)
        else:
            assert sp.simplify(ours - theirs.xreplace(rename)) == 0
    assert formula.checks and all(c.passed for c in formula.checks), formula.checks


def options(pdf: str, parameters: dict[str, str], support: str) -> dict[str, object]:
    kind = "pmf" if support.startswith("{") else "pdf"
    return {kind: pdf, "parameters": parameters, "support": support}


REAL, POSITIVE = "(-oo, oo)", "(0, oo)"
CATALOGUE = {
    "bernoulli": options("theta**y*(1-theta)**(1-y)", {"theta": "[0, 1]"}, "{0, 1}"),
    "poisson": options("lam**y*exp(-lam)/factorial(y)", {"lam": "[0, oo)"}, "{0, 1, 2, ...}"),
    "normal": options(
        "exp(-(y-mu)^2/(2*sigma^2))/sqrt(2*pi*sigma^2)", {"mu": REAL, "sigma": POSITIVE}, REAL
    ),
    "uniform": options("1/(b-a)", {"a": REAL, "b": REAL}, "[a, b]"),
    "laplace": options("exp(-abs(y-mu)/b)/(2*b)", {"mu": REAL, "b": POSITIVE}, REAL),
    "gamma": options(
        "beta**alpha/gamma(alpha)*y**(alpha-1)*exp(-beta*y)",
        {"alpha": POSITIVE, "beta": POSITIVE},
        POSITIVE,
    ),
}
"""Closed form (discrete and continuous), boundary, median, profile + Newton."""


@pytest.mark.parametrize("name", CATALOGUE)
def test_a_formula_derives_as_the_catalogue_family(name: str) -> None:
    example = list(get(name).example)
    formula = symmle.mle(data=example, **CATALOGUE[name])  # type: ignore[call-overload]
    registered = symmle.mle(name, data=example)
    same_estimate(formula, registered)
    assert "SymPy shows that it" in formula.steps[0].text
    text = formula.to_text()  # with the standard errors, or the reason there are none
    assert "Standard errors, 95% Wald and profile" in text or "No standard errors" in text
    if name in ("bernoulli", "poisson", "normal", "gamma"):  # the information, derived anew
        theirs = list(registered.standard_errors.values())
        assert list(formula.standard_errors.values()) == pytest.approx(theirs, rel=1e-9)


@pytest.mark.parametrize("name", ["poisson", "normal", "uniform"])
def test_a_formula_derives_for_general_n(name: str) -> None:
    formula = symmle.mle(**CATALOGUE[name])  # type: ignore[call-overload]
    same_estimate(formula, symmle.mle(name))


def test_a_family_outside_the_catalogue_matches_scipy() -> None:
    """Maxwell–Boltzmann: â = √(Σyᵢ²/(3n)), as scipy.stats.maxwell's fit with loc 0."""
    maxwell = options("sqrt(2/pi)*y^2*exp(-y^2/(2*a^2))/a^3", {"a": POSITIVE}, "[0, oo)")
    general = symmle.mle(**maxwell)  # type: ignore[call-overload]
    expected = sp.sqrt(sp.Sum(y[i] ** 2, (i, 1, n)) / (3 * n))
    assert sp.simplify(general.estimate["a"] - expected) == 0
    data = stats.maxwell(scale=1.7).rvs(size=40, random_state=np.random.default_rng(3))
    result = symmle.mle(data=np.round(data, 3), **maxwell)  # type: ignore[call-overload]
    _, scale = stats.maxwell.fit(np.round(data, 3), floc=0)
    assert float(result.estimate["a"]) == pytest.approx(scale, rel=1e-4)
    assert all(c.passed for c in result.checks)


def test_undecided_normalisation_is_said_and_checked_numerically() -> None:
    found = symmle.mle(
        pdf="exp(-(y-mu)**4)/(2*gamma(5/4))",
        parameters={"mu": REAL},
        support=REAL,
        data=[-1, 0, 2],
    )
    model, checks = found.steps[0].text, {c.name: c for c in found.checks}
    assert "integrates to 1" in model or "could not decide" in model
    assert checks["the pdf at the estimate integrates to 1 (scipy.integrate.quad)"].passed


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


FORMULA_ARGS = ["--pdf", "lam*exp(-lam*y)", "--param", "lam:(0,oo)", "--support", "[0,oo)"]


@pytest.mark.parametrize("form", ["text", "markdown", "latex", "json"])
def test_the_cli_derives_a_formula_in_every_format(
    capsys: pytest.CaptureFixture[str], form: str
) -> None:
    code, out, err = run(capsys, "derive", *FORMULA_ARGS, "--data", "1,2,3", "--format", form)
    assert code == 0, err
    if form == "json":
        document = json.loads(out)
        assert document["family"] == "user-defined" and document["estimate"]["lam"]["value"] == 0.5
        assert all(c["passed"] for c in document["checks"])
    else:
        assert "user-defined distribution" in out and ("1/2" in out or r"\frac{1}{2}" in out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["derive", "--pdf", "y.__class__", "--param", "lam:(0,oo)", "--support", "[0,oo)"],
            "attribute access is not allowed",
        ),
        (["derive", "--pdf", "lam*exp(-lam*y)", "--support", "[0,oo)"], "needs its parameters"),
        (
            ["derive", "--pdf", "lam*exp(-lam*y)", "--param", "lam", "--support", "[0,oo)"],
            "NAME:DOMAIN",
        ),
        (["derive", "poisson", "--param", "lam:(0,oo)"], "give --pdf or --pmf"),
        (["derive", "poisson", *FORMULA_ARGS], "or --pdf/--pmf, once"),
        (["derive"], "or --pdf/--pmf, once"),
        (["derive", "--pdf", "y", "--pmf", "y"], "not allowed with argument"),
    ],
)
def test_the_cli_refuses_a_bad_formula_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err


def test_a_formula_with_a_known_parameter() -> None:
    normal = CATALOGUE["normal"]
    found = symmle.mle(data=[1, 2, 6], known={"sigma": 2}, **normal)  # type: ignore[call-overload]
    assert found.estimate == {"mu": 3} and all(c.passed for c in found.checks)
    assert found.standard_errors["mu"] == pytest.approx(2 / 3**0.5)


def test_a_derivation_that_takes_too_long_is_stopped(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole derivation of a formula is time-limited, not only the density verdict."""
    monkeypatch.setattr(symmle.api, "FORMULA_WITHIN", 1e-4)  # even a cached derivation takes ms
    monkeypatch.setenv("SYMMLE_NO_CACHE", "1")  # a kept document would bypass the budget
    argv = ["derive", "--pdf", "lam*exp(-lam*y)", "--param", "lam:(0,oo)", "--support", "[0,oo)"]
    code, out, err = run(capsys, *argv, "--data", "1,2,4")
    assert code == 2 and out == "" and "did not finish" in err
    assert len(err.strip().splitlines()) == 1, err
    monkeypatch.setattr(symmle.api, "FORMULA_WITHIN", 120)
    assert run(capsys, *argv, "--data", "1,2,4")[0] == 0


def test_a_formula_run_from_a_thread_stops_at_its_budget(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SIGALRM would do nothing here (not the main thread): the worker process is stopped."""
    caught: list[BaseException] = []

    def derive() -> None:
        try:
            symmle.mle(**CATALOGUE["gamma"], data=[1, 2, 4], budget=0.01)  # type: ignore[call-overload]
        except symmle.FormulaError as error:
            caught.append(error)

    worker = threading.Thread(target=derive)
    start = time.monotonic()
    worker.start()
    worker.join(60)
    assert caught and "within 0.01 s" in str(caught[0])
    assert time.monotonic() - start < 30
    argv = ["derive", "--pdf", "lam*exp(-lam*y)", "--param", "lam:(0,oo)", "--support", "[0,oo)"]
    code, out, err = run(capsys, *argv, "--budget", "0")
    assert code == 2 and out == "" and "budget" in err
    code, out, err = run(capsys, "derive", "normal", "--budget", "5")
    assert code == 2 and "--budget" in err


def test_the_information_of_a_formula_stops_at_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pmf on {0, …, 100}: E[·] is a sum of 101 terms SymPy takes seconds over (hours at
    20,000); the information runs in a worker under FORMULA_WITHIN, and the result says why
    it has no standard errors instead of hanging while it prints."""
    monkeypatch.setattr(fisher, "FORMULA_WITHIN", 1.0)
    fisher.budgeted_information.cache_clear()
    result = symmle.mle(
        pmf="exp(-lam)*lam**y/factorial(y)",
        parameters={"lam": "(0, oo)"},
        support="{0, 1, ..., 100}",
        data=[1, 2, 3],
    )
    with pytest.raises(RegularityError, match="did not finish the Fisher information"):
        result.standard_errors  # noqa: B018
    assert "No standard errors: SymPy did not finish the Fisher information" in result.to_text()
    fisher.budgeted_information.cache_clear()
