"""Profile-likelihood intervals: for each parameter θⱼ, the set where
2(ℓ̂ − ℓₚ(θⱼ)) ≤ χ²₁,₁₋α, with ℓₚ(θⱼ) the maximum of ℓ over the other parameters (as R's
``confint`` on ``mle`` and ``glm`` fits). Unlike a Wald interval it stays in the domain and
follows the likelihood's asymmetry."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import scipy
import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.derive.estimate import in_floats
from symmle.derive.exact import floats
from symmle.errors import OptionError, RegularityError
from symmle.families import Parameter
from symmle.families.location import seen_from
from symmle.numeric.quantiles import chi2_quantile
from symmle.printing.notation import OrderStatistic

if TYPE_CHECKING:
    from symmle.derive.derivation import Derivation as Result

T = TypeVar("T")

GROWTH = 2.0
"""How much the search step grows while the profile stays above the cut-off."""
STEPS = 200
"""Growths before an end is taken to lie at the domain's edge (the profile never falls)."""
XTOL = 1e-12
"""brentq's relative tolerance on an end point."""
HUGE = 1e300
"""−ℓ where ℓ is not a number (outside the support, overflow): far beyond any cut-off."""


@dataclass(frozen=True)
class Profile:
    """ℓ̂ and ℓₚ of one parameter, in floats: of a family's derivation with data, or of a
    fitted regression's weight or dispersion."""

    estimate: float
    maximum: float
    profile: Callable[[float], float]
    low: float
    high: float
    """Where θⱼ may go: its domain, narrowed by the data for a support end."""
    scale: float | None = None
    """The first step out from the estimate where one is known (a standard error)."""

    def deviance(self, value: float) -> float:
        """2(ℓ̂ − ℓₚ(value)) (≥ 0)."""
        return max(0.0, 2 * (self.maximum - self.profile(value)))


def check_level(level: object) -> float:
    """A confidence level from a user: a number strictly between 0 and 1, else OptionError."""
    if isinstance(level, bool) or not isinstance(level, Real) or not 0 < float(level) < 1:
        raise OptionError(f"the level must be a number strictly between 0 and 1, not {level!r}.")
    return float(level)


def cutoff(level: object) -> float:
    """χ²₁,level: the deviance an interval at ``level`` allows (the level checked)."""
    return chi2_quantile(check_level(level), 1)


KEEP = 8
"""Results whose profiles and intervals are kept (the latest): a page shows an example's
intervals in its table and draws the same profiles in its figure."""
_FOUND: OrderedDict[int, tuple[object, dict[object, Any]]] = OrderedDict()


def per_result(result: object, key: object, compute: Callable[[], T]) -> T:
    """``compute()`` once for this result object and key (each profile end is many
    constrained fits)."""
    held = _FOUND.get(id(result))
    if held is None or held[0] is not result:
        held = _FOUND[id(result)] = (result, {})
        while len(_FOUND) > KEEP:
            _FOUND.popitem(last=False)
    if key not in held[1]:
        held[1][key] = compute()
    found: T = held[1][key]
    return found


def profile_intervals(result: Result, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Each regular parameter's profile-likelihood interval at ``level``; an end the profile
    never reaches is the domain's edge (±inf for an unbounded one)."""
    cutoff(level)  # checked before it is a key
    found = per_result(
        result, ("intervals", float(level)), lambda: intervals_of(lambda: profiles(result), level)
    )
    return dict(found)


def intervals_of(
    curves: Callable[[], dict[str, Profile]], level: object
) -> dict[str, tuple[float, float]]:
    """The interval at ``level`` of each profile (the level checked before any is computed)."""
    allowed = cutoff(level)
    return {name: interval_of(curve, allowed) for name, curve in curves().items()}


def interval_of(curve: Profile, cutoff: float) -> tuple[float, float]:
    return end(curve, cutoff, -1), end(curve, cutoff, 1)


def profiles(result: Result) -> dict[str, Profile]:
    """The profile of each regular parameter. A support end (the uniform's a) has none:
    2(ℓ̂ − ℓₚ) is not χ² there, as the Fisher information says."""
    if result.data is None:
        raise OptionError("profile intervals need data: pass data=[…].")
    if result.method == "EM":
        raise RegularityError(
            f"the {result.family.title}'s likelihood is the same when two components swap "
            "labels and grows without bound as a component closes in on one value, so "
            "2(ℓ̂ − ℓₚ) is not χ²-distributed: there are no profile-likelihood intervals."
        )
    ends = result.general.plan.region
    regular = [p for p in result.family.parameters if p.symbol not in ends]
    if not regular:
        names = " and ".join(p.name for p in result.family.parameters)
        raise RegularityError(
            f"the support of the {result.family.title} moves with {names}: 2(ℓ̂ − ℓₚ) is not "
            "χ²-distributed there, so there are no profile-likelihood intervals."
        )
    return dict(
        per_result(result, "profiles", lambda: {p.name: profile(result, p) for p in regular})
    )


def profile(result: Result, p: Parameter) -> Profile:
    """ℓₚ(θⱼ): ℓ maximised over the other parameters by scipy.optimize, from the estimate. A
    location family's data far from 0 are seen from an origin c near them (ℓ is the same
    about it), so that y − μ keeps its digits."""
    g, family = result.general, result.family
    moved, c = seen_from(family, floats(result.data or ()))
    sample = floats(result.data or ()) - c
    at = {q.symbol: float(result.estimate[q.name]) for q in family.parameters}
    if moved is not None:
        at[moved.symbol] -= c
    shift = c if p == moved else 0.0
    others = [q for q in family.parameters if q != p]
    bounds = [searched(result, q, sample) for q in others]
    constraint = g.plan.constraint
    ell = in_floats(g, g.log_likelihood, sample)
    smooth = [q.symbol for q in others if q.symbol not in g.plan.kinked]
    gradient = [sp.diff(ell, s) for s in smooth] if len(smooth) == len(others) else []
    compiled = Compiled([ell, *gradient], family.symbols, g.form, sample)

    def log_likelihood(values: dict[sp.Symbol, float]) -> float:
        found = compiled([values[s] for s in family.symbols])[0]
        return float(found) if np.isfinite(found) else -HUGE

    def negative(value: float) -> Callable[[Array], tuple[float, Array]]:
        """−ℓ and its gradient in the other parameters, θⱼ = value."""

        def at_point(u: Array) -> tuple[float, Array]:
            found = compiled([{p.symbol: value, **assigned(others, u)}[s] for s in family.symbols])
            if not np.all(np.isfinite(found)):
                return HUGE, np.zeros(len(others))
            return -found[0], -np.asarray(found[1:], float)

        return at_point

    # In one dimension every BFGS update is the secant y/s, whatever came before: one pair
    # gives the same steps as ten, at a fifth of L-BFGS-B's cost per iteration.
    memory = 1 if len(others) == 1 else 10
    nearest: dict[float, Array] = {float(at[p.symbol]): np.array([at[q.symbol] for q in others])}

    def maximised(value: float) -> float:
        if not others:
            return log_likelihood({p.symbol: value})
        start = nearest[min(nearest, key=lambda v: abs(v - value))]  # the closest point solved
        if constraint is not None:  # probabilities: the others share what θⱼ leaves
            start = start * (1 - value) / max(float(np.sum(start)), 1e-300)
            return log_likelihood({p.symbol: value, **assigned(others, start)})
        objective: Any = (
            negative(value)
            if gradient
            else lambda u: -log_likelihood({p.symbol: value, **assigned(others, u)})
        )
        found = scipy.optimize.minimize(
            objective,
            start,
            jac=bool(gradient),
            method="L-BFGS-B",
            bounds=bounds,
            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000, "maxcor": memory},
        )
        nearest[value] = np.asarray(found.x, float)
        return float(-found.fun)

    low, high = region(result, p, sample)
    top = maximum(result, log_likelihood(at))
    return Profile(at[p.symbol] + shift, top, lambda v: maximised(v - shift), low, high)


def maximum(result: Result, compiled: float) -> float:
    """ℓ̂ from the derivation's exact ℓ where it is a number: at θ̂ = 0 the compiled
    Σ yᵢ log θ reads 0·log 0 = nan where the exact ℓ has no such term."""
    at = {p.symbol: exactly(result.estimate[p.name]) for p in result.family.parameters}
    try:
        exact = complex(sp.N(result.log_likelihood.subs(at)))
    except TypeError:  # a large sample's ℓ keeps its sums unevaluated
        return compiled
    return exact.real if exact.imag == 0 and math.isfinite(exact.real) else compiled


def exactly(value: sp.Expr) -> sp.Expr:
    """A Float estimate as the binary fraction it holds: put into an expanded sum (θ² − 2θΣyᵢ
    + Σyᵢ² for data far from 0) it then cancels exactly, not in the Float's 15 digits."""
    return sp.Rational(float(value)) if isinstance(value, sp.Float) else value


def assigned(others: list[Parameter], values: Array) -> dict[sp.Symbol, float]:
    return {q.symbol: float(v) for q, v in zip(others, values, strict=True)}


def region(result: Result, p: Parameter, sample: Array) -> tuple[float, float]:
    """θⱼ's domain, narrowed by the data where θⱼ is a support end (a ≤ min yᵢ)."""
    low, high = float(p.domain.inf), float(p.domain.sup)
    bound = result.general.plan.region.get(p.symbol)
    if bound == OrderStatistic("min"):
        high = float(np.min(sample))
    elif bound == OrderStatistic("max"):
        low = float(np.max(sample))
    return low, high


def searched(result: Result, p: Parameter, sample: Array) -> tuple[float | None, float | None]:
    """θⱼ's region as scipy.optimize's bounds: an open end of the domain kept off by a nudge
    (a scale of 0 has no likelihood); an end at the data's extreme kept as it is."""
    ends = region(result, p, sample)
    domain = (float(p.domain.inf), float(p.domain.sup))
    nudge = 1e-10 * max([1.0, *(abs(e) for e in ends if np.isfinite(e))])
    moved = [
        e + side * nudge if e == d else e for e, d, side in zip(ends, domain, (1, -1), strict=True)
    ]
    return (
        moved[0] if np.isfinite(moved[0]) else None,
        moved[1] if np.isfinite(moved[1]) else None,
    )


def end(found: Profile, cutoff: float, side: int) -> float:
    """The end point on one side: stepping out from the estimate until the deviance passes
    the cut-off, then brentq between the last two steps. Steps are offsets from the estimate,
    so that an end is found to the same digits at 10⁶ as near 0."""
    estimate = found.estimate
    edge = found.high if side > 0 else found.low
    if estimate == edge:
        return edge
    far = abs(edge - estimate)
    step = found.scale or 0.1 * max(abs(estimate), 1e-3 * far if np.isfinite(far) else 1.0)
    inside = 0.0
    for _ in range(STEPS):
        offset = step if step < far else far - (far - inside) / 2  # near the edge: halve
        if found.deviance(estimate + side * offset) > cutoff:
            return estimate + side * brentq(found, cutoff, side, inside, offset)
        if np.isfinite(far) and far - offset <= 1e-12 * max(1.0, abs(edge)):
            return edge
        inside, step = offset, step * GROWTH
    return edge


def brentq(found: Profile, cutoff: float, side: int, inside: float, outside: float) -> float:
    """The offset from the estimate where the deviance crosses the cut-off."""

    def gap(offset: float) -> float:
        return found.deviance(found.estimate + side * offset) - cutoff

    root: Any = scipy.optimize.brentq(gap, inside, outside, xtol=1e-300, rtol=XTOL, maxiter=500)
    return float(root)
