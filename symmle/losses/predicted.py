"""The registry entry of a family's NLL as a network's loss (symmle.losses.network derives
it): its name and links, the independent NumPy route it is checked against (the family's
scipy.stats log-density, or a user formula's log-density evaluated directly, at the linked
parameters), the random inputs of the checks and the page's plot."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.families import Distribution
from symmle.families.twin import log_formula
from symmle.losses.base import Array, LossEntry, Plot
from symmle.losses.categorical_links import derive_categorical, softmax_network
from symmle.losses.links import LINKS, default_link
from symmle.losses.network import Network, derive_network, network
from symmle.losses.options import Options
from symmle.symbols import value

TORCH = {
    "bernoulli": "Bernoulli",
    "binomial": "Binomial",
    "geometric": "Geometric",
    "poisson": "Poisson",
    "negative_binomial": "NegativeBinomial",
    "categorical": "Categorical",
    "normal": "Normal",
    "lognormal": "LogNormal",
    "exponential": "Exponential",
    "half_normal": "HalfNormal",
    "uniform": "Uniform",
    "pareto": "Pareto",
    "laplace": "Laplace",
    "gamma": "Gamma",
    "beta": "Beta",
    "weibull": "Weibull",
    "cauchy": "Cauchy",
    "gumbel": "Gumbel",
    "student_t": "StudentT",
    "normal_mixture": "MixtureSameFamily(Categorical, Normal)",
    "poisson_mixture": "MixtureSameFamily(Categorical, Poisson)",
    "exponential_mixture": "MixtureSameFamily(Categorical, Exponential)",
}
"""The families torch.distributions has (Geometric there counts failures: y − 1)."""

JAX_STATS = {
    "bernoulli": "bernoulli",
    "binomial": "binom",
    "geometric": "geom",
    "poisson": "poisson",
    "negative_binomial": "nbinom",
    "normal": "norm",
    "exponential": "expon",
    "uniform": "uniform",
    "pareto": "pareto",
    "laplace": "laplace",
    "gamma": "gamma",
    "beta": "beta",
    "cauchy": "cauchy",
    "logistic": "logistic",
    "gumbel": "gumbel_r",
    "student_t": "t",
    "normal_mixture": "norm, logsumexp",
    "poisson_mixture": "poisson, logsumexp",
    "exponential_mixture": "expon, logsumexp",
}
"""The families jax.scipy.stats has (its gumbel_r's gradient fails in JAX 0.10: not checked),
and the mixtures: its component log-densities summed by jax.scipy.special.logsumexp."""

FORWARD: dict[str, Callable[[Any], Any]] = {
    "identity": lambda z: z,
    "exp": np.exp,
    "softplus": lambda z: np.logaddexp(0.0, z),
    "sigmoid": lambda z: scipy.special.expit(z),
}


def network_entry(
    family: Distribution,
    predict: str | Sequence[str] | None,
    link: str | Mapping[str, str] | None,
) -> LossEntry:
    """The entry of ``family``'s NLL with ``predict``'s parameters output through ``link``."""
    if family.simplex:
        return categorical_entry(family, link)
    net = network(family, predict, link)
    derived = derive_network(net)
    torch = TORCH.get(family.name) if family.formula is None else None
    return LossEntry(
        name=f"{family.name}-nll",
        title=f"{family.title} negative log-likelihood",
        family=family.name,
        link=net.link_text,
        pytorch=f"-torch.distributions.{torch}.log_prob" if torch else "",
        derive=lambda options: derived,
        reference=partial_reference(net),
        inputs=lambda rng, options: draw(net, rng),
        plot=first_output_plot(net),
        reference_name=f"equals −log f(y) from {family.reference}, at the linked parameters",
    )


def categorical_entry(family: Distribution, link: str | Mapping[str, str] | None) -> LossEntry:
    """The Categorical through the softmax of k logits (its only link)."""
    softmax_network(link)
    derived = derive_categorical(family)
    return LossEntry(
        name="categorical-nll",
        title="Categorical negative log-likelihood",
        family="categorical",
        link="p = softmax(z)",
        pytorch="-torch.distributions.Categorical.log_prob",
        derive=lambda options: derived,
        reference=lambda options, y, z: (
            -scipy.special.log_softmax(z, axis=-1)[np.arange(len(y)), y.astype(int) - 1]
        ),
        inputs=lambda rng, options: categorical_inputs(rng),
        plot=Plot("logit z₁ (z₂ = z₃ = 0)", -6.0, 6.0, (1.0, 2.0), first_logit),
        reference_name="equals −log softmax(z)_y from scipy.special.log_softmax",
    )


def first_logit(grid: Array, target: float) -> tuple[Array, Array]:
    z = np.zeros((grid.size, 3))
    z[:, 0] = grid
    return np.full(grid.size, target), z


def categorical_inputs(rng: np.random.Generator) -> tuple[Array, Array]:
    z = rng.normal(0, 3, (200, 4))
    edges = [[1e3, -1e3, 0.0, 0.0], [-1e3, 1e3, 0.0, 0.0], [1e3] * 4, [-50.0, 50.0, 0.0, 0.0]]
    z[:4] = np.array(edges)
    y = rng.integers(1, 5, 200).astype(float)
    return y, z


def parameter_values(net: Network, outputs: Sequence[Array]) -> dict[str, Array]:
    """The parameters the outputs give (NumPy links), known values included."""
    values: dict[str, Any] = {name: float(v) for name, v in net.family.known}
    for p, g, z in zip(net.parameters, net.links, outputs, strict=True):
        values[p.name] = FORWARD[g.name](np.asarray(z, float))
    return values


def partial_reference(net: Network) -> Any:
    """−log f(y; θ) per sample, from scipy.stats (or the formula), not from the derivation."""
    family = net.family
    if family.formula is not None:
        symbols = [p.symbol for p in family.parameters]
        log_f = sp.lambdify([value, *symbols], log_formula(family.density), ["scipy", "numpy"])

        def formula(options: Options, y: Array, *outputs: Array) -> Array:
            values = parameter_values(net, outputs)
            with np.errstate(all="ignore"):
                return np.asarray(-log_f(y, *(values[p.name] for p in family.parameters)))

        return formula

    def twin(options: Options, y: Array, *outputs: Array) -> Array:
        values = parameter_values(net, outputs)
        assert family.scipy is not None
        found = []
        for j in range(len(y)):
            frozen = family.scipy(
                {k: float(np.broadcast_to(v, y.shape)[j]) for k, v in values.items()}
            )
            log = frozen.logpmf if net.family.discrete else frozen.logpdf
            with np.errstate(all="ignore"):
                found.append(-float(log(y[j])))
        return np.asarray(found)

    return twin


def draw(net: Network, rng: np.random.Generator, size: int = 120) -> tuple[Array, ...]:
    """Outputs around the family's probe values, targets drawn from the family at them."""
    family = net.family
    probe = family.probe_values
    outputs, values = [], {name: float(v) for name, v in family.known}
    for p, g in zip(net.parameters, net.links, strict=True):
        spread = LINKS[default_link(p)]
        noisy = FORWARD[spread.name](spread.inverse(probe[p.name]) + rng.normal(0, 0.4, size))
        if family.formula is not None:
            noisy = np.full(size, probe[p.name])
        outputs.append(np.asarray(g.inverse(noisy), float))
        values[p.name] = noisy
    assert family.scipy is not None
    if family.formula is not None:
        y = family.scipy({k: float(np.ravel(v)[0]) for k, v in values.items()}).rvs(
            size, random_state=rng
        )
    else:
        y = [
            float(
                np.ravel(
                    family.scipy(
                        {k: float(np.broadcast_to(v, size)[j]) for k, v in values.items()}
                    ).rvs(size=1, random_state=rng)
                )[0]
            )
            for j in range(size)
        ]
    return (np.asarray(y, float), *outputs)


def first_output_plot(net: Network) -> Plot:
    """The loss against the first output, the others at the probe values, for two targets."""
    family, probe = net.family, net.family.probe_values
    centre = [
        float(g.inverse(probe[p.name])) for p, g in zip(net.parameters, net.links, strict=True)
    ]
    examples = tuple(float(sp.Rational(v)) for v in family.example[:2]) or (0.0,)

    def inputs(grid: Array, target: float) -> tuple[Array, ...]:
        rest = [np.full_like(grid, c) for c in centre[1:]]
        return (np.full_like(grid, target), grid, *rest)

    label = sp.pretty(net.outputs[0])
    return Plot(f"output {label}", centre[0] - 3, centre[0] + 3, examples, inputs)
