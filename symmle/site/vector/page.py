"""A page per vector family: the derivation for n rows of k values, the worked example, its
standard errors and Wald intervals, a larger seeded sample, the figure and the checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import sympy as sp

import symmle
from symmle.checks import Check
from symmle.families.vector import VECTOR
from symmle.printing.latex import latex
from symmle.printing.notation import hat
from symmle.render.templates import render
from symmle.site.page import Page, Summary
from symmle.site.vector.checks import dirichlet_general_checks, numpy_check, standard_error_check
from symmle.site.vector.figures import vector_figure
from symmle.site.vector.samples import SAMPLES, Sample
from symmle.vector import VectorResult

SECTION = "Vector observations"
TITLES = {
    "multivariate_normal": "Multivariate Normal",
    "multinomial": "Multinomial",
    "dirichlet": "Dirichlet",
}


@dataclass(frozen=True)
class Worked:
    """A family's three derivations: n rows, the worked example, the larger sample."""

    general: VectorResult
    example: VectorResult
    sample: VectorResult
    drawn: Sample


def vector_result(name: str, rows: Any = None) -> VectorResult:
    found = symmle.mle(name, data=rows)
    assert isinstance(found, VectorResult)
    return found


def derive(name: str) -> Worked:
    drawn = SAMPLES[name]()
    return Worked(
        vector_result(name),
        vector_result(name, VECTOR[name].example),
        vector_result(name, drawn.rows),
        drawn,
    )


def inference_rows(result: VectorResult) -> list[dict[str, Any]]:
    """Each parameter with a standard error: its symbol, estimate, SE and Wald interval."""
    intervals = result.interval()
    return [
        {
            "symbol": latex(hat(sp.Symbol(name))),
            "estimate": sum(intervals[name]) / 2,  # a Wald interval is centred on the estimate
            "se": se,
            "interval": intervals[name],
        }
        for name, se in result.standard_errors.items()
    ]


def general_checks(worked: Worked) -> list[Check]:
    """The page's own checks of the derivation for n rows: the Dirichlet's score and Hessian
    (the others' general solutions are checked at the worked example by the engine)."""
    if worked.example.family.name != "dirichlet":
        return []
    return dirichlet_general_checks(worked.general, worked.example)


def checks(worked: Worked) -> list[tuple[str, Check]]:
    """The derivations' own checks (those of n rows that repeat the worked example's once),
    then the page's: standard errors against scipy, the larger Normal sample against NumPy."""
    example, sample = worked.example, worked.sample
    seeded = f"Seeded sample, n = {sample.size}"
    found = [
        *(("General n", c) for c in worked.general.checks if c not in example.checks),
        *(("General n", c) for c in general_checks(worked)),
        *(("Worked example", c) for c in example.checks),
        ("Worked example", standard_error_check(example)),
        *((seeded, c) for c in sample.checks),
        (seeded, standard_error_check(sample)),
    ]
    if example.family.name == "multivariate_normal":
        found.append((seeded, numpy_check(sample)))
    return found


def python_rows(rows: Any) -> str:
    return "[" + ", ".join("[" + ", ".join(repr(v) for v in row) + "]" for row in rows) + "]"


def vector_page(name: str) -> Page:
    worked = derive(name)
    figure = vector_figure(worked.example, worked.sample, worked.drawn)
    shown = checks(worked)
    example = VECTOR[name].example
    estimate = next(s for s in worked.sample.steps if s.kind == "estimate")
    markdown = render(
        "pages/vector.md.jinja",
        name=name,
        worked=worked,
        code=python_rows(example),
        cli=";".join(",".join(str(v) for v in row) for row in example),
        example_errors=inference_rows(worked.example),
        sample_errors=inference_rows(worked.sample),
        sample_estimate=estimate.latex,
        figure=figure,
        checks=shown,
    )
    label = "; ".join("(" + ", ".join(str(v) for v in row) + ")" for row in example)
    summary = f"the derivation for n rows of k values and the worked example {label}."
    rows = (sheet_row(worked.general),)
    return Page(
        f"{name}.md", TITLES[name], summary, markdown, (figure,), tuple(shown), SECTION, rows
    )


NOTES = {
    "multivariate_normal": (
        r"with $A = \sum_i (y_i - \bar{y})(y_i - \bar{y})^T$ (biased by $(n-1)/n$)"
    ),
    "multinomial": r"with $T_j = \sum_i x_{ij}$, $m$ trials per row",
    "dirichlet": r"with $S_j = \sum_i \log x_{ij}$, by Newton's method",
}
PARAMETERS = {
    "multivariate_normal": r"\mu, \Sigma",
    "multinomial": r"p_{1}, \dots, p_{k}",
    "dirichlet": r"\alpha_{1}, \dots, \alpha_{k}",
}


def sheet_row(general: VectorResult) -> Summary:
    """The cheat sheet's row: the general estimate, or the score equations the Dirichlet's
    numeric estimate solves."""
    kind = "estimate" if general.method != "numeric" else "score"
    step = next(s for s in general.steps if s.kind == kind)
    equations = step.expr.args if isinstance(step.expr, sp.Tuple) else (sp.Eq(step.expr.rhs, 0),)
    formulas = tuple(latex(eq).replace("|", r"\vert ") for eq in equations)
    name = general.family.name
    return Summary(TITLES[name], PARAMETERS[name], formulas, general.method, NOTES[name])


def vector_builders() -> list[Callable[[], Page]]:
    return [partial(vector_page, name) for name in TITLES]
