"""The constrained MLE for a symbolic number of categories k: probabilities p_1..p_k that sum
to one, maximised with a Lagrange multiplier (the Categorical without k known)."""

from __future__ import annotations

import sympy as sp

from symmle.derive.derivation import Derivation
from symmle.derive.general import example_sample, general
from symmle.derive.methods.constrained import MULTIPLIER
from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.printing.notation import Density, Likelihood, LogLikelihood, hat
from symmle.symbols import i, n, y

p = sp.IndexedBase("p")
counts = sp.IndexedBase("n")
j = sp.Symbol("j", integer=True, positive=True)


def derive_simplex_general(family: Distribution) -> Derivation:
    """Steps for k symbolic; the checks run on the worked example's k."""
    (k_param,) = family.constants
    k = k_param.symbol
    pj, nj = p[j], counts[j]
    ell = sp.Sum(nj * sp.log(pj), (j, 1, k))
    lag = ell - MULTIPLIER * (sp.Sum(pj, (j, 1, k)) - 1)
    derivative = sp.diff(nj * sp.log(pj), pj) - MULTIPLIER
    (root,) = sp.solve(derivative, pj)
    (multiplier,) = sp.solve(sp.factor_terms(sp.Sum(root, (j, 1, k))) - 1, MULTIPLIER)
    estimate = root.subs(MULTIPLIER, n)
    lhs = LogLikelihood(sp.Symbol("p"))
    steps = (
        Step(
            "model",
            "The Categorical model",
            sp.Eq(
                Density(sp.Symbol("y"), sp.Symbol("p")),
                sp.Product(pj ** sp.KroneckerDelta(sp.Symbol("y"), j), (j, 1, k)),
            ),
            "The probability of category y ∈ {1, …, k} is p_y; the k probabilities sum to one.",
        ),
        Step(
            "likelihood",
            "Likelihood",
            sp.Tuple(
                sp.Eq(
                    Likelihood(sp.Symbol("p")), sp.Product(Density(y[i], sp.Symbol("p")), (i, 1, n))
                ),
                sp.Eq(Likelihood(sp.Symbol("p")), sp.Product(pj**nj, (j, 1, k))),
                sp.Eq(nj, sp.Sum(sp.KroneckerDelta(y[i], j), (i, 1, n))),
            ),
            "Each observation in category j contributes a factor p_j: with n_j the count of "
            "category j, the likelihood is a product over the categories.",
        ),
        Step(
            "log", "Log-likelihood", sp.Eq(lhs, ell), "The logarithm turns the product into a sum."
        ),
        Step(
            "nll",
            "Negative log-likelihood",
            sp.Eq(sp.Symbol("NLL"), -ell),
            "Minimising the NLL is maximising ℓ.",
        ),
        Step(
            "constraint",
            "Constrained maximum (Lagrange multiplier)",
            sp.Tuple(
                sp.Eq(sp.Symbol("Lambda"), lag),
                sp.Eq(sp.Derivative(sp.Symbol("Lambda"), pj), derivative),
                sp.Eq(pj, root),
                sp.Eq(sp.Sum(root, (j, 1, k)), 1),
                sp.Eq(MULTIPLIER, multiplier),
                sp.Eq(MULTIPLIER, n),
            ),
            "On Σ p_j = 1 the Lagrangian is stationary where n_j/p_j equals the multiplier; "
            "the constraint then makes the multiplier Σ n_j = n. ℓ is concave and the "
            "constraint linear, so this is the maximum.",
        ),
        Step(
            "estimate",
            "Maximum-likelihood estimate",
            sp.Tuple(sp.Eq(hat(sp.Symbol("p_j")), estimate, evaluate=False)),
            "The maximum-likelihood estimate (constrained): each probability is its category's "
            "share of the sample.",
        ),
    )
    worked = general(example_sample(family)[0])
    return Derivation(family, None, {"p_j": estimate}, steps, ell, "constrained", worked)


__all__ = ["derive_simplex_general"]
