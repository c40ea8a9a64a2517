"""Numeric checks of the vector families' derivations, each against an independent route:
NumPy's mean and covariance, scipy.stats' log-densities and scipy.optimize's maximum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.checks import Check, compare
from symmle.derive.vector.derivation import VectorDerivation
from symmle.derive.vector.normal import jacobi_holds

Array = np.ndarray[Any, np.dtype[np.float64]]


def rows(d: VectorDerivation) -> Array:
    assert d.data is not None
    return np.array([[float(v) for v in row] for row in d.data])


def symbolic_ell(d: VectorDerivation, values: tuple[Any, ...]) -> float:
    """The derivation's ℓ at parameter values (matrices for the Normal), evaluated exactly."""
    at = {
        s: sp.Matrix(v) if isinstance(s, sp.MatrixSymbol) else v
        for s, v in zip(d.parameters, values, strict=True)
    }
    return float(sp.N(d.log_likelihood.subs(at).doit(), 17))


def random_spd(size: int, rng: np.random.Generator) -> Array:
    root = rng.normal(size=(size, size))
    return np.asarray(root @ root.T + size * np.eye(size), float)


def normal_checks(d: VectorDerivation) -> list[Check]:
    X = rows(d)
    mu = np.array(d.estimate["mu"].tolist(), float).ravel()
    sigma = np.array(d.estimate["Sigma"].tolist(), float)
    scipy_ell = float(scipy.stats.multivariate_normal(mu, sigma).logpdf(X).sum())
    rng = np.random.default_rng(0)
    probe_mu, probe_sigma = rng.normal(size=mu.size), random_spd(mu.size, rng)
    probe_ell = float(scipy.stats.multivariate_normal(probe_mu, probe_sigma).logpdf(X).sum())
    shown = next(s for s in d.steps if s.kind == "solve").expr[-1].rhs
    return [
        compare("μ̂ equals numpy.mean", mu, X.mean(axis=0), 1e-12, 1 + np.abs(mu)),
        compare(
            "Σ̂ equals numpy.cov(bias=True)",
            sigma,
            np.cov(X, rowvar=False, bias=True),
            1e-12,
            1 + np.abs(sigma),
        ),
        compare("ℓ̂ (closed form) equals scipy's logpdf sum", float(shown), scipy_ell, 1e-10),
        compare(
            "ℓ(μ, Σ) equals scipy's logpdf sum at other parameters",
            symbolic_ell(d, (probe_mu.reshape(-1, 1), probe_sigma)),
            probe_ell,
            1e-10,
        ),
        maximum_check(
            lambda t: float(
                scipy.stats.multivariate_normal(mu + t[: mu.size], sigma + np.diag(t[mu.size :]))
                .logpdf(X)
                .sum()
            ),
            2 * mu.size,
            scipy_ell,
        ),
    ]


def maximum_check(ell: Callable[[Array], float], size: int, best: float) -> Check:
    """ℓ at small random moves of the estimate never above ℓ̂ (scipy's log-density)."""
    rng = np.random.default_rng(1)
    moves = [ell(1e-3 * rng.normal(size=size)) for _ in range(20)]
    above = max(moves) - best
    return Check(
        "ℓ̂ is above ℓ at 20 nearby points (scipy)",
        bool(above <= 1e-12 * (1 + abs(best))),
        max(above, 0.0),
        1e-12,
    )


def multinomial_checks(d: VectorDerivation) -> list[Check]:
    X = rows(d)
    trials = int(X[0].sum())
    p = np.array([float(v) for v in d.estimate.values()])
    law = scipy.stats.multinomial

    def nll(z: Array) -> float:
        q = scipy.special.softmax(z)
        return -float(law(trials, q).logpmf(X).sum())

    found = scipy.optimize.minimize(nll, np.zeros(p.size), method="BFGS", options={"gtol": 1e-10})
    q = np.random.default_rng(0).dirichlet(np.ones(p.size))
    return [
        compare("p̂ sums to one", p.sum(), 1.0, 1e-15),
        compare(
            "ℓ(p) equals scipy's multinomial.logpmf sum",
            symbolic_ell(d, tuple(q)),
            float(law(trials, q).logpmf(X).sum()),
            1e-10,
        ),
        Check(
            "ℓ(p̂) no worse than scipy.optimize's maximum",
            bool(-nll(np.log(np.maximum(p, 1e-300))) >= -found.fun - 1e-9 * (1 + abs(found.fun))),
            float(max(0.0, -found.fun + nll(np.log(np.maximum(p, 1e-300))))),
            1e-9,
        ),
    ]


def dirichlet_checks(d: VectorDerivation) -> list[Check]:
    X = rows(d)
    alpha = np.array([float(v) for v in d.estimate.values()])
    law = scipy.stats.dirichlet

    def nll(z: Array) -> float:
        return -float(law.logpdf(X.T, np.exp(z)).sum())  # scipy: components on axis 0

    found = scipy.optimize.minimize(
        nll,
        np.zeros(alpha.size),
        method="BFGS",
        options={"gtol": 1e-9 * len(X)},  # the gradient grows with n
    )
    best = -nll(np.log(alpha))
    step = 1e-6 * alpha
    score = [
        (-nll(np.log(alpha + step * e)) + nll(np.log(alpha - step * e))) / (2 * step[c])
        for c, e in enumerate(np.eye(alpha.size))
    ]
    return [
        compare(
            "ℓ(α̂) equals scipy's dirichlet.logpdf sum", symbolic_ell(d, tuple(alpha)), best, 1e-10
        ),
        Check(
            "ℓ(α̂) no worse than scipy.optimize's maximum",
            bool(best >= -found.fun - 1e-9 * (1 + abs(found.fun))),
            float(max(0.0, -found.fun - best)),
            1e-9,
        ),
        compare(
            "score of scipy's ℓ at α̂ (central differences) ≈ 0",
            score,
            np.zeros(alpha.size),
            1e-5,
            len(X),
        ),
    ]


def identity_checks() -> list[Check]:
    """Jacobi's formula, which the general derivation names, entrywise at k = 2."""
    held = jacobi_holds()
    return [
        Check("∂ log det Λ/∂Λ = Λ⁻ᵀ entrywise at k = 2 (SymPy)", held, 0.0 if held else 1.0, 0.0)
    ]


CHECKS: dict[str, Callable[[VectorDerivation], list[Check]]] = {
    "multivariate_normal": normal_checks,
    "multinomial": multinomial_checks,
    "dirichlet": dirichlet_checks,
}


def vector_checks(d: VectorDerivation) -> tuple[Check, ...]:
    """The checks of a derivation with data."""
    return tuple(CHECKS[d.family.name](d))
