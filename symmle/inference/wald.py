"""Inference from one sample: standard errors from the expected information n·I(θ̂) and from
the observed information −ℓ''(θ̂), Wald intervals θ̂ ± z·SE, and the likelihood-ratio test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symmle.data import rational, to_fraction
from symmle.derive.estimate import hessian_at
from symmle.derive.exact import floats
from symmle.derive.general import general
from symmle.derive.mle import derive_data
from symmle.derive.solve import place
from symmle.errors import DataError, OptionError, RegularityError
from symmle.inference.fisher import Information, budgeted_information
from symmle.inference.profile import check_level
from symmle.numeric.covariance import standard_errors as wald_errors
from symmle.numeric.quantiles import chi2_tail, normal_quantile

if TYPE_CHECKING:
    from symmle.derive.derivation import Derivation as Result


@dataclass(frozen=True)
class LikelihoodRatio:
    """2(ℓ(θ̂) − ℓ(θ̃)) against the restricted maximum θ̃, with its χ² p-value."""

    statistic: float
    df: int
    p_value: float
    restricted: dict[str, float]


def with_data(result: Result) -> tuple[Information, dict[sp.Symbol, sp.Expr]]:
    """The information of the result's family and the estimate by symbol; errors when the
    result has no data or an estimate on the edge of its domain."""
    if result.data is None:
        raise OptionError("standard errors and intervals need data: pass data=[…].")
    info = budgeted_information(result.family)
    if not info.parameters:
        raise RegularityError(info.reason)
    at = {p.symbol: result.estimate[p.name] for p in result.family.parameters}
    for p in info.parameters:
        if place(sp.sympify(at[p.symbol]), p) != "interior":
            raise RegularityError(
                f"the estimate {p.name} = {at[p.symbol]} lies on the edge of its domain, where "
                "the normal approximation behind standard errors and Wald intervals fails."
            )
    return info, at


def expected_errors(
    result: Result, checked: tuple[Information, dict[sp.Symbol, sp.Expr]] | None = None
) -> dict[str, sp.Expr]:
    """SE(θ̂ⱼ) = √(Σⱼⱼ(θ̂)/n), exact where the estimate is; ``checked`` is with_data's answer
    when the caller has it."""
    info, at = checked or with_data(result)
    assert info.covariance is not None and result.data is not None
    size = len(result.data)
    return {
        p.name: sp.sqrt(info.covariance[k, k].subs(at) / size)
        for k, p in enumerate(info.parameters)
    }


def standard_errors(result: Result) -> dict[str, float]:
    """From the expected information n·I(θ̂)."""
    return {name: float(se) for name, se in expected_errors(result).items()}


def observed_standard_errors(
    result: Result, checked: tuple[Information, dict[sp.Symbol, sp.Expr]] | None = None
) -> dict[str, float]:
    """From the observed information −ℓ''(θ̂): this sample's curvature at the maximum."""
    info, at = checked or with_data(result)
    assert result.data is not None
    g = result.general
    sample = floats(result.data)
    values = {s: float(v) for s, v in at.items()}
    errors = wald_errors(-hessian_at(g, sample, values), g.plan.constraint is not None)
    smooth = list(g.smooth)
    return {
        p.name: float(errors[smooth.index(p.symbol)]) for p in info.parameters if p.symbol in smooth
    }


def interval(
    result: Result, level: float = 0.95, observed: bool = False
) -> dict[str, tuple[float, float]]:
    """Wald intervals θ̂ ± z·SE, z the (1 + level)/2 normal quantile."""
    level = check_level(level)
    errors = observed_standard_errors(result) if observed else standard_errors(result)
    z = normal_quantile((1 + level) / 2)
    estimate = {name: float(v) for name, v in result.estimate.items()}
    return {name: (estimate[name] - z * se, estimate[name] + z * se) for name, se in errors.items()}


def null_values(result: Result, null: dict[str, object]) -> dict[str, sp.Expr]:
    """The tested values by parameter name, each checked to lie in its domain."""
    names = [p.name for p in result.family.parameters]
    spelled = "lam" not in names and "lambda" in names  # lambda is a keyword in Python
    null = {("lambda" if k == "lam" and spelled else k): v for k, v in null.items()}
    if not null or not set(null) <= set(names):
        raise OptionError(
            f"name the parameters to test among {', '.join(names)}, e.g. {names[0]}=1."
        )
    values = {}
    for name, v in null.items():
        try:
            values[name] = rational(to_fraction(v))
        except DataError as error:
            raise OptionError(f"the tested value of {name} is not a number: {error}") from None
        domain = result.family.parameter(name).domain
        if domain.contains(values[name]) is not sp.true:
            raise OptionError(f"{name} = {v} lies outside its domain {sp.pretty(domain)}.")
    return values


def restricted_maximum(result: Result, null: dict[str, sp.Expr]) -> dict[str, sp.Expr]:
    """Every parameter at the maximum of ℓ with the tested ones fixed: the same family object
    (a user's formula too), derived again on the same data."""
    free = [p.name for p in result.family.parameters if p.name not in null]
    if not free:
        return {p.name: null[p.name] for p in result.family.parameters}
    if result.data is None:
        raise OptionError("a likelihood-ratio test needs data: pass data=[…].")
    fitted = derive_data(general(result.family.fix(null)), result.data)
    found = {**null, **{name: fitted.estimate[name] for name in free}}
    return {p.name: found[p.name] for p in result.family.parameters}


def likelihood_ratio(result: Result, null: dict[str, object]) -> LikelihoodRatio:
    """Test the parameters in ``null`` at the given values: 2(ℓ(θ̂) − ℓ(θ̃)) ~ χ²(len(null))."""
    info, at = with_data(result)
    tested = null_values(result, null)
    if not set(tested) <= {p.name for p in info.parameters}:
        raise RegularityError(info.reason)
    restricted = restricted_maximum(result, tested)
    symbols = {p.name: p.symbol for p in result.family.parameters}
    ell = result.log_likelihood
    under_null = ell.subs({symbols[k]: v for k, v in restricted.items()})
    statistic = max(0.0, 2 * float(ell.subs(at) - under_null))
    df = len(tested)
    values = {k: float(v) for k, v in restricted.items()}
    return LikelihoodRatio(statistic, df, chi2_tail(statistic, df), values)
