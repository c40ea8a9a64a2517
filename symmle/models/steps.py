"""The steps that data add to a regression's derivation: Newton's iterations and the estimate
with its standard errors, Wald and profile-likelihood intervals (numbers in tables; the
estimate as a vector)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.step import Step
from symmle.models.intervals import profiled
from symmle.models.model import Fit

if TYPE_CHECKING:
    from symmle.models.base import RegressionResult

PROFILE_TEXT = (
    "The 95% profile-likelihood interval is the set where 2(ℓ̂ − ℓₚ(θⱼ)) ≤ χ²₁,₀.₉₅ = 3.84, "
    "ℓₚ(θⱼ) the log-likelihood maximised over the other parameters{} with θⱼ held, as R's "
    "confint on a glm: it follows the likelihood's asymmetry where the Wald interval cannot."
)


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


HEADER = ("parameter", "estimate", "standard error", "95% Wald interval", "95% profile interval")
LABELS = {"sigma": "σ"}


def interval_text(ends: tuple[float, float] | None) -> str:
    return "—" if ends is None else f"({ends[0]:.4g}, {ends[1]:.4g})"


def estimate_step(result: RegressionResult) -> Step:
    fit = result.fit
    assert fit is not None
    errors, wald, profile = result.standard_errors, result.interval(), profiled(result)
    rows = [HEADER] + [
        (
            LABELS.get(name, name),
            f"{v:.6g}",
            f"{errors[name]:.4g}",
            interval_text(wald[name]),
            interval_text(profile.get(name)),
        )
        for name, v in result.estimate.items()
    ]
    vector = sp.Matrix([sp.Float(w, 6) for w in fit.weights])
    equations: list[sp.Basic] = [
        sp.Eq(sp.MatrixSymbol("what", len(fit.names), 1), vector, evaluate=False)
    ]
    spread = ""
    if "sigma" in fit.nuisance:
        equations.append(sp.Eq(sp.Symbol("sigmahat"), sp.Float(fit.nuisance["sigma"], 6)))
        spread = (
            " The noise's σ̂ = √(RSS/n) sets the scale of H = XᵀX/σ̂²; its own standard error "
            "is σ̂/√(2n)."
        )
    return Step(
        "numeric",
        "Maximum-likelihood estimate, standard errors and intervals",
        sp.Tuple(*equations),
        f"The weights that minimise the NLL on the {len(fit.y)} observations (maximised "
        f"log-likelihood {fit.log_likelihood:.8g}). The standard errors are the square roots "
        f"of the diagonal of H⁻¹ at ŵ, the inverse observed information.{spread} The 95% Wald "
        "interval is ŵⱼ ± 1.96·SE. " + PROFILE_TEXT.format(" (and σ)" if spread else ""),
        tuple(rows),
    )


def data_steps(result: RegressionResult) -> list[Step]:
    assert result.fit is not None
    return ([iterations_step(result.fit)] if result.fit.iterations else []) + [
        estimate_step(result)
    ]
