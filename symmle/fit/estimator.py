"""A family's estimator compiled once from its derivation: the explicit solution (closed form,
order statistics), Newton's method on the profile log-likelihood, the profiled parameters and
the Hessian (for standard errors), each a lambdified ``Program`` in the sufficient statistics."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import sympy as sp

from symmle.derive.blocks import Terms
from symmle.derive.compiled import Program, statistic_symbols
from symmle.derive.general import General, general
from symmle.derive.lambdified import per_sample
from symmle.derive.newton import newton_exprs
from symmle.derive.statistics import Statistic
from symmle.families import Distribution, Parameter
from symmle.fit.profiled import expansion
from symmle.fit.shift import CENTRE, Centred, centre
from symmle.printing.notation import OrderStatistic
from symmle.store import kept
from symmle.symbols import n, value


@dataclass(frozen=True, eq=False)  # hashed by identity: one per family, cached
class Estimator:
    """Everything ``symmle.fit`` evaluates for one family, compiled."""

    general: General
    explicit: Program
    """The parameters with an explicit estimate, in the order of ``general.solution``."""
    newton: Program | None
    """ℓ, gradient and Hessian of the profile log-likelihood in the numeric parameters."""
    expanded: Program | None
    """``newton``, then each profiled parameter with its gradient and Hessian (the statistics
    the same)."""
    slope: Program | None
    """ℓ and the gradient alone (Newton's last step on a large sample), then each profiled
    parameter with its gradient: a part of ``expanded``."""
    profiled: Program | None
    """The profiled parameters given the numeric ones."""
    hessian: Program
    """The Hessian of ℓ in the smooth parameters (those not at an order statistic)."""
    centred: Centred | None
    """The explicit estimates in sums about a point, where that spares a cancellation."""
    openings: tuple[Program | None, Program | None] = (None, None)
    """``slope`` with each statistic as its sum, then the statistics (without the Hessian's,
    with them): the first pass over the data and Newton's first evaluation as one, where
    Newton's start comes from subsamples before it (None: ``slope`` reads an order
    statistic, or there is none)."""

    @property
    def family(self) -> Distribution:
        return self.general.family

    @property
    def numeric(self) -> list[Parameter]:
        return [p for p in self.family.parameters if p.symbol in self.general.plan.numeric]

    def statistics(self, hessian: bool) -> tuple[Statistic, ...]:
        """The sufficient statistics S_k the estimate (and the Hessian) need."""
        programs = [self.explicit, self.newton, self.profiled, self.hessian if hessian else None]
        needed = {s for p in programs if p is not None for s in p.statistics}
        centred = self.centred.statistics if self.centred else ()
        return tuple(s for s in (*self.general.form.statistics, *centred) if s.symbol in needed)

    def first_pass(self, hessian: bool) -> Terms:
        """The terms of the needed statistics as one NumPy function of the observation and
        the centre c of the centred sums."""
        return first_pass(self, hessian)

    def centre_at(self, first: float) -> float:
        """c: the base of the centred sums at the first observation (0 without them)."""
        if self.centred is None:
            return 0.0
        with np.errstate(all="ignore"):
            return float(sp.lambdify([value], self.centred.base, "numpy")(first))

    def opening(self, hessian: bool) -> Program | None:
        return self.openings[hessian]

    def needs(self, order: str, hessian: bool) -> bool:
        """Whether an order statistic ('min', 'max', 'median') is needed."""
        programs = [self.explicit, self.newton, self.profiled, self.hessian if hessian else None]
        symbol = OrderStatistic(order)
        return any(p is not None and symbol in p.statistics for p in programs)


@lru_cache(maxsize=128)
def first_pass(est: Estimator, hessian: bool) -> Terms:
    return per_sample([s.term for s in est.statistics(hessian)], [CENTRE])


@lru_cache(maxsize=64)
def estimator(family: Distribution) -> Estimator:
    """The estimator of a family (with its known parameters fixed), compiled once (and kept
    on disk)."""
    return kept("estimator", family, lambda: compile_estimator(family))


def compile_estimator(family: Distribution) -> Estimator:
    """Compile the estimator of a family from its derivation."""
    g = general(family)
    plan = g.plan
    centred = centre(list(g.solution.values()), g.form.statistics)
    candidates = statistic_symbols(g.form)
    if centred is None:
        explicit = Program(list(g.solution.values()), [], candidates)
    else:
        symbols = [*candidates, *(s.symbol for s in centred.statistics), CENTRE]
        explicit = Program(list(centred.exprs), [], symbols)
    newton = expanded = slope = profiled = None
    if plan.numeric:
        exprs, numeric = newton_exprs(plan.log_likelihood, plan.numeric), plan.numeric
        cheaper = plan.method != "EM"  # a mixture's sums: seconds to rewrite, fitted by EM
        newton = Program(exprs, numeric, candidates, cheaper)
        profiles = list(plan.profiled.values())
        expanded = newton
        if profiles:
            more = [*exprs, *expansion(profiles, numeric, 2)]
            expanded = Program(more, numeric, candidates, cheaper)
        more = [*exprs[: len(numeric) + 1], *expansion(profiles, numeric, 1)]
        slope = Program(more, numeric, candidates, cheaper)
        profiled = Program(profiles, numeric, candidates, cheaper)
    smooth = list(g.smooth)
    ell = plan.smooth_log_likelihood
    hessian = Program(list(sp.hessian(ell, smooth)) if smooth else [], smooth, candidates)
    est = Estimator(g, explicit, newton, expanded, slope, profiled, hessian, centred)
    if slope is None or centred is not None or plan.method == "EM":
        return est
    first = opening(est, more, False)
    same = set(est.statistics(True)) == set(est.statistics(False))
    return replace(est, openings=(first, first if same else opening(est, more, True)))


def opening(est: Estimator, exprs: list[sp.Expr], hessian: bool) -> Program | None:
    """``exprs`` (ℓ, its gradient, the profiled expansions) with the statistics as sums, then
    the statistics the estimate (and the Hessian) need, all in one program; None where
    ``exprs`` read an order statistic (known only after a pass)."""
    form = est.general.form
    sums = {s.symbol: s.sum for s in form.statistics}
    free = set().union(*(e.free_symbols for e in exprs))
    if free & {OrderStatistic(k) for k in ("min", "max", "median")}:
        return None
    written = [e.xreplace(sums) for e in exprs]
    return Program(
        [*written, *(s.sum for s in est.statistics(hessian))],
        list(est.general.plan.numeric),
        [n],
        True,
    )
