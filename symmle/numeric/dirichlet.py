"""The Dirichlet maximum-likelihood estimate from its sufficient statistics: n and the mean logs
sⱼ = (1/n) Σᵢ log xᵢⱼ, by Newton's method on the digamma equations ψ(αⱼ) − ψ(α₀) = sⱼ
(α₀ = Σ αⱼ; Minka 2000, "Estimating a Dirichlet distribution").

The log-likelihood ℓ(α) = n[log Γ(α₀) − Σ log Γ(αⱼ) + Σ (αⱼ − 1) sⱼ] is strictly concave in α
(an exponential family in its natural parameters α − 1), so Newton's method runs on α itself:
its Hessian n[ψ′(α₀) 11ᵀ − diag ψ′(αⱼ)] is always negative definite, and the line search keeps
α > 0. A maximum exists exactly when Σ exp(sⱼ) < 1, i.e. when the rows are not all equal
(by Jensen's inequality, with equality only then): the mean logs then lie inside the convex
hull {t : Σ exp(tⱼ) ≤ 1} of the possible log-rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import digamma, gammaln, logsumexp, polygamma

from symmle.errors import DataError, NoMLEError
from symmle.numeric.newton import Array, Iteration, maximise

SPREAD = 1e-12
"""−log Σ exp(sⱼ) at or below this: the rows are equal up to rounding (a precision α₀ of about
(k − 1)/(2·SPREAD) or more), and the likelihood grows without bound as α₀ → ∞."""


def log_likelihood(count: float, mean_logs: Array, alpha: Array) -> Array:
    """[ℓ, its gradient, its Hessian row by row] at α, for n = ``count`` observations."""
    total = alpha.sum()
    with np.errstate(all="ignore"):  # ψ′ overflows near 0: Newton's method refuses the point
        ell = count * (gammaln(total) - gammaln(alpha).sum() + (alpha - 1) @ mean_logs)
        gradient = count * (digamma(total) - digamma(alpha) + mean_logs)
        hessian = -information(count, alpha)
    return np.concatenate(([ell], gradient, hessian.ravel()))


def information(count: float, alpha: Array) -> Array:
    """The Fisher information of n observations, n[diag ψ′(αⱼ) − ψ′(α₀) 11ᵀ]: −H, which does
    not depend on the data."""
    trigamma = polygamma(1, alpha)
    return np.asarray(count * (np.diag(trigamma) - polygamma(1, alpha.sum())), dtype=np.float64)


def spread(mean_logs: Array) -> float:
    """−log Σ exp(sⱼ) ≥ 0: zero when every row is the same point of the simplex."""
    return float(-logsumexp(mean_logs))


def start(mean_logs: Array) -> Array:
    """Minka's start from the sufficient statistics alone: the precision α₀ from Stirling's
    approximation of ℓ along α₀ at the mean mⱼ ∝ exp(sⱼ) (the normalised geometric means),
    α₀ = ((k − 1)/2) / (−Σ mⱼ (sⱼ − log mⱼ)), where Σ mⱼ (sⱼ − log mⱼ) = log Σ exp(sⱼ); then
    one step of his fixed point αⱼ = ψ⁻¹(ψ(α₀) + sⱼ). The start α₀·mⱼ itself is poor for
    small α's, whose geometric means are far from their means (αⱼ ≈ 1e-36 where α̂ⱼ ≈ 0.01,
    and Newton's steps from there only double αⱼ); the fixed-point step puts each αⱼ at its
    scale."""
    precision = (mean_logs.size - 1) / 2 / spread(mean_logs)
    return inverse_digamma(digamma(precision) + mean_logs)


def inverse_digamma(y: Array) -> Array:
    """Minka's approximation of ψ⁻¹ (appendix C): exp(y) + 1/2 for y ≥ −2.22, else
    −1/(y − ψ(1)); within a few percent, which is all a start needs."""
    large = np.exp(np.minimum(y, 700.0)) + 0.5
    small = -1 / (np.minimum(y, -2.22) - digamma(1.0))
    return np.asarray(np.where(y >= -2.22, large, small), dtype=np.float64)


def positive(alpha: Array) -> bool:
    return bool(np.all(np.isfinite(alpha)) and np.all(alpha > 0))


def require_spread(mean_logs: Array) -> None:
    """NoMLEError where the rows are all equal (no maximum: ℓ grows as α₀ → ∞ along their
    point)."""
    if spread(mean_logs) <= SPREAD:
        raise NoMLEError(
            "the Dirichlet has no maximum-likelihood estimate: every row is the same point of "
            "the simplex (to rounding), and the likelihood grows without bound as the α's grow "
            "together."
        )


def dirichlet_fit(
    count: float, mean_logs: Sequence[float] | Array
) -> tuple[Array, tuple[Iteration, ...]]:
    """α̂ and Newton's iterations from n = ``count`` and sⱼ = ``mean_logs``; NoMLEError where
    the rows are all equal (no maximum: ℓ grows as α₀ → ∞ along their point)."""
    s = np.asarray(mean_logs, dtype=np.float64)
    if s.ndim != 1 or s.size < 2 or not np.all(np.isfinite(s)) or np.any(s >= 0):
        raise DataError(
            "the Dirichlet's mean logs must be k ≥ 2 finite negative numbers (logs of proportions)."
        )
    if not (np.isfinite(count) and count >= 1):
        raise DataError(f"the Dirichlet needs at least one observation, not n = {count:g}.")
    require_spread(s)
    return maximise(lambda alpha: log_likelihood(count, s, alpha), start(s), positive)
