"""A page per family: the worked example, the general n, the figure, inference and checks."""

from __future__ import annotations

import sympy as sp

import symmle
from symmle.derive.textbook import estimating_equations
from symmle.families import get
from symmle.inference.steps import inference_section
from symmle.printing.latex import latex, to_latex
from symmle.printing.notation import hat
from symmle.render.templates import data_label, render
from symmle.results import Result
from symmle.site.figures import likelihood_figure, profile_figure
from symmle.site.page import GROUPS, Page, Summary


def group(example: Result) -> str:
    """The navigation section of a family, from the method of its worked example."""
    if example.method in ("boundary", "numeric"):
        return GROUPS[example.method]
    return GROUPS["discrete" if example.family.discrete else "continuous"]


def summary_row(general: Result) -> Summary:
    """The estimate's formulas, or the equations a numeric estimate solves; the parameters'
    symbols."""
    g = general.general
    if general.method == "numeric":
        estimates = {s: hat(s) for s in g.family.symbols}
        solved = estimating_equations(g.family.symbols, g.score, g.plan.profiled, g.form.statistics)
        equations = [eq.xreplace(estimates) for eq in solved]
    else:
        estimate = [s for s in general.steps if s.kind == "estimate"]
        equations = list(estimate[0].expr.args) if estimate else []
    # A | would end the Markdown table cell: write |x| with \vert.
    formulas = tuple(to_latex(eq).replace("|", r"\vert ") for eq in equations)
    symbols = ", ".join(latex(s) for s in general.family.symbols)
    parameters = symbols or r"p_{1}, \dots, p_{k}"
    return Summary(general.family.title, parameters, formulas, general.method)


def family_page(name: str) -> Page:
    family = get(name)
    example = symmle.mle(name, data=family.example, known=dict(family.example_known))
    general = symmle.mle(name)
    figure = likelihood_figure(example)
    profiles = profile_figure(example)
    label = data_label(example)
    inference, inference_checks = inference_section(general, example)
    checks = tuple(
        [(f"Worked example {label}", c) for c in example.checks]
        + [("General n", c) for c in general.checks]
        + list(inference_checks)
    )
    estimate = ", ".join(f"{k} = {shown(v)}" for k, v in example.estimate.items())
    markdown = render(
        "pages/family.md.jinja",
        family=family,
        example=example,
        general=general,
        example_label=label,
        figure=figure,
        checks=checks,
        inference=inference,
        profiles=profiles,
    )
    summary = f"the worked example {label} ({estimate}) and the general n."
    row = summary_row(general)
    return Page(
        f"{name}.md",
        family.title,
        summary,
        markdown,
        (figure, *([profiles] if profiles else [])),
        checks,
        group(example),
        (row,),
    )


def shown(value: object) -> str:
    """An estimate in a summary: exact as it is, a Newton float to 6 significant digits (the
    last digits of an iteration are not part of the page)."""
    number = sp.sympify(value)
    return str(number) if number.is_Rational or not number.is_Float else f"{float(number):.6g}"
