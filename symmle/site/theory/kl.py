"""The page "KL divergence and maximum likelihood": the divergence between two Bernoulli and two
Normal distributions derived by the engine, and its empirical version from seeded samples."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate, stats

from symmle.checks import Check, compare
from symmle.derive.general import general
from symmle.families import get
from symmle.inference.kl import Divergence, divergence
from symmle.inference.simulate import draws, lambdified, prefix_statistics
from symmle.site.figures import Figure, svg
from symmle.site.theory.common import MARGINS, holds, theory_page

THETA0 = 0.3
NORMAL0 = {"mu": 0.7, "sigma": 1.6}
SIZES = (10, 100, 1000)
COLOURS = ("#90caf9", "#3f51b5", "#1a237e")


def kl_function(d: Divergence) -> Any:
    """(truth values…, model values…) -> KL, lambdified."""
    symbols = [*d.truth.values(), *d.family.symbols]
    return sp.lambdify(symbols, d.expr, ["scipy", "numpy"])


def bernoulli_panel(axes: Any, d: Divergence) -> None:
    kl = kl_function(d)
    grid = np.linspace(0.02, 0.98, 400)
    sample = draws(d.family, {"theta": THETA0}, SIZES[-1], seed=21)
    for size, colour in zip(SIZES, COLOURS, strict=True):
        share = float(np.mean(sample[:size]))  # the empirical distribution is Bernoulli(ȳ)
        axes.plot(grid, kl(share, grid), color=colour, label=f"KL(P̂ₙ ‖ f_θ), n = {size}")
    axes.plot(grid, kl(THETA0, grid), color="black", linewidth=2, label="KL(f_θ₀ ‖ f_θ)")
    axes.axvline(THETA0, color="#e91e63", linestyle="--")
    axes.set_ylim(0, 1.2)
    axes.set_xlabel("θ")
    axes.set_title(f"Bernoulli, θ₀ = {THETA0}")
    axes.legend(fontsize=8)


def normal_panel(axes: Any, d: Divergence) -> None:
    """Over μ with σ at the truth: KL and (NLL(μ) − NLL(μ₀))/n, its estimate from the data."""
    kl = kl_function(d)
    mu0, sigma0 = NORMAL0["mu"], NORMAL0["sigma"]
    grid = np.linspace(mu0 - 3, mu0 + 3, 400)
    g = general(d.family)
    mu, sigma = d.family.symbols
    sample = draws(d.family, NORMAL0, SIZES[-1], seed=22)
    statistics = prefix_statistics(g, sample, np.array(SIZES))
    ell = lambdified(g.log_likelihood, [mu, sigma], statistics)
    for k, (size, colour) in enumerate(zip(SIZES, COLOURS, strict=True)):
        at = [v[k] for v in statistics.values()]
        excess = (ell(mu0, sigma0, *at) - ell(grid, sigma0, *at)) / size
        axes.plot(grid, excess, color=colour, label=f"(NLL(μ) − NLL(μ₀))/n, n = {size}")
    axes.plot(grid, kl(mu0, sigma0, grid, sigma0), color="black", linewidth=2, label="KL")
    axes.axvline(mu0, color="#e91e63", linestyle="--")
    axes.set_xlabel("μ (σ = σ₀)")
    axes.set_title(f"Normal, μ₀ = {mu0}, σ₀ = {sigma0}")
    axes.legend(fontsize=8)


def figure(bernoulli: Divergence, normal: Divergence) -> Figure:
    def draw(axes: Any) -> None:
        bernoulli_panel(axes[0], bernoulli)
        normal_panel(axes[1], normal)

    caption = (
        "The divergence of the model from the truth (black) and its estimate from samples of "
        "growing size: each is smallest at the MLE of its sample, and they close in on the "
        "divergence, whose minimum is the truth (dashed)."
    )
    return Figure(
        "theory-kl.svg", svg(draw, (10.0, 4.0), panels=2, margins=MARGINS), caption, caption
    )


def checks(bernoulli: Divergence, normal: Divergence) -> list[tuple[str, Check]]:
    """The closed forms against scipy: entropy for the Bernoulli, quadrature for the Normal."""
    grid = np.linspace(0.05, 0.95, 19)
    ours = kl_function(bernoulli)(THETA0, grid)
    theirs = [stats.entropy([THETA0, 1 - THETA0], [t, 1 - t]) for t in grid]
    mu0, sigma0, mu, sigma = NORMAL0["mu"], NORMAL0["sigma"], 1.3, 1.1
    p, q = stats.norm(mu0, sigma0), stats.norm(mu, sigma)
    numeric, _ = integrate.quad(lambda y: p.pdf(y) * (p.logpdf(y) - q.logpdf(y)), -np.inf, np.inf)
    normal_kl = float(kl_function(normal)(mu0, sigma0, mu, sigma))
    return [
        ("Bernoulli", compare("KL equals scipy.stats.entropy", ours, theirs, 1e-9, max(theirs))),
        ("Bernoulli", holds("Hessian of KL at θ₀ is I(θ₀)", bernoulli.curvature_is_information)),
        ("Normal", compare("KL equals ∫ p log(p/q) by quadrature", normal_kl, numeric, 1e-8)),
        ("Normal", holds("Hessian of KL at θ₀ is I(θ₀)", normal.curvature_is_information)),
    ]


def page() -> Any:
    bernoulli, normal = divergence(get("bernoulli")), divergence(get("normal"))
    return theory_page(
        "kl-divergence.md",
        "KL divergence and MLE",
        "the MLE minimises the Kullback–Leibler divergence from the data.",
        [figure(bernoulli, normal)],
        checks(bernoulli, normal),
        bernoulli=bernoulli,
        normal=normal,
    )
