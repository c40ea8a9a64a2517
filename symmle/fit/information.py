"""Standard errors from the observed information: the inverse of −H, the Hessian of the
log-likelihood at the estimate (projected onto Σ pⱼ = 1 for probabilities that sum to one)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy as sp

from symmle.fit.estimator import Estimator
from symmle.fit.summary import Data, place
from symmle.numeric.covariance import standard_errors as wald_errors


def standard_errors(
    est: Estimator, values: Mapping[sp.Symbol, float], data: Data, found: Mapping[sp.Symbol, float]
) -> dict[str, float]:
    """√ of the diagonal of the covariance, by parameter name; NaN where there is no Wald
    standard error: at an order statistic, or on the edge of the parameter's domain."""
    family = est.family
    by_symbol = {p.symbol: p for p in family.parameters}
    smooth = list(est.general.smooth)
    hessian = np.array(est.hessian([found[s] for s in smooth], values, data), dtype=np.float64)
    hessian = hessian.reshape(len(smooth), len(smooth))
    inside = [j for j, s in enumerate(smooth) if place(found[s], by_symbol[s].domain) == "interior"]
    errors = {p.name: float("nan") for p in family.parameters}
    if not inside:
        return errors
    try:
        found_errors = wald_errors(
            -hessian[np.ix_(inside, inside)], est.general.plan.constraint is not None
        )
    except np.linalg.LinAlgError:
        return errors
    for j, error in zip(inside, found_errors, strict=True):
        errors[by_symbol[smooth[j]].name] = float(error)
    return errors
