"""Every family's NLL as a network's loss: NumPy, PyTorch and JAX against torch.distributions'
log_prob and jax.scipy.stats (values and gradients, float64, 1e-10), against each other, and
finite at the extremes wherever the exact value (mpmath, 50 digits) is."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch

import symmle
from symmle.errors import MissingExtraError
from symmle.families import get
from symmle.losses.links import default_link

torch.distributions.Distribution.set_default_validate_args(False)
D = torch.distributions

KNOWN: dict[str, dict[str, Any]] = {
    "binomial": {"m": 10},
    "negative_binomial": {"r": 3},
    "student_t": {"nu": 4},
    "normal_mixture": {"k": 2},
    "poisson_mixture": {"k": 2},
    "exponential_mixture": {"k": 2},
}
MIXTURES = ["normal_mixture", "poisson_mixture", "exponential_mixture"]
CATALOGUE = [
    "bernoulli", "binomial", "geometric", "poisson", "negative_binomial", "categorical",
    "normal", "lognormal", "exponential", "rayleigh", "half_normal", "inverse_gaussian",
    "uniform", "pareto", "laplace", "gamma", "beta", "weibull", "cauchy", "logistic", "gumbel",
    "student_t",
]  # fmt: skip

TORCH = {
    "bernoulli": lambda y, v: D.Bernoulli(probs=v["theta"]).log_prob(y),
    "binomial": lambda y, v: D.Binomial(10, probs=v["p"]).log_prob(y),
    "geometric": lambda y, v: D.Geometric(probs=v["p"]).log_prob(y - 1),
    "poisson": lambda y, v: D.Poisson(v["lambda"]).log_prob(y),
    "negative_binomial": lambda y, v: D.NegativeBinomial(3, probs=1 - v["p"]).log_prob(y),
    "normal": lambda y, v: D.Normal(v["mu"], v["sigma"]).log_prob(y),
    "lognormal": lambda y, v: D.LogNormal(v["mu"], v["sigma"]).log_prob(y),
    "exponential": lambda y, v: D.Exponential(v["lambda"]).log_prob(y),
    "half_normal": lambda y, v: D.HalfNormal(v["sigma"]).log_prob(y),
    "uniform": lambda y, v: D.Uniform(v["a"], v["b"]).log_prob(y),
    "pareto": lambda y, v: D.Pareto(v["x_m"], v["alpha"]).log_prob(y),
    "laplace": lambda y, v: D.Laplace(v["mu"], v["b"]).log_prob(y),
    "gamma": lambda y, v: D.Gamma(v["alpha"], v["beta"]).log_prob(y),
    "beta": lambda y, v: D.Beta(v["alpha"], v["beta"]).log_prob(y),
    "weibull": lambda y, v: D.Weibull(v["lambda"], v["k"]).log_prob(y),
    "cauchy": lambda y, v: D.Cauchy(v["x0"], v["gamma"]).log_prob(y),
    "gumbel": lambda y, v: D.Gumbel(v["mu"], v["beta"]).log_prob(y),
    "student_t": lambda y, v: D.StudentT(4.0, v["mu"], v["sigma"]).log_prob(y),
}
TOL = 1e-10


def close(got: Any, expected: Any, tol: float = TOL) -> None:
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    error = np.abs(got - expected) / np.maximum(1.0, np.abs(expected))
    assert np.all(np.isfinite(got)) and float(np.max(error)) <= tol, (got, expected)


def family_loss(name: str, **options: Any) -> Any:
    return symmle.loss(name, known=KNOWN.get(name, {}), **options)


def inputs(loss: Any) -> tuple[Any, ...]:
    found: tuple[Any, ...] = loss.entry.inputs(np.random.default_rng(3), loss.options)
    return found


def torch_parameters(loss: Any, outputs: list[Any]) -> dict[str, Any]:
    """The parameters the outputs give, through each link in torch (for the oracle)."""
    values = {}
    for p, z in zip(loss.family.parameters, outputs, strict=True):
        link = default_link(p)
        if link == "identity":
            values[p.name] = z
        elif link == "softplus":
            values[p.name] = torch.nn.functional.softplus(z, beta=1.0, threshold=1000.0)
        else:
            values[p.name] = torch.sigmoid(z)
    return values


COMPONENTS = {
    "normal_mixture": lambda v: D.Normal(v["mu"], v["sigma"]),
    "poisson_mixture": lambda v: D.Poisson(v["lambda"]),
    "exponential_mixture": lambda v: D.Exponential(v["lambda"]),
}


def torch_mixture(loss: Any, outputs: list[Any]) -> Any:
    """torch.distributions.MixtureSameFamily at the network's outputs: the logits as they are,
    each component's parameters through torch's softplus (their default link), or as they are
    where the output is the parameter itself (a Normal's mean)."""
    k = int(dict(loss.family.known)["k"])
    rest = zip(loss.family.parameters[k:], loss.arguments[1 + k :], outputs[k:], strict=True)
    linked: dict[str, list[Any]] = {}
    for p, symbol, z in rest:
        name = p.name.rsplit("_", 1)[0]
        g = z if symbol == p.symbol else torch.nn.functional.softplus(z, threshold=1000.0)
        linked.setdefault(name, []).append(g)
    values = {name: torch.stack(zs, dim=-1) for name, zs in linked.items()}
    weights = D.Categorical(logits=torch.stack(outputs[:k], dim=-1))
    return D.MixtureSameFamily(weights, COMPONENTS[loss.family.name](values))


@pytest.mark.parametrize("name", [*sorted(TORCH), *MIXTURES])
def test_torch_equals_torch_distributions_values_and_gradients(name: str) -> None:
    """A mixture against MixtureSameFamily(Categorical(logits=z_w), component)."""
    loss = family_loss(name)
    y, *outputs = (torch.tensor(a, dtype=torch.float64) for a in inputs(loss))
    ours_in = [z.clone().requires_grad_(True) for z in outputs]
    theirs_in = [z.clone().requires_grad_(True) for z in outputs]
    ours = loss.torch(y, *ours_in)
    if name in MIXTURES:
        theirs = -torch_mixture(loss, theirs_in).log_prob(y)
    else:
        theirs = -TORCH[name](y, torch_parameters(loss, theirs_in))
    close(ours.detach(), theirs.detach())
    ours.sum().backward()
    theirs.sum().backward()
    for a, b in zip(ours_in, theirs_in, strict=True):
        close(a.grad, b.grad)


@pytest.mark.parametrize("name", [*CATALOGUE, *MIXTURES])
def test_numpy_torch_and_jax_agree_and_the_numpy_checks_pass(name: str) -> None:
    loss = family_loss(name)
    assert all(c.passed for c in loss.checks), loss.checks
    arrays = inputs(loss)
    ours = np.asarray(loss.fn(*arrays))
    close(loss.torch(*(torch.tensor(a) for a in arrays)).numpy(), ours)


MPMATH = {
    "softplus": lambda z: mpmath.log1p(mpmath.exp(z)),
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "log1p": mpmath.log1p,
    "loggamma": mpmath.loggamma,
    "logsumexp": lambda *a: mpmath.log(mpmath.fsum(mpmath.exp(t) for t in a)),
}
EXTREMES = {"identity": (-1e3, 1e3), "softplus": (-50.0, 50.0), "exp": (-50.0, 50.0)}


def extreme_points(loss: Any) -> list[tuple[float, ...]]:
    """Targets at the support's closed ends and a typical one, outputs at their extremes."""
    family = loss.family
    support = family.support.subs(
        {p.symbol: family.probe_values[p.name] for p in family.parameters}
    )
    targets = {float(sp.Rational(family.example[0]))}
    for end in (support.inf, support.sup):
        if end.is_finite and support.contains(end) is sp.true:
            targets.add(float(end))
    axes: list[tuple[float, float, float]] = []
    for p, z in zip(family.parameters, loss.arguments[1:], strict=True):
        link = default_link(p) if z != p.symbol else "identity"
        low, high = EXTREMES.get(link, (-1e3, 1e3))
        axes.append((low, float(loss.entry.plot.low + 3) if not axes else 0.5, high))
    return [(t, *outs) for t in targets for outs in itertools.product(*axes)]


@pytest.mark.parametrize("name", [n for n in CATALOGUE if n not in ("categorical", "uniform")])
def test_finite_values_and_gradients_at_the_extremes(name: str) -> None:
    exact_at(family_loss(name), extreme_points(family_loss(name)))


def exact_at(loss: Any, points: list[tuple[float, ...]]) -> int:
    """.torch and .fn against the exact value (mpmath, 60 digits), autograd against SymPy's
    derivative, at each point where the exact value is finite; how many points that was."""
    symbols = list(loss.arguments)
    mpmath.mp.dps = 60
    exact = sp.lambdify(symbols, loss.stable, [MPMATH, "mpmath"])
    exact_grads = [
        sp.lambdify(symbols, sp.diff(loss.stable, z), [MPMATH, "mpmath"]) for z in symbols[1:]
    ]
    checked = 0
    for point in points:
        try:
            value = exact(*(mpmath.mpf(v) for v in point))
        except (ValueError, ZeroDivisionError):
            continue
        if not (mpmath.isfinite(value) and abs(value) < 1e300):
            continue
        y, *outs = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point)
        got = loss.torch(y, *outs)
        close(got.detach(), float(value), 1e-8)
        close(loss.fn(*point), float(value), 1e-8)
        got.backward()
        for z, grad in zip(outs, exact_grads, strict=True):
            expected = grad(*(mpmath.mpf(v) for v in point))
            if mpmath.isfinite(expected) and abs(expected) < 1e300:
                close(z.grad, float(expected), 1e-6)
        checked += 1
    return checked


def test_logits_of_a_thousand_are_finite() -> None:
    for name in ("bernoulli", "binomial", "geometric", "negative_binomial"):
        loss = family_loss(name)
        top = float(get(name).support.subs(KNOWN.get(name, {"m": 10})).inf)
        y = torch.tensor([top, top + 1], dtype=torch.float64)
        z = torch.tensor([1e3, -1e3], dtype=torch.float64, requires_grad=True)
        value = loss.torch(y, z)
        value.sum().backward()
        assert torch.isfinite(value).all() and torch.isfinite(z.grad).all(), name
    categorical = symmle.loss("categorical")
    z = torch.tensor([[1e3, -1e3, 0.0], [-1e3, -1e3, 1e3]], requires_grad=True, dtype=torch.float64)
    value = categorical.torch(torch.tensor([2.0, 3.0]), z)
    value.sum().backward()
    close(value.detach(), [2e3, 0.0])
    assert torch.isfinite(z.grad).all()


def test_categorical_is_torch_categorical() -> None:
    loss = symmle.loss("categorical")
    y, z = (torch.tensor(a) for a in inputs(loss))
    logits = z[4:].clone().requires_grad_(True)
    mine = z[4:].clone().requires_grad_(True)
    theirs = -D.Categorical(logits=logits).log_prob(y[4:].long() - 1)
    ours = loss.torch(y[4:], mine)
    close(ours.detach(), theirs.detach())
    ours.sum().backward()
    theirs.sum().backward()
    close(mine.grad, logits.grad)


def test_a_user_formula_is_a_loss_and_gaussian_nll_falls_out() -> None:
    """A Normal written by variance v: PyTorch's GaussianNLLLoss plus ½ log 2π."""
    loss = symmle.loss(
        pdf="exp(-(y - m)**2/(2*v))/sqrt(2*pi*v)",
        parameters={"m": "(-oo, oo)", "v": "(0, oo)"},
        support="(-oo, oo)",
        link={"v": "identity"},
    )
    assert all(c.passed for c in loss.checks)
    rng = np.random.default_rng(0)
    y, m = (torch.tensor(a) for a in rng.normal(0, 2, (2, 50)))
    v = torch.tensor(rng.lognormal(0, 1, 50))
    expected = torch.nn.GaussianNLLLoss(reduction="none", eps=1e-300)(m, y, v)
    close(loss.torch(y, m, v), expected + 0.5 * np.log(2 * np.pi))
    close(loss.module(reduction="mean")(m, v, y), expected.mean() + 0.5 * np.log(2 * np.pi))


def test_pytorch_losses_fall_out_as_special_cases() -> None:
    rng = np.random.default_rng(1)
    z = torch.tensor(rng.normal(0, 4, 100))
    bits = torch.tensor(rng.integers(0, 2, 100).astype(float))
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")(z, bits)
    close(symmle.loss("bernoulli", link="sigmoid").torch(bits, z), bce)
    counts = torch.tensor(rng.poisson(3, 100).astype(float))
    poisson = symmle.loss("poisson", link="exp").torch(counts, z / 4)
    expected = torch.nn.PoissonNLLLoss(reduction="none")(z / 4, counts)
    close(poisson, expected + torch.lgamma(counts + 1))
    classes = torch.tensor(rng.integers(0, 3, 100))
    logits = torch.tensor(rng.normal(0, 3, (100, 3)))
    ce = torch.nn.CrossEntropyLoss(reduction="none")(logits, classes)
    close(symmle.loss("categorical").torch(classes + 1, logits), ce)
    y = torch.tensor(rng.normal(0, 3, 100))
    mse = torch.nn.MSELoss(reduction="none")(z, y)
    normal = symmle.loss("normal", predict="mu", known={"sigma": 1}).torch(y, z)
    close(normal, mse / 2 + 0.5 * np.log(2 * np.pi))
    l1 = symmle.loss("laplace", predict="mu", known={"b": 1}).torch(y, z)
    close(l1, torch.nn.L1Loss(reduction="none")(z, y) + np.log(2))


@pytest.mark.parametrize("name", symmle.losses())
def test_named_losses_compile_to_torch_and_jax(name: str) -> None:
    loss = symmle.loss(name)
    arrays = loss.entry.inputs(np.random.default_rng(2), loss.options)
    ours = np.asarray(loss.fn(*arrays), float)
    finite = np.isfinite(ours)
    got = loss.torch(*(torch.tensor(a) for a in arrays)).numpy()
    close(got[finite], ours[finite])


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_module_reduces_as_pytorch(reduction: str) -> None:
    loss = symmle.loss("student_t", known={"nu": 4}, reduction=reduction)
    y, mu, z = (torch.tensor(a) for a in inputs(loss))
    criterion = loss.module()
    assert isinstance(criterion, torch.nn.Module) and criterion.reduction == reduction
    by_columns = criterion(torch.stack([mu, z], dim=-1), y)
    close(criterion(mu, z, y).detach(), by_columns.detach())
    close(by_columns, loss.reduced(y.numpy(), mu.numpy(), z.numpy()))


def test_options_are_checked() -> None:
    with pytest.raises(symmle.SymmleError, match="neither predicted nor known"):
        symmle.loss("normal", predict=("mu",))
    with pytest.raises(symmle.SymmleError, match="link of sigma"):
        symmle.loss("normal", link={"sigma": "tanh"})
    with pytest.raises(symmle.SymmleError, match="outside"):
        symmle.loss("bernoulli", link={"theta": "exp"})
    with pytest.raises(symmle.SymmleError, match="nu"):
        symmle.loss("student_t")
    with pytest.raises(symmle.SymmleError, match="no free parameter"):
        symmle.loss("normal", predict=("theta",))


@pytest.fixture(scope="module")
def jax_report() -> dict[str, dict[str, float]]:
    """tests/jax_oracle.py in a process of its own: JAX's threads make every later fork of
    this worker (symmle's time-limited workers) unsafe."""
    script = Path(__file__).with_name("jax_oracle.py")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600, check=True
    )
    report: dict[str, dict[str, float]] = json.loads(done.stdout)
    return report


@pytest.mark.parametrize("name", [*CATALOGUE, *MIXTURES, *symmle.losses()])
def test_jax_equals_numpy_and_jax_scipy_stats(name: str, jax_report: Any) -> None:
    """Values and jax.grad against jax.scipy.stats where it has the family; jax.jit; the
    same values as NumPy's."""
    for what, error in jax_report[name].items():
        assert error <= TOL, (name, what, error)


def test_a_missing_framework_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from symmle.losses import frameworks

    monkeypatch.setattr(frameworks, "find_spec", lambda name: None)
    loss = symmle.loss("normal")
    for attribute, extra in (("torch", "symmle[torch]"), ("jax", "symmle[jax]")):
        with pytest.raises(MissingExtraError, match=extra.replace("[", r"\[")):
            getattr(loss, attribute)
    with pytest.raises(MissingExtraError, match="torch"):
        loss.module()


@pytest.mark.parametrize("name", MIXTURES)
def test_mixture_module_reduces_as_pytorch(name: str) -> None:
    loss = family_loss(name)
    y, *outputs = (torch.tensor(a) for a in inputs(loss))
    criterion = loss.module(reduction="mean")
    theirs = -torch_mixture(loss, outputs).log_prob(y).mean()
    close(criterion(torch.stack(outputs, dim=-1), y).detach(), theirs)


def mixture_extremes(loss: Any) -> list[tuple[float, ...]]:
    """Logits ±1000 (and 0), scale outputs ±50 (and 0.5), targets typical and far from every
    component; identity outputs at the family's probe values."""
    family, k = loss.family, int(dict(loss.family.known)["k"])
    far = 100 * max(float(sp.Rational(v)) for v in family.example)
    targets = (float(sp.Rational(family.example[0])), far)
    logits = [(1e3, -1e3), (-1e3, 1e3), (0.0, 0.0)]
    scales = (-50.0, 0.5, 50.0)
    rest = [(p, z) for p, z in zip(family.parameters[k:], loss.arguments[1 + k :], strict=True)]
    points = []
    for y, w, s in itertools.product(targets, logits, scales):
        outs = [s if p.symbol != z else family.probe_values[p.name] for p, z in rest]
        points.append((y, *w, *outs))
    return points


@pytest.mark.parametrize("name", MIXTURES)
def test_mixture_values_and_gradients_are_finite_and_exact_at_the_extremes(name: str) -> None:
    loss = family_loss(name)
    points = mixture_extremes(loss)
    assert exact_at(loss, points) == len(points)


def test_every_catalogue_family_gives_a_loss() -> None:
    from symmle.families import families

    missing = []
    for name in families("scalar"):
        family = get(name)
        try:
            loss = symmle.loss(name, known=KNOWN.get(name, dict(family.example_known)))
        except symmle.SymmleError as error:
            missing.append(f"{name}: {error}")
            continue
        assert loss.fn is not None and all(c.passed for c in loss.checks), name
    assert not missing, missing


def test_mixture_steps_show_the_log_softmax_and_the_responsibilities() -> None:
    loss = family_loss("normal_mixture")
    kinds = [s.kind for s in loss.steps]
    assert kinds[:4] == ["conditional", "likelihood", "nll", "link"] and "stable" in kinds
    gradient = loss.steps[-2].expr
    w_1, gamma_1 = sp.Symbol("w_1", nonnegative=True), sp.Symbol("gamma_1", positive=True)
    z_w_1 = loss.arguments[1]
    by_logit = next(e for e in gradient if e.lhs.args[1][0] == z_w_1)
    assert sp.simplify(by_logit.rhs - (w_1 - gamma_1)) == 0


def test_mixture_options_are_checked() -> None:
    with pytest.raises(symmle.SymmleError, match="k to be known"):
        symmle.loss("normal_mixture")
    with pytest.raises(symmle.SymmleError, match="softmax"):
        symmle.loss("normal_mixture", known={"k": 2}, link={"w": "sigmoid"})
    with pytest.raises(symmle.SymmleError, match="every weight"):
        symmle.loss("normal_mixture", known={"k": 2}, predict=("w_1", "mu_1"))
    with pytest.raises(symmle.SymmleError, match="link of sigma"):
        symmle.loss("normal_mixture", known={"k": 2}, link={"sigma": "tanh"})
    exp = symmle.loss("exponential_mixture", known={"k": 3}, link={"lambda": "exp"})
    assert len(exp.arguments) == 7 and all(c.passed for c in exp.checks)
