"""The inference steps of a derivation: the Fisher information and the bound for a family, the
estimator against the bound for general n, the standard errors and intervals with data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from scipy import stats

from symmle.checks import Check
from symmle.derive.step import Step
from symmle.errors import RegularityError
from symmle.inference.efficiency import efficiency_step
from symmle.inference.fisher import budgeted_information, information
from symmle.inference.numeric import information_check
from symmle.inference.wald import expected_errors, observed_standard_errors, with_data
from symmle.printing.latex import inline
from symmle.printing.notation import StandardError, hat
from symmle.symbols import n

if TYPE_CHECKING:
    from symmle.derive.derivation import Derivation as Result

HEADER = ("parameter", "estimate", "SE from n·I(θ̂)", "SE from −ℓ''(θ̂)", "95% Wald interval")


def shown(value: sp.Expr) -> sp.Expr:
    """An exact value as it is; a float to four significant digits."""
    return sp.Float(float(value), 4) if value.has(sp.Float) else value


def standard_errors_step(result: Result) -> Step:
    """SE from the expected and the observed information, and 95% Wald intervals."""
    try:
        checked = with_data(result)
    except RegularityError as error:
        text = str(error)
        return Step("standard_errors", "Standard errors", sp.Tuple(), text[0].upper() + text[1:])
    info, at = checked
    assert info.covariance is not None
    exact = expected_errors(result, checked)
    observed = observed_standard_errors(result, checked)
    z = float(stats.norm.ppf(0.975))
    estimates = {p.symbol: hat(p.symbol) for p in result.family.parameters}
    lines: list[sp.Basic] = []
    rows = [HEADER]
    for k, p in enumerate(info.parameters):
        se = StandardError(hat(p.symbol))
        formula = sp.Pow(info.covariance[k, k].subs(estimates) / n, sp.S.Half, evaluate=False)
        lines.append(sp.Eq(se, formula))
        lines.append(sp.Eq(se, shown(exact[p.name])))
        estimate, spread = float(at[p.symbol]), float(exact[p.name])
        other = f"{observed[p.name]:.4g}" if p.name in observed else "—"
        interval = f"({estimate - z * spread:.4g}, {estimate + z * spread:.4g})"
        rows.append((inline(p.symbol), f"{estimate:.4g}", f"{spread:.4g}", other, interval))
    text = (
        f"With the n = {len(result.data or ())} observations: the standard errors from the "
        "expected information n·I(θ̂), and from the observed information −ℓ''(θ̂) (the curvature "
        "of this sample's log-likelihood at its maximum; equal to the first for many exponential "
        "families). The 95% Wald interval is θ̂ ± 1.96·SE, from the expected information."
    )
    return Step(
        "standard_errors",
        "Standard errors and Wald intervals",
        sp.Tuple(*lines),
        text,
        table=tuple(rows),
    )


def inference_steps(result: Result) -> tuple[Step, ...]:
    """The information steps, then the bound compared (general n) or the errors (data)."""
    info = budgeted_information(result.family)
    if result.data is not None:
        return (*info.steps, standard_errors_step(result))
    comparison = efficiency_step(result.general, info)
    return (*info.steps, *([comparison] if comparison else []))


def inference_section(
    general: Result, example: Result
) -> tuple[tuple[Step, ...], tuple[tuple[str, Check], ...]]:
    """A family page's steps on the information (for general n, or the example's k for a
    family sized by a constant) with the example's standard errors, and its checks."""
    sized = general.family.sized is not None
    info = information(example.family if sized else general.family)
    checks = () if info.matrix is None else (("Fisher information", information_check(info)),)
    comparison = None if sized else efficiency_step(general.general, info)
    steps = (*info.steps, *([comparison] if comparison else []), standard_errors_step(example))
    return steps, checks
