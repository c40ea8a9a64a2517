"""Discrete families: their pmf on a set of integers."""

from __future__ import annotations

import scipy
import sympy as sp

from symmle.families.base import Distribution, Parameter
from symmle.symbols import value

theta = sp.Symbol("theta", nonnegative=True)
p = sp.Symbol("p", nonnegative=True)
lam = sp.Symbol("lambda", nonnegative=True)
m = sp.Symbol("m", integer=True, positive=True)
r = sp.Symbol("r", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)

PROBABILITY = sp.Interval(0, 1)
COUNTS = sp.Naturals0

BERNOULLI = Distribution(
    name="bernoulli",
    title="Bernoulli",
    density=theta**value * (1 - theta) ** (1 - value),
    support=sp.FiniteSet(0, 1),
    parameters=(Parameter("theta", theta, PROBABILITY, "the probability of a 1"),),
    discrete=True,
    example=("0", "0", "0", "1", "0"),
    scipy=lambda v: scipy.stats.bernoulli(v["theta"]),
    probe=(("theta", 0.3),),
)

BINOMIAL = Distribution(
    name="binomial",
    title="Binomial",
    density=sp.binomial(m, value) * p**value * (1 - p) ** (m - value),
    support=sp.Range(0, m + 1),
    parameters=(Parameter("p", p, PROBABILITY, "the probability of success in one trial"),),
    constants=(Parameter("m", m, sp.Naturals, "the number of trials"),),
    discrete=True,
    example=("7", "5", "6"),
    example_known=(("m", "10"),),
    scipy=lambda v: scipy.stats.binom(int(v["m"]), v["p"]),
    probe=(("p", 0.3), ("m", 10)),
)

GEOMETRIC = Distribution(
    name="geometric",
    title="Geometric",
    density=p * (1 - p) ** (value - 1),
    support=sp.Range(1, sp.oo),
    parameters=(
        Parameter("p", p, sp.Interval.Lopen(0, 1), "the probability of success in one trial"),
    ),
    discrete=True,
    example=("2", "4", "1", "3", "5"),
    scipy=lambda v: scipy.stats.geom(v["p"]),
    probe=(("p", 0.3),),
)

POISSON = Distribution(
    name="poisson",
    title="Poisson",
    density=lam**value * sp.exp(-lam) / sp.factorial(value),
    support=COUNTS,
    parameters=(Parameter("lambda", lam, sp.Interval(0, sp.oo), "the mean count (rate)"),),
    discrete=True,
    example=("2", "3", "1"),
    scipy=lambda v: scipy.stats.poisson(v["lambda"]),
    probe=(("lambda", 3.5),),
)

NEGATIVE_BINOMIAL = Distribution(
    name="negative_binomial",
    title="Negative binomial",
    density=sp.binomial(value + r - 1, value) * p**r * (1 - p) ** value,
    support=COUNTS,
    parameters=(
        Parameter("p", p, sp.Interval.Lopen(0, 1), "the probability of success in one trial"),
    ),
    constants=(Parameter("r", r, sp.Naturals, "the number of successes"),),
    discrete=True,
    example=("1", "4", "2", "5"),
    example_known=(("r", "3"),),
    scipy=lambda v: scipy.stats.nbinom(int(v["r"]), v["p"]),
    probe=(("p", 0.4), ("r", 3)),
)


def categorical(size: int) -> Distribution:
    """The Categorical on 1..size: p_j = P(y = j), the p_j summing to one."""
    probabilities = [sp.Symbol(f"p_{j}", nonnegative=True) for j in range(1, size + 1)]
    density = sp.Mul(*(pj ** sp.KroneckerDelta(value, j) for j, pj in enumerate(probabilities, 1)))
    return Distribution(
        name="categorical",
        title="Categorical",
        density=density,
        support=sp.Range(1, size + 1),
        parameters=tuple(
            Parameter(f"p_{j}", pj, PROBABILITY, f"the probability of category {j}")
            for j, pj in enumerate(probabilities, 1)
        ),
        discrete=True,
        example=("1", "2", "2", "3", "3", "3"),
        scipy=lambda v: scipy.stats.rv_discrete(
            values=(range(1, size + 1), [v[f"p_{j}"] for j in range(1, size + 1)])
        ),
        probe=tuple((f"p_{j}", 1 / size) for j in range(1, size + 1)),
        known=(("k", sp.Integer(size)),),
        simplex=True,
    )


CATEGORICAL = Distribution(
    name="categorical",
    title="Categorical",
    density=sp.Indexed(sp.IndexedBase("p"), value),
    support=sp.Range(1, k + 1),
    parameters=(),
    constants=(Parameter("k", k, sp.Naturals, "the number of categories"),),
    discrete=True,
    example=("1", "2", "2", "3", "3", "3"),
    example_known=(("k", "3"),),
    sized=categorical,
    simplex=True,
)

FAMILIES = (BERNOULLI, BINOMIAL, GEOMETRIC, POISSON, NEGATIVE_BINOMIAL, CATEGORICAL)
