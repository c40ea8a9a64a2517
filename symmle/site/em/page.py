"""The page "Mixtures by EM": a two-component Normal mixture on ten values worked by hand
(the first E-step's responsibilities, the M-step from them, the iterations), its derivation
as the engine makes it, a Poisson mixture of counts, the figures and the page's checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import symmle
from symmle.derive.em.run import Fitted
from symmle.derive.step import Step
from symmle.families.mixtures import FAMILIES
from symmle.printing.latex import latex
from symmle.render.templates import render
from symmle.site.em.checks import example_checks
from symmle.site.em.example import Example, K, example, responsibilities
from symmle.site.em.figures import density_figure, log_likelihood_figure
from symmle.site.page import Page
from symmle.site.sheet_rows import mixture_row

SECTION = "Latent variables"
NORMAL_DATA = (1.1, 1.9, 2.4, 3.5, 4.4, 6.1, 7.2, 7.8, 8.9, 9.6)
"""The worked example: ten values in two overlapping groups (at most EXPLICIT_PRODUCT_UP_TO,
whose likelihood is shown as the product of the ten mixture densities)."""
POISSON_DATA = (0, 1, 1, 2, 3, 7, 8, 9, 11, 13)
"""Ten counts, a quiet and a busy regime."""


@dataclass(frozen=True)
class Hand:
    """The first iteration of the Normal example as numbers for the page."""

    start: dict[str, float]
    rows: list[dict[str, float]]
    counts: list[float]
    first: dict[str, float]
    ell: tuple[float, float]
    symbols: dict[str, str]
    iterations: int
    final: float


def by_hand(normal: Example) -> Hand:
    """θ⁰, the responsibilities at θ⁰ (scipy's densities), N_j, and θ¹ and ℓ from the run."""
    history = normal.fitted.best.history
    start = normal.values(history[0].theta)
    shares = responsibilities(normal, history[0].theta)
    rows = [
        {"y": y, **{f"r{c + 1}": float(shares[i, c]) for c in range(K)}}
        for i, y in enumerate(normal.data)
    ]
    return Hand(
        start,
        rows,
        [float(v) for v in shares.sum(axis=0)],
        normal.values(history[1].theta),
        (history[0].log_likelihood, history[1].log_likelihood),
        {p.name: latex(p.symbol) for p in normal.family.parameters},
        len(history),
        normal.fitted.best.log_likelihood,
    )


def runs_table(fitted: Fitted) -> list[dict[str, Any]]:
    """Every start: its name, iterations, final ℓ and whether it is the one kept."""
    return [
        {
            "start": run.start,
            "iterations": len(run.history),
            "ell": run.log_likelihood,
            "kept": run is fitted.best,
        }
        for run in fitted.runs
    ]


def shown_steps(example: Example) -> tuple[Step, ...]:
    """The derivation's steps but its likelihood: the product of the mixture densities at the
    data comes multiplied out (2ⁿ terms), too long to typeset; ℓ follows as a sum of logs."""
    return tuple(s for s in example.result.steps if s.kind != "likelihood")


def em_page() -> Page:
    normal = example("normal_mixture", NORMAL_DATA)
    poisson = example("poisson_mixture", POISSON_DATA)
    figures = (
        density_figure(normal, "em-normal-mixture.svg"),
        log_likelihood_figure(normal, "em-log-likelihood.svg"),
        density_figure(poisson, "em-poisson-mixture.svg"),
    )
    generals = [symmle.mle(m.name) for m in FAMILIES]  # the cheat sheet's rows
    shown = [
        *(("Normal mixture, worked example", c) for c in example_checks(normal)),
        *(("Poisson mixture", c) for c in example_checks(poisson)),
        *((f"{r.family.title}, general n", c) for r in generals for c in r.checks),
    ]
    markdown = render(
        "pages/em.md.jinja",
        normal=normal,
        poisson=poisson,
        data=", ".join(f"{v:g}" for v in NORMAL_DATA),
        counts=", ".join(f"{v:g}" for v in POISSON_DATA),
        hand=by_hand(normal),
        runs=runs_table(normal.fitted),
        figures=figures,
        checks=shown,
        normal_steps=shown_steps(normal),
        poisson_steps=shown_steps(poisson),
    )
    summary = "a mixture of two Normals on ten values by hand, the EM steps, Poisson counts."
    rows = tuple(mixture_row(r) for r in generals)
    return Page("em.md", "Mixtures by EM", summary, markdown, figures, tuple(shown), SECTION, rows)


def em_builders() -> list[Callable[[], Page]]:
    return [em_page]
