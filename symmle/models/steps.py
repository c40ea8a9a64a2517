"""The steps that data add to a regression's derivation: Newton's iterations and the estimate
with its standard errors (numbers in tables; the estimate as a vector)."""

from __future__ import annotations

import sympy as sp

from symmle.derive.step import Step
from symmle.models.model import Fit, Model


def iterations_step(fit: Fit) -> Step:
    rows = [("iteration", "NLL", "‖gradient‖")] + [
        (str(it.number), f"{-it.log_likelihood:.10g}", f"{it.score_norm:.3e}")
        for it in fit.iterations
    ]
    return Step(
        "numeric",
        "Newton's iterations on the data",
        sp.Tuple(),
        f"From w = 0, {len(fit.iterations) - 1} Newton steps (each halved until the NLL does "
        "not rise) bring the gradient to zero at machine precision.",
        tuple(rows),
    )


def estimate_step(model: Model, fit: Fit) -> Step:
    rows = [("weight", "estimate", "standard error")] + [
        (name, f"{w:.6g}", f"{se:.4g}")
        for name, w, se in zip(fit.names, fit.weights, fit.standard_errors, strict=True)
    ]
    vector = sp.Matrix([sp.Float(w, 6) for w in fit.weights])
    equations: list[sp.Basic] = [
        sp.Eq(sp.MatrixSymbol("what", len(fit.names), 1), vector, evaluate=False)
    ]
    spread = ""
    if "sigma" in fit.nuisance:
        equations.append(sp.Eq(sp.Symbol("sigmahat"), sp.Float(fit.nuisance["sigma"], 6)))
        spread = " The noise's σ̂ = √(RSS/n) sets the scale of H = XᵀX/σ̂²."
    return Step(
        "numeric",
        "Maximum-likelihood estimate and standard errors",
        sp.Tuple(*equations),
        f"The weights that minimise the NLL on the {len(fit.y)} observations (maximised "
        f"log-likelihood {fit.log_likelihood:.8g}). The standard errors are the square roots "
        f"of the diagonal of H⁻¹ at ŵ, the inverse observed information.{spread}",
        tuple(rows),
    )


def data_steps(model: Model, fit: Fit) -> list[Step]:
    return ([iterations_step(fit)] if fit.iterations else []) + [estimate_step(model, fit)]
