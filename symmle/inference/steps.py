"""The inference steps of a derivation: the Fisher information and the bound for a family, the
estimator against the bound for general n, the standard errors and intervals with data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from symmle.checks import Check
from symmle.derive.step import Step
from symmle.errors import RegularityError
from symmle.inference.efficiency import efficiency_step
from symmle.inference.explicit import explicit_profile_check, explicit_profile_step
from symmle.inference.fisher import budgeted_information, information
from symmle.inference.numeric import information_check
from symmle.inference.profile import profile_intervals
from symmle.inference.wald import expected_errors, observed_standard_errors, with_data
from symmle.numeric.quantiles import normal_quantile
from symmle.printing.latex import inline
from symmle.printing.notation import StandardError, hat
from symmle.symbols import n

if TYPE_CHECKING:
    from symmle.derive.derivation import Derivation as Result

HEADER = (
    "parameter",
    "estimate",
    "SE from n·I(θ̂)",
    "SE from −ℓ''(θ̂)",
    "95% Wald interval",
    "95% profile interval",
)


def shown(value: sp.Expr) -> sp.Expr:
    """An exact value as it is; a float to four significant digits."""
    return sp.Float(float(value), 4) if value.has(sp.Float) else value


def profiles(result: Result) -> dict[str, tuple[float, float]]:
    """95% profile-likelihood intervals; none for support ends."""
    try:
        return profile_intervals(result)
    except RegularityError:
        return {}


def interval_text(ends: tuple[float, float]) -> str:
    return f"({ends[0]:.4g}, {ends[1]:.4g})"


PROFILE_TEXT = (
    "The 95% profile-likelihood interval is the set where 2(ℓ̂ − ℓₚ(θ)) ≤ χ²₁,₀.₉₅ = 3.84, "
    "the other parameters maximised at each θ (as R's confint): it stays in the domain and "
    "follows the likelihood's asymmetry."
)


def standard_errors_step(result: Result) -> Step:
    """SE from the expected and the observed information, and 95% Wald and profile
    intervals."""
    found = profiles(result)
    try:
        checked = with_data(result)
    except RegularityError as error:
        text = str(error)
        rows = [HEADER]
        for p in result.family.parameters:
            if p.name in found:
                value = f"{float(result.estimate[p.name]):.4g}"
                rows.append((inline(p.symbol), value, "—", "—", "—", interval_text(found[p.name])))
        said = text[0].upper() + text[1:] + (" " + PROFILE_TEXT if found else "")
        table = tuple(rows) if found else ()
        return Step("standard_errors", "Standard errors", sp.Tuple(), said, table=table)
    info, at = checked
    assert info.covariance is not None
    exact = expected_errors(result, checked)
    observed = observed_standard_errors(result, checked)
    z = normal_quantile(0.975)
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
        interval = interval_text((estimate - z * spread, estimate + z * spread))
        profile = interval_text(found[p.name]) if p.name in found else "—"
        rows.append(
            (inline(p.symbol), f"{estimate:.4g}", f"{spread:.4g}", other, interval, profile)
        )
    text = (
        f"With the n = {len(result.data or ())} observations: the standard errors from the "
        "expected information n·I(θ̂), and from the observed information −ℓ''(θ̂) (the curvature "
        "of this sample's log-likelihood at its maximum; equal to the first for many exponential "
        "families). The 95% Wald interval is θ̂ ± 1.96·SE, from the expected information. "
        + PROFILE_TEXT
    )
    return Step(
        "standard_errors",
        "Standard errors and intervals",
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
    checks: tuple[tuple[str, Check], ...] = ()
    if info.matrix is not None:
        checks = (("Fisher information", information_check(info)),)
    comparison = None if sized else efficiency_step(general.general, info)
    explicit = None if sized else explicit_profile_step(general.family)
    profiled = None if explicit is None else explicit_profile_check(general.family, example)
    checks += () if profiled is None else (("Profile likelihood", profiled),)
    added = [step for step in (comparison, explicit) if step is not None]
    steps = (*info.steps, *added, standard_errors_step(example))
    return steps, checks
