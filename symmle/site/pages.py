"""The website's pages: each a derivation rendered through the templates, with its figure
and numeric checks. No MkDocs here: symmle.site.hooks turns these into MkDocs files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import symmle
from symmle.families import get
from symmle.site.figures import Figure, least_squares, likelihood_contour, likelihood_curve
from symmle.losses.family import LossResult
from symmle.checks import Check
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


def family_page(name: str) -> Page:
    family = get(name)
    example = symmle.mle(name, data=family.example)
    general = symmle.mle(name)
    figure = (likelihood_curve if len(family.parameters) == 1 else likelihood_contour)(example)
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
    return Page(f"{name}.md", family.title, summary, markdown, (figure,), checks)


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


BUILDERS: tuple[Callable[[], Page], ...] = (
    lambda: family_page("bernoulli"),
    lambda: family_page("normal"),
    lambda: loss_page("bernoulli", "binary-cross-entropy.md", "Binary cross-entropy"),
    lambda: loss_page("normal", "mean-squared-error.md", "Mean squared error", least_squares),
)
"""The derivation pages, in the order of the navigation."""


def site_pages(progress: Callable[[Page], None] = lambda page: None) -> list[Page]:
    """Every page of the site: home, the derivations, and the page of all checks."""
    derived: list[Page] = []
    for build in BUILDERS:
        derived.append(build())
        progress(derived[-1])
    return [home_page(derived), *derived, checks_page(derived)]


def home_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/index.md.jinja", pages=pages)
    return Page("index.md", "Home", "", markdown)


def checks_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/checks.md.jinja", pages=pages)
    return Page("checks.md", "Checks", "", markdown)
