"""The "Probabilistic deep learning" section: how a loss comes from the NLL of a predicted
distribution, three models trained on seeded synthetic data with the derived gradients in
NumPy (heteroscedastic, robust and count regression), and a table of every family's loss."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy

import symmle
from symmle.checks import Check
from symmle.families import families, get
from symmle.losses.predicted import JAX_STATS, TORCH
from symmle.printing.latex import latex
from symmle.render.templates import render
from symmle.site.deep_training import gradient_check, linear, radial, train
from symmle.site.figures import Figure, single, svg
from symmle.site.page import Page

SECTION = "Probabilistic deep learning"


def within(name: str, error: float, tolerance: float) -> Check:
    return Check(name, bool(error <= tolerance), float(error), tolerance)


def intro_page() -> Page:
    loss = symmle.loss("normal", link={"sigma": "softplus"})
    markdown = render(
        "pages/deep_intro.md.jinja", loss=loss, checks=[("loss", c) for c in loss.checks]
    )
    return Page(
        "deep-learning.md", "A loss from a predicted distribution", "", markdown, (),
        tuple(("loss", c) for c in loss.checks), SECTION,
    )  # fmt: skip


def heteroscedastic() -> tuple[str, list[Figure], list[tuple[str, Check]], dict[str, Any]]:
    rng = np.random.default_rng(18)

    def truth(x: Any) -> tuple[Any, Any]:
        return np.sin(1.5 * x) + 0.3 * x, 0.1 + 0.7 * (x + 3) / 6

    x = rng.uniform(-3, 3, 400)
    mean, sd = truth(x)
    y = mean + sd * rng.normal(size=x.size)
    loss = symmle.loss("normal", link={"sigma": "softplus"})
    phi = radial(x)
    start = [rng.normal(0, 0.1, phi.shape[1]) for _ in range(2)]
    checks = [gradient_check(loss, y, [phi, phi], start)]
    fitted = train(loss, y, [phi, phi], start, rate=0.02)
    grid = np.linspace(-3, 3, 301)
    z_mu, z_sigma = fitted.outputs([radial(grid)] * 2)
    sigma = np.logaddexp(0.0, z_sigma)
    x_new = rng.uniform(-3, 3, 4000)
    m_new, s_new = truth(x_new)
    y_new = m_new + s_new * rng.normal(size=x_new.size)
    zm, zs = fitted.outputs([radial(x_new)] * 2)
    covered = float(np.mean(np.abs(y_new - zm) <= 2 * np.logaddexp(0.0, zs)))
    checks.append(
        within(
            "±2σ band covers 95.4% of 4000 new targets (within 3 points)",
            abs(covered - 0.9545),
            0.03,
        )
    )
    error = float(np.max(np.abs(sigma - truth(grid)[1]) / truth(grid)[1]))
    checks.append(within("fitted σ(x) within 35% of the true σ(x) over [−3, 3]", error, 0.35))

    def draw(axes: Any) -> None:
        axes.scatter(x, y, s=4, color="0.6", label="training data")
        axes.plot(grid, truth(grid)[0], "k--", lw=1, label="true mean")
        axes.plot(grid, z_mu, color="C0", label="fitted μ(x)")
        axes.fill_between(
            grid, z_mu - 2 * sigma, z_mu + 2 * sigma, color="C0", alpha=0.2, label="fitted ±2σ(x)"
        )
        axes.set_xlabel("x")
        axes.set_ylabel("y")
        axes.legend(loc="upper left", fontsize=8)

    caption = (
        "The fitted mean with a ±2σ(x) band: the band widens with the noise, as the truth does."
    )
    figures = [
        Figure("heteroscedastic.svg", single(draw), caption, caption),
        curve("heteroscedastic-loss.svg", fitted.history),
    ]
    facts = {"coverage": f"{covered:.1%}", "loss": loss}
    return "Heteroscedastic regression", figures, [("training", c) for c in checks], facts


def robust() -> tuple[str, list[Figure], list[tuple[str, Check]], dict[str, Any]]:
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 1, 200)
    y = 1 + 2 * x + 0.3 * rng.normal(size=x.size)
    outliers = rng.random(x.size) < 0.1
    y[outliers] += rng.uniform(4, 8, outliers.sum())
    student = symmle.loss("student_t", known={"nu": 4})
    squared = symmle.loss("normal", predict="mu", known={"sigma": 1})
    design, ones = linear(x), np.ones((x.size, 1))
    checks = [gradient_check(student, y, [design, ones], [np.zeros(2), np.zeros(1)])]
    t_fit = train(student, y, [design, ones], [np.zeros(2), np.zeros(1)], rate=0.02)
    mse_fit = train(squared, y, [design], [np.zeros(2)], rate=0.02)
    least = np.linalg.lstsq(design, y, rcond=None)[0]
    checks.append(
        within(
            "the MSE fit equals least squares (numpy.linalg.lstsq) to 1e-4",
            float(np.max(np.abs(mse_fit.weights[0] - least))),
            1e-4,
        )
    )
    t_error = float(np.max(np.abs(t_fit.weights[0] - [1.0, 2.0])))
    mse_error = float(np.max(np.abs(mse_fit.weights[0] - [1.0, 2.0])))
    checks.append(
        Check(
            "the Student-t line is nearer the truth than the MSE line (largest weight error)",
            t_error < mse_error,
            t_error,
            mse_error,
        )
    )
    grid = np.linspace(0, 1, 101)

    def draw(axes: Any) -> None:
        axes.scatter(x[~outliers], y[~outliers], s=6, color="0.6", label="data")
        axes.scatter(x[outliers], y[outliers], s=10, color="C3", marker="x", label="outliers")
        axes.plot(grid, 1 + 2 * grid, "k--", lw=1, label="truth 1 + 2x")
        axes.plot(grid, linear(grid) @ t_fit.weights[0], color="C0", label="Student-t NLL (ν = 4)")
        axes.plot(grid, linear(grid) @ mse_fit.weights[0], color="C1", label="mean squared error")
        axes.set_xlabel("x")
        axes.set_ylabel("y")
        axes.legend(loc="upper left", fontsize=8)

    caption = (
        "Ten per cent of the targets pushed up by 4 to 8: the squared error follows them, "
        "the Student-t NLL does not."
    )
    facts = {"t": t_fit.weights[0], "mse": mse_fit.weights[0], "loss": student}
    return (
        "Robust regression: Student-t against MSE",
        [Figure("robust.svg", single(draw), caption, caption)],
        [("training", c) for c in checks],
        facts,
    )


def counts() -> tuple[str, list[Figure], list[tuple[str, Check]], dict[str, Any]]:
    rng = np.random.default_rng(7)

    def draw_counts(x: Any) -> Any:
        mean = np.exp(1 + 0.8 * x)
        return rng.negative_binomial(2, 2 / (2 + mean)).astype(float)

    x = rng.uniform(-1.5, 1.5, 400)
    y = draw_counts(x)
    nb = symmle.loss("negative_binomial", known={"r": 2})
    poisson = symmle.loss("poisson", link="exp")
    design = linear(x)
    checks = [gradient_check(nb, y, [design], [np.zeros(2)])]
    nb_fit = train(nb, y, [design], [np.zeros(2)], rate=0.02)
    po_fit = train(poisson, y, [design], [np.zeros(2)], rate=0.02)
    x_new = rng.uniform(-1.5, 1.5, 4000)
    y_new = draw_counts(x_new)
    (z_nb,), (z_po,) = nb_fit.outputs([linear(x_new)]), po_fit.outputs([linear(x_new)])
    held_nb, held_po = float(np.mean(nb.fn(y_new, z_nb))), float(np.mean(poisson.fn(y_new, z_po)))
    checks.append(
        Check(
            "held-out mean NLL: negative binomial below Poisson",
            held_nb < held_po,
            held_nb,
            held_po,
        )
    )
    p = scipy.special.expit(z_nb)
    nb_low, nb_high = scipy.stats.nbinom.ppf([[0.05], [0.95]], 2, p)
    po_low, po_high = scipy.stats.poisson.ppf([[0.05], [0.95]], np.exp(z_po))
    nb_cover = float(np.mean((y_new >= nb_low) & (y_new <= nb_high)))
    po_cover = float(np.mean((y_new >= po_low) & (y_new <= po_high)))
    checks.append(
        within(
            "the negative binomial's 5–95% interval covers at least 90% of new counts",
            max(0.0, 0.9 - nb_cover),
            0.02,
        )
    )
    grid = np.linspace(-1.5, 1.5, 121)
    (g_nb,), (g_po,) = nb_fit.outputs([linear(grid)]), po_fit.outputs([linear(grid)])
    g_p = scipy.special.expit(g_nb)

    def draw(axes: Any) -> None:
        axes.scatter(x, y, s=5, color="0.6", label="counts")
        axes.plot(grid, 2 * (1 - g_p) / g_p, color="C0", label="negative binomial mean")
        axes.fill_between(
            grid,
            *scipy.stats.nbinom.ppf([[0.05], [0.95]], 2, g_p),
            color="C0",
            alpha=0.15,
            label="NB 5–95%",
        )
        axes.plot(grid, np.exp(g_po), color="C1", ls="--", label="Poisson mean")
        axes.fill_between(
            grid,
            *scipy.stats.poisson.ppf([[0.05], [0.95]], np.exp(g_po)),
            color="C1",
            alpha=0.25,
            label="Poisson 5–95%",
        )
        axes.set_xlabel("x")
        axes.set_ylabel("count")
        axes.legend(loc="upper left", fontsize=8)

    caption = (
        "Over-dispersed counts: both means agree, but only the negative binomial's interval "
        "is as wide as the data."
    )
    facts = {
        "nb_cover": f"{nb_cover:.1%}",
        "po_cover": f"{po_cover:.1%}",
        "held_nb": f"{held_nb:.3f}",
        "held_po": f"{held_po:.3f}",
        "loss": nb,
    }
    return (
        "Count regression: negative binomial against Poisson",
        [Figure("counts.svg", single(draw), caption, caption)],
        [("training", c) for c in checks],
        facts,
    )


def curve(name: str, history: Any) -> Figure:
    def draw(axes: Any) -> None:
        axes.plot(25 * np.arange(1, len(history) + 1), history)
        axes.set_xlabel("Adam step")
        axes.set_ylabel("mean NLL")

    caption = "The mean NLL of the training data as Adam steps on the derived gradients."
    return Figure(name, svg(draw, size=(6.0, 2.6)), caption, caption)


MODELS: dict[
    str, Callable[[], tuple[str, list[Figure], list[tuple[str, Check]], dict[str, Any]]]
] = {
    "heteroscedastic": heteroscedastic,
    "robust": robust,
    "counts": counts,
}


def model_page(kind: str) -> Page:
    title, figures, checks, facts = MODELS[kind]()
    markdown = render(
        f"pages/deep_{kind}.md.jinja",
        title=title,
        figures=figures,
        checks=checks,
        facts=facts,
        latex=latex,
    )
    return Page(f"deep-{kind}.md", title, "", markdown, tuple(figures), tuple(checks), SECTION)


def table_page() -> Page:
    """Every family's loss at its default links, with the checks of each against scipy."""
    rows, checks = [], []
    for name in families("scalar"):
        family = get(name)  # every family gives a loss: one that fails fails the build
        loss = symmle.loss(name, known=dict(family.example_known))
        rows.append(
            {
                "family": family.title,
                "name": name,
                "link": loss.entry.link,
                "expr": latex(loss.expr),
                "torch": TORCH.get(name, ""),
                "jax": JAX_STATS.get(name, ""),
                "known": dict(family.example_known),
            }
        )
        checks += [(family.title, c) for c in loss.checks]
    markdown = render("pages/deep_table.md.jinja", rows=rows, checks=checks)
    return Page("deep-losses.md", "Every family's loss", "", markdown, (), tuple(checks), SECTION)


def deep_builders() -> list[Callable[[], Page]]:
    from functools import partial

    return [intro_page, *(partial(model_page, kind) for kind in MODELS), table_page]
