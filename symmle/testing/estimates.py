"""assert_mle and assert_score_zero: a user's estimate against the derived one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import sympy as sp

import symmle
from symmle.data import rational, sample, to_fraction
from symmle.derive.general import general
from symmle.derive.statistics import with_data
from symmle.families import Distribution
from symmle.printing.latex import inline
from symmle.printing.notation import hat
from symmle.render.formats import steps_text
from symmle.results import Result

Family = str | Distribution


def expected_values(expected: object, family: Distribution) -> dict[str, sp.Expr]:
    """``expected`` as {parameter name: SymPy value}; a bare value for a one-parameter family."""
    names = [p.name for p in family.parameters]
    if not isinstance(expected, Mapping):
        if len(names) != 1:
            raise TypeError(f"expected must map each parameter ({', '.join(names)}) to a value.")
        expected = {names[0]: expected}
    unknown = sorted(set(expected) - set(names))
    if unknown:
        raise TypeError(f"{family.title} has no parameter {unknown[0]!r}; it has {names}.")
    return {k: as_sympy(v) for k, v in expected.items()}


def as_sympy(v: object) -> sp.Expr:
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, float):
        return sp.Float(v)
    return rational(to_fraction(v))


def differs(got: sp.Expr, want: sp.Expr, rel: float) -> bool:
    """Symbolic inequality; a float on either side is compared to ``rel``."""
    if got.has(sp.Float) or want.has(sp.Float):
        if got.free_symbols or want.free_symbols:
            return bool(sp.simplify(got - want).evalf(15) != 0)
        return bool(abs(float(got) - float(want)) > rel * max(abs(float(want)), 1e-300))
    return bool(sp.simplify(got - want) != 0)


def estimate_diff(
    family: Distribution, want: Mapping[str, sp.Expr], got: Mapping[str, sp.Expr]
) -> str:
    """The estimate step's lines, expected (−) against derived (+)."""
    symbols = {p.name: p.symbol for p in family.parameters}
    lines = [
        (
            f"{inline(hat(symbols[k]))} = {inline(want[k])}",
            f"{inline(hat(symbols[k]))} = {inline(got[k])}",
        )
        for k in want
    ]
    diff = difflib.ndiff([a for a, _ in lines], [b for _, b in lines])
    return "\n".join(f"  {line}" for line in diff if not line.startswith("?"))


def assert_mle(
    family: Family,
    data: Iterable[object] | None,
    expected: object,
    *,
    known: Mapping[str, object] | None = None,
    rel: float = 1e-9,
) -> Result:
    """The MLE derived for ``data`` (None: general n) equals ``expected``; the result."""
    result = symmle.mle(family, data=data, known=known)
    want = expected_values(expected, result.family)
    wrong = [k for k in want if differs(result.estimate[k], want[k], rel)]
    if wrong:
        raise AssertionError(mle_message(result, want, wrong))
    return result


def mle_message(result: Result, want: Mapping[str, sp.Expr], wrong: list[str]) -> str:
    family = result.family
    shown = "a sample of size n" if result.data is None else ", ".join(map(str, result.data[:12]))
    lines = [f"the MLE of the {family.title} for {shown} is not the expected one:"]
    for k in wrong:
        gap = sp.simplify(want[k] - result.estimate[k])
        lines.append(
            f"  {k}: expected {inline(want[k])}, derived {inline(result.estimate[k])} "
            f"(expected − derived = {inline(gap)})"
        )
    lines += ["Estimate (− expected, + derived):", estimate_diff(family, want, result.estimate)]
    lines += ["The derivation:", steps_text(result.steps)]
    return "\n".join(lines)


def assert_score_zero(
    family: Family,
    data: Iterable[object],
    at: Mapping[str, object],
    *,
    known: Mapping[str, object] | None = None,
    rel: float = 1e-8,
) -> None:
    """Each score equation ∂ℓ/∂θ = 0 holds at ``at`` for ``data``: exactly for exact values,
    else to a Newton step of at most ``rel`` times the parameter's size."""
    dist = symmle.family_with_known(family, known)
    values = sample(data, dist.data_support, dist.title)
    g = general(dist)
    point = {p.symbol: as_sympy(at[p.name]) for p in dist.parameters if p.name in at}
    missing = [p.name for p in dist.parameters if p.symbol not in point]
    if missing:
        raise TypeError(f"at must give every parameter; missing: {', '.join(missing)}.")
    stats = g.form.values(values)
    ell = g.plan.smooth_log_likelihood
    ell = with_data(ell.subs(stats), values).subs(stats)
    failures = [f for s in g.smooth if (f := score_failure(ell, s, point, rel)) is not None]
    if failures:
        found = ", ".join(
            f"{k} = {inline(v)}" for k, v in symmle.mle(dist, data=values).estimate.items()
        )
        raise AssertionError(
            f"the score of the {dist.title} is not zero at "
            f"{', '.join(f'{inline(s)} = {inline(v)}' for s, v in point.items())}:\n"
            + "\n".join(failures)
            + f"\nThe derived MLE is {found}."
        )


def score_failure(
    ell: sp.Expr, s: sp.Symbol, point: Mapping[sp.Symbol, sp.Expr], rel: float
) -> str | None:
    """Why ∂ℓ/∂s is not zero at the point, or None."""
    score = sp.diff(ell, s).subs(point)
    if not any(v.has(sp.Float) for v in point.values()):
        exact = sp.simplify(score)
        return None if exact == 0 else f"  ∂ℓ/∂{inline(s)} = {inline(exact)}"
    curvature = abs(float(sp.diff(ell, s, 2).subs(point).evalf(17))) or 1.0
    step = abs(float(score.evalf(17))) / curvature
    if step <= rel * max(1.0, abs(float(point[s]))):
        return None
    return f"  ∂ℓ/∂{inline(s)} = {float(score.evalf(17)):.6g} (a Newton step of {step:.3g})"
