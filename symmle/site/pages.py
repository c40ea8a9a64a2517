"""The website's pages: each a derivation rendered through the templates, with its figure
and numeric checks. No MkDocs here: symmle.site.hooks turns these into MkDocs files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any
from dataclasses import dataclass

import symmle
from symmle.families import get
from symmle.site.figures import Figure, least_squares, likelihood_figure
from symmle.derive.result import Result
from symmle.losses.family import LossResult
from symmle.checks import Check
from symmle.render.latex import to_latex
from symmle.render.templates import data_label, render


@dataclass(frozen=True)
class Page:
    """A generated Markdown page with its figures and the checks it shows."""

    path: str
    title: str
    summary: str
    markdown: str
    figures: tuple[Figure, ...] = ()
    checks: tuple[tuple[str, Check], ...] = ()
    section: str = ""
    """The navigation section (a key of GROUPS for a family page)."""
    general: Result | None = None


GROUPS = {
    "discrete": "Discrete families",
    "continuous": "Continuous families",
    "boundary": "Boundary and robust",
    "numeric": "No closed form",
}


def group(example: Result) -> str:
    """The navigation group of a family, from the method of its worked example."""
    if example.method in ("boundary", "numeric"):
        return example.method
    return "discrete" if example.family.discrete else "continuous"


def family_page(name: str) -> Page:
    family = get(name)
    example = symmle.mle(name, data=family.example, known=dict(family.example_known))
    general = symmle.mle(name)
    figure = likelihood_figure(example)
    label = data_label(example)
    checks = tuple(
        [(f"Worked example {label}", c) for c in example.checks]
        + [("General n", c) for c in general.checks]
    )
    estimate = ", ".join(f"{k} = {v}" for k, v in example.estimate.items())
    markdown = render(
        "pages/family.md.jinja",
        family=family,
        example=example,
        general=general,
        example_label=label,
        figure=figure,
        checks=checks,
    )
    summary = f"the worked example {label} ({estimate}) and the general n."
    return Page(f"{name}.md", family.title, summary, markdown, (figure,), checks, group(example), general)


Illustration = Callable[[LossResult], tuple[Figure, Check]]


def loss_page(name: str, path: str, title: str, illustrate: Illustration | None = None) -> Page:
    """A loss derivation; ``illustrate`` draws it in use and checks what it drew."""
    loss = symmle.loss(name)
    checks = [(loss.name, c) for c in loss.checks]
    figure = None
    if illustrate is not None:
        figure, drawn = illustrate(loss)
        checks.append(("figure", drawn))
    markdown = render("pages/loss.md.jinja", loss=loss, title=title, figure=figure, checks=checks)
    summary = f"the {loss.name} as the negative log-likelihood of the {loss.family.title}."
    figures = () if figure is None else (figure,)
    return Page(path, title, summary, markdown, figures, tuple(checks))


LOSSES: tuple[Callable[[], Page], ...] = (
    lambda: loss_page("bernoulli", "binary-cross-entropy.md", "Binary cross-entropy"),
    lambda: loss_page("normal", "mean-squared-error.md", "Mean squared error", least_squares),
)
"""The loss pages, in the order of the navigation."""


def site_pages(progress: Callable[[Page], None] = lambda page: None) -> list[Page]:
    """Every page of the site: home, the derivations, and the page of all checks."""
    derived: list[Page] = []
    builders: list[Callable[[], Page]] = [partial(family_page, f) for f in symmle.families()]
    for build in [*builders, *LOSSES]:
        derived.append(build())
        progress(derived[-1])
    families = [p for p in derived if p.section]
    return [home_page(derived), summary_page(families), *derived, checks_page(derived)]


def navigation(pages: Sequence[Page]) -> list[dict[str, Any]]:
    """The MkDocs nav: home, the summary, families by group, losses, checks."""
    families = [p for p in pages if p.section]
    nav: list[dict[str, Any]] = [{"Home": "index.md"}, {"Cheat sheet": "summary.md"}]
    for key, title in GROUPS.items():
        entries = [{p.title: p.path} for p in families if p.section == key]
        if entries:
            nav.append({title: entries})
    losses = [{p.title: p.path} for p in pages if p.path not in ("index.md", "summary.md", "checks.md") and not p.section]
    nav += [{"Losses": losses}, {"Checks": "checks.md"}]
    return nav


def summary_page(families: Sequence[Page]) -> Page:
    """One table of every family: parameters, MLE formula and method."""
    rows = []
    for page in families:
        assert page.general is not None
        general = page.general
        estimate = [s for s in general.steps if s.kind == "estimate"]
        formulas = [to_latex(eq) for eq in estimate[0].expr.args] if estimate else []
        names = ", ".join(p.name for p in general.family.parameters) or "p_1, …, p_k"
        rows.append((page, names, formulas, general.method))
    markdown = render("pages/summary.md.jinja", rows=rows, groups=GROUPS)
    return Page("summary.md", "Cheat sheet", "every family's MLE in one table.", markdown)


def home_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/index.md.jinja", pages=pages)
    return Page("index.md", "Home", "", markdown)


def checks_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/checks.md.jinja", pages=pages)
    return Page("checks.md", "Checks", "", markdown)
