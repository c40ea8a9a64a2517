"""The website's pages: each a derivation rendered through the templates, with its figure
and numeric checks. No MkDocs here: symmle.site.hooks turns these into MkDocs files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import symmle
from symmle.budget import context, die_with_parent
from symmle.checks import Check
from symmle.derive.result import Result
from symmle.families import get
from symmle.inference.steps import inference_section
from symmle.render.latex import to_latex
from symmle.render.templates import data_label, render
from symmle.site.figures import Figure, likelihood_figure


@dataclass(frozen=True)
class Summary:
    """A family's row of the cheat sheet."""

    parameters: str
    formulas: tuple[str, ...]
    method: str


@dataclass(frozen=True)
class Page:
    """A generated Markdown page with its figures, the checks it shows and its place in the
    navigation (plain data, so that pages can be derived in worker processes)."""

    path: str
    title: str
    summary: str
    markdown: str
    figures: tuple[Figure, ...] = ()
    checks: tuple[tuple[str, Check], ...] = ()
    section: str = ""
    row: Summary | None = None


GROUPS = {
    "discrete": "Discrete families",
    "continuous": "Continuous families",
    "boundary": "Boundary and robust",
    "numeric": "No closed form",
}


def group(example: Result) -> str:
    """The navigation section of a family, from the method of its worked example."""
    if example.method in ("boundary", "numeric"):
        return GROUPS[example.method]
    return GROUPS["discrete" if example.family.discrete else "continuous"]


def summary_row(general: Result) -> Summary:
    estimate = [s for s in general.steps if s.kind == "estimate"]
    # A | would end the Markdown table cell: write |x| with \vert.
    formulas = (
        tuple(to_latex(eq).replace("|", r"\vert ") for eq in estimate[0].expr.args)
        if estimate
        else ()
    )
    names = ", ".join(p.name for p in general.family.parameters) or "p_1, …, p_k"
    return Summary(names, formulas, general.method)


def family_page(name: str) -> Page:
    family = get(name)
    example = symmle.mle(name, data=family.example, known=dict(family.example_known))
    general = symmle.mle(name)
    figure = likelihood_figure(example)
    label = data_label(example)
    inference, inference_checks = inference_section(general, example)
    checks = tuple(
        [(f"Worked example {label}", c) for c in example.checks]
        + [("General n", c) for c in general.checks]
        + list(inference_checks)
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
        inference=inference,
    )
    summary = f"the worked example {label} ({estimate}) and the general n."
    row = summary_row(general)
    return Page(
        f"{name}.md", family.title, summary, markdown, (figure,), checks, group(example), row
    )


def builders() -> list[Callable[[], Page]]:
    """Every derived page, in the order of the navigation."""
    from symmle.site.loss_pages import loss_builders  # they build on Page: imported here
    from symmle.site.model_pages import model_builders
    from symmle.site.theory import builders as theory_builders

    return [
        *(partial(family_page, name) for name in symmle.families()),
        *loss_builders(),
        *model_builders(),
        *theory_builders(),
    ]


def call(build: Callable[[], Page]) -> Page:
    return build()


def derive_pages(jobs: Sequence[Callable[[], Page]]) -> Iterator[Page]:
    """The pages, derived on every core (SymPy is single-threaded)."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2:
        yield from map(call, jobs)
        return
    pool = ProcessPoolExecutor(workers, mp_context=context(), initializer=die_with_parent)
    try:
        yield from pool.map(call, jobs)
    except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: no worker goes on
        for worker in list(pool._processes.values()):
            worker.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def site_pages(progress: Callable[[Page], None] = lambda page: None) -> list[Page]:
    """Every page of the site: home, the cheat sheet, the derivations, and all checks."""
    derived: list[Page] = []
    for page in derive_pages(builders()):
        derived.append(page)
        progress(page)
    families = [p for p in derived if p.row is not None]
    return [home_page(derived), summary_page(families), *derived, checks_page(derived)]


def navigation(pages: Sequence[Page]) -> list[dict[str, Any]]:
    """The MkDocs nav: home, the cheat sheet, each section's pages in order, the checks."""
    sections: dict[str, list[dict[str, str]]] = {title: [] for title in GROUPS.values()}
    for page in pages:
        if page.section:
            sections.setdefault(page.section, []).append({page.title: page.path})
    return [
        {"Home": "index.md"},
        {"Cheat sheet": "summary.md"},
        *({title: entries} for title, entries in sections.items() if entries),
        {"Checks": "checks.md"},
    ]


def summary_page(families: Sequence[Page]) -> Page:
    """One table of every family: parameters, MLE formula and method."""
    markdown = render("pages/summary.md.jinja", pages=families, groups=GROUPS.values())
    return Page("summary.md", "Cheat sheet", "every family's MLE in one table.", markdown)


def home_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/index.md.jinja", pages=pages)
    return Page("index.md", "Home", "", markdown)


def checks_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/checks.md.jinja", pages=pages)
    return Page("checks.md", "Checks", "", markdown)
