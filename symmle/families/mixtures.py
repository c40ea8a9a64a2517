"""Finite mixtures: k components of one family, y from component j with probability w_j. The
entries are data like every family's; k is a known constant (as the Categorical's), and the
family at a given k is built by ``mixture``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.errors import OptionError
from symmle.families.base import Distribution, Parameter
from symmle.families.continuous import EXPONENTIAL, NORMAL
from symmle.families.discrete import POISSON

k = sp.Symbol("k", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
w = sp.IndexedBase("w")


@dataclass(frozen=True)
class Mixture(Distribution):
    """A mixture of ``size`` components of ``component`` (``size`` 0: k not yet known)."""

    component: Distribution | None = None
    size: int = 0
    mean: sp.Expr = sp.S.Zero
    """The component's mean in its parameters: the fitted components are ordered by it."""
    collapse: tuple[str, ...] = ()
    """Component parameters whose limit (0) puts unbounded density on one point (σ → 0)."""
    location: str = ""
    """The component's location parameter, if any: EM then runs on data centred at their mean."""
    spread: tuple[float, ...] = field(default=(), compare=False)
    """Probe values of the component's parameters for components 1 and 2 (the checks' draws)."""

    @property
    def base(self) -> Distribution:
        assert self.component is not None
        return self.component

    def weights(self) -> tuple[sp.Symbol, ...]:
        return self.symbols[: self.size]

    def components(self) -> tuple[dict[sp.Symbol, sp.Symbol], ...]:
        """For each component, the component family's symbols -> this family's symbols."""
        count = len(self.base.parameters)
        found = []
        for c in range(self.size):
            own = self.parameters[self.size + c * count : self.size + (c + 1) * count]
            found.append(
                {p.symbol: q.symbol for p, q in zip(self.base.parameters, own, strict=True)}
            )
        return tuple(found)


def indexed(symbol: sp.Symbol, index: sp.Expr) -> sp.Indexed:
    return sp.IndexedBase(symbol.name)[index]


def renamed(symbol: sp.Symbol, c: int) -> sp.Symbol:
    return sp.Symbol(f"{symbol.name}_{c}", **symbol.assumptions0)


class MixtureTwin:
    """The mixture's log-density from scipy.stats' component log-densities (logsumexp of
    log w_j + log f_j), and draws: the checks' independent route."""

    def __init__(self, weights: Sequence[float], parts: Sequence[Any], discrete: bool) -> None:
        self.weights, self.parts, self.discrete = np.asarray(weights, float), list(parts), discrete
        if discrete:
            self.logpmf = self.log_density
        else:
            self.logpdf = self.log_density

    def log_density(self, x: Any) -> Any:
        x = np.asarray(x, float)
        logs = [d.logpmf(x) if self.discrete else d.logpdf(x) for d in self.parts]
        with np.errstate(divide="ignore"):
            terms = np.log(self.weights)[:, None] + np.array(logs).reshape(len(self.parts), -1)
        return scipy.special.logsumexp(terms, axis=0).reshape(x.shape)

    def rvs(self, size: int, random_state: np.random.Generator) -> Any:
        labels = random_state.choice(
            len(self.parts), size=size, p=self.weights / self.weights.sum()
        )
        draws = np.array([d.rvs(size=size, random_state=random_state) for d in self.parts])
        return draws[labels, np.arange(size)]


def twin(base: Distribution, size: int, values: Mapping[str, float]) -> MixtureTwin:
    assert base.scipy is not None
    weights = [values[f"w_{c}"] for c in range(1, size + 1)]
    parts = [
        base.scipy({p.name: values[f"{p.name}_{c}"] for p in base.parameters})
        for c in range(1, size + 1)
    ]
    return MixtureTwin(weights, parts, base.discrete)


def mixture(entry: Mixture, size: int) -> Mixture:
    """The mixture of ``size`` components (k = size known): parameters w_1..w_k, then each
    component's parameters with the component's number."""
    if size < 2:
        raise OptionError(
            f"a mixture needs at least two components: k = {size} is a single "
            f"{entry.base.title}; fit that family instead."
        )
    base = entry.base
    weights = [sp.Symbol(f"w_{c}", nonnegative=True) for c in range(1, size + 1)]
    parameters = [
        Parameter(f"w_{c}", weight, sp.Interval(0, 1), f"the weight of component {c}")
        for c, weight in enumerate(weights, 1)
    ]
    density: sp.Expr = sp.Integer(0)
    shown: sp.Expr = sp.Integer(0)
    for c, weight in enumerate(weights, 1):
        own = {p.symbol: renamed(p.symbol, c) for p in base.parameters}
        parameters += [
            Parameter(f"{p.name}_{c}", own[p.symbol], p.domain, f"{p.meaning} of component {c}")
            for p in base.parameters
        ]
        density += weight * base.density.xreplace(own)
        shown += weight * base.display.xreplace(own)
    probe = [(f"w_{c}", 1 / size) for c in range(1, size + 1)]
    for c in range(1, size + 1):
        for p, start, step in zip(
            base.parameters, entry.spread[0::2], entry.spread[1::2], strict=True
        ):
            probe.append((f"{p.name}_{c}", start + step * (c - 1)))
    return Mixture(
        name=entry.name,
        title=entry.title,
        density=density,
        support=base.support,
        parameters=tuple(parameters),
        discrete=base.discrete,
        example=entry.example,
        scipy=partial(twin, base, size),
        probe=tuple(probe),
        shown=shown,
        known=(("k", sp.Integer(size)),),
        component=base,
        size=size,
        mean=entry.mean,
        collapse=entry.collapse,
        location=entry.location,
        spread=entry.spread,
    )


def entry(
    name: str,
    component: Distribution,
    example: tuple[str, ...],
    mean: sp.Expr,
    spread: tuple[float, ...],
    collapse: tuple[str, ...] = (),
    location: str = "",
) -> Mixture:
    """The mixture with k unknown: its density written for k components."""
    shown = sp.Sum(
        w[j]
        * component.display.xreplace(
            {p.symbol: indexed(p.symbol, j) for p in component.parameters}
        ),
        (j, 1, k),
    )
    unsized = Mixture(
        name=name,
        title=f"{component.title} mixture",
        density=shown,
        support=component.support,
        parameters=(),
        constants=(Parameter("k", k, sp.Naturals, "the number of components"),),
        discrete=component.discrete,
        example=example,
        example_known=(("k", "2"),),
        component=component,
        mean=mean,
        collapse=collapse,
        location=location,
        spread=spread,
    )
    return replace(unsized, sized=partial(mixture, unsized))


NORMAL_MIXTURE = entry(
    "normal_mixture",
    NORMAL,
    ("1", "2", "3", "11", "12", "13"),
    NORMAL.parameters[0].symbol,
    (0.0, 4.0, 1.0, 0.0),
    collapse=("sigma",),
    location="mu",
)
POISSON_MIXTURE = entry(
    "poisson_mixture",
    POISSON,
    ("0", "1", "2", "1", "9", "11", "10", "12"),
    POISSON.parameters[0].symbol,
    (2.0, 7.0),
)
EXPONENTIAL_MIXTURE = entry(
    "exponential_mixture",
    EXPONENTIAL,
    ("0.1", "0.2", "0.3", "0.4", "5", "8", "12"),
    1 / EXPONENTIAL.parameters[0].symbol,
    (1.0, -0.9),
)

FAMILIES = (NORMAL_MIXTURE, POISSON_MIXTURE, EXPONENTIAL_MIXTURE)
