"""A derivation as terminal text, Markdown, LaTeX or JSON: one printer per format, in PRINTERS."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from symmle.censored import CensoredResult
from symmle.checks import Check
from symmle.derive.step import Step
from symmle.errors import RegularityError
from symmle.inference.steps import standard_errors_step
from symmle.losses import LossResult
from symmle.models import RegressionResult
from symmle.models.intervals import inference_summary
from symmle.printing.latex import latex
from symmle.printing.prose import prose, tex
from symmle.render.censored import censored_summary, censored_title
from symmle.render.forms import FORMATS
from symmle.render.templates import loss_title, mle_title, render
from symmle.render.vector import vector_inference_text, vector_summary, vector_title
from symmle.results import Result
from symmle.vector import VectorResult


def indent(text: str, by: str = "     ") -> str:
    return "\n".join(by + line if line else line for line in text.split("\n"))


def table_text(rows: Sequence[Sequence[str]]) -> str:
    """A step's table as aligned columns."""
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def steps_text(steps: Sequence[Step]) -> str:
    blocks = []
    for number, step in enumerate(steps, start=1):
        block = f"{number}. {step.title}\n{indent(step.text)}\n\n{indent(step.unicode)}"
        if step.table:
            block += "\n" + indent(table_text(step.table))
        blocks.append(block.rstrip())
    return "\n\n".join(blocks)


def checks_text(checks: Sequence[Check]) -> str:
    lines = [
        f"  [{'pass' if c.passed else 'FAIL'}] {c.name} "
        f"(error {c.error:.1e}, tolerance {c.tolerance:.0e})"
        for c in checks
    ]
    return "Numeric checks:\n" + "\n".join(lines)


def table_latex(rows: Sequence[Sequence[str]]) -> str:
    """A step's table as a tabular, header row first."""
    body = [" & ".join(prose(cell) for cell in row) + r" \\" for row in rows]
    start = rf"\begin{{tabular}}{{{'r' * len(rows[0])}}}"
    return "\n".join([start, body[0], r"\hline", *body[1:], r"\end{tabular}"])


def step_latex(number: int, step: Step) -> str:
    parts = [rf"\subsection*{{{number}. {prose(step.title)}}}", tex(step.prose)]
    if step.table:
        parts.append(r"\par\medskip" + "\n" + table_latex(step.table) + "\n" + r"\par\medskip")
    if step.latex:
        parts.append(f"\\[\n{step.latex}\n\\]")
    return "\n".join(parts)


def steps_latex(steps: Sequence[Step]) -> str:
    return "\n\n".join(step_latex(n, s) for n, s in enumerate(steps, start=1))


PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage[margin=2cm]{geometry}
\begin{document}
"""


def standalone(fragment: str) -> str:
    """A LaTeX fragment as a whole document pdflatex compiles."""
    return PREAMBLE + fragment + "\\end{document}\n"


def steps_json(steps: Sequence[Step]) -> list[dict[str, str]]:
    return [{"kind": s.kind, "title": s.title, "latex": s.latex, "text": s.text} for s in steps]


def checks_json(checks: Sequence[Check]) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "passed": c.passed, "error": c.error, "tolerance": c.tolerance}
        for c in checks
    ]


def number(expr: sp.Expr) -> float | None:
    return float(expr) if not expr.free_symbols else None


def markdown_document(
    title: str, steps: Sequence[Step], checks: Sequence[Check], summary: dict[str, Any]
) -> str:
    rows = [(title, check) for check in checks]
    return render("document.md.jinja", title=title, steps=steps, checks=rows)


def latex_document(
    title: str, steps: Sequence[Step], checks: Sequence[Check], summary: dict[str, Any]
) -> str:
    return f"\\section*{{{prose(title)}}}\n\n{steps_latex(steps)}\n"


def json_document(
    title: str, steps: Sequence[Step], checks: Sequence[Check], summary: dict[str, Any]
) -> str:
    document = {**summary, "steps": steps_json(steps), "checks": checks_json(checks)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def text_document(
    title: str, steps: Sequence[Step], checks: Sequence[Check], summary: dict[str, Any]
) -> str:
    return f"{title}\n\n{steps_text(steps)}\n\n{checks_text(checks)}\n"


PRINTERS: dict[str, Callable[[str, Sequence[Step], Sequence[Check], dict[str, Any]], str]] = dict(
    zip(FORMATS, (text_document, markdown_document, latex_document, json_document), strict=True)
)
"""Each output format (symmle.render.forms names them) by name: a document from the title,
steps, checks and the summary that opens the JSON document. A new format is one function and
one name."""
STEPPED = ("markdown", "latex")
"""The formats that show the standard errors as a step (the text lists them after the checks,
the JSON in its summary)."""


def output(
    title: str, steps: Sequence[Step], checks: Sequence[Check], summary: dict[str, Any], form: str
) -> str:
    """A derivation in one of FORMATS."""
    return PRINTERS[form](title, steps, checks, summary)


def inference_json(result: Result) -> dict[str, Any]:
    """With data: the standard errors (expected and observed information), the 95% Wald
    intervals (or nulls and the reason there are none) and the 95% profile-likelihood
    intervals."""
    if result.data is None:
        return {}
    try:
        found = result.interval(method="profile")
        profile: dict[str, list[float]] | None = {name: list(e) for name, e in found.items()}
    except RegularityError:
        profile = None  # no Wald interval either: the note below says why
    try:
        wald: dict[str, Any] = {
            "standard_errors": result.standard_errors,
            "observed_standard_errors": result.observed_standard_errors,
            "intervals": {name: list(ends) for name, ends in result.interval().items()},
        }
    except RegularityError as error:
        wald = dict.fromkeys(("standard_errors", "observed_standard_errors", "intervals"))
        wald["inference_note"] = str(error)
    return {**wald, "profile_intervals": profile}


def digits(estimate: float, se: float) -> int:
    """Significant digits that show an estimate to a few digits of its standard error (1e+06
    would hide 1000002.17 ± 0.49)."""
    if not (se > 0 and np.isfinite(se) and np.isfinite(estimate) and estimate):
        return 4
    return max(4, min(15, int(np.log10(abs(estimate) / se)) + 3))


def inference_text(result: Result) -> str:
    """The standard errors, 95% Wald and profile-likelihood intervals as terminal lines."""
    found = inference_json(result)
    errors, profiles = found["standard_errors"] or {}, found["profile_intervals"] or {}
    note = f"No standard errors: {found['inference_note']}\n" if "inference_note" in found else ""
    if not profiles:
        return note
    rows = [("parameter", "estimate", "SE n·I(θ̂)", "SE −ℓ''(θ̂)", "95% Wald", "95% profile")]
    for name, (low, high) in profiles.items():
        estimate, se = float(result.estimate[name]), errors.get(name, float("nan"))
        places = digits(estimate, se)
        cells = ["—", "—", "—"]
        if name in errors:
            observed = found["observed_standard_errors"].get(name)
            wald_low, wald_high = found["intervals"][name]
            cells = [
                f"{se:.4g}",
                "—" if observed is None else f"{observed:.4g}",
                f"({wald_low:.{places}g}, {wald_high:.{places}g})",
            ]
        profile = f"({low:.{places}g}, {high:.{places}g})"
        rows.append((name, f"{estimate:.{max(places, 6)}g}", *cells, profile))
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    table = "\n".join("  " + t for t in lines)
    return f"{note}Standard errors, 95% Wald and profile-likelihood intervals:\n{table}\n"


def mle_output(result: Result, form: str) -> str:
    """The derivation of an MLE in one of FORMATS; with data, its standard errors and
    intervals too."""
    estimate = {
        name: {"expr": str(e), "latex": latex(e), "value": number(e)}
        for name, e in result.estimate.items()
    }
    summary = {"family": result.family.name, "method": result.method, "estimate": estimate}
    summary.update(inference_json(result))
    steps = result.steps
    if result.data is not None and form in STEPPED:
        steps = (*steps, standard_errors_step(result))
    done = output(mle_title(result), steps, result.checks, summary, form)
    if result.data is not None and form == "text":
        done += "\n" + inference_text(result)
    return done


def regression_output(result: RegressionResult, form: str) -> str:
    """The derivation and fit of a regression in one of FORMATS; with data, its standard
    errors, 95% Wald and profile-likelihood intervals."""
    summary = {
        "model": result.model.name,
        "estimate": result.estimate,
        "standard_errors": result.standard_errors,
        "log_likelihood": None if result.fit is None else result.fit.log_likelihood,
        **inference_summary(result),
    }
    return output(result.model.title, result.steps, result.checks, summary, form)


def loss_output(result: LossResult, form: str) -> str:
    """The derivation of a loss in one of FORMATS."""
    summary = {
        "family": result.family.name,
        "loss": result.name,
        "options": result.options,
        "expr": str(result.expr),
        "latex": latex(result.expr),
    }
    return output(loss_title(result), result.steps, result.checks, summary, form)


Derived = Result | LossResult | RegressionResult | CensoredResult | VectorResult


def document(result: Derived, form: str) -> str:
    """Any derivation in one of FORMATS, as the CLI prints it."""
    if isinstance(result, VectorResult):
        summary = vector_summary(result)
        done = output(vector_title(result), result.steps, result.checks, summary, form)
        return done + (vector_inference_text(result) if form == "text" else "")
    if isinstance(result, CensoredResult):
        summary = censored_summary(result)
        return output(censored_title(result), result.steps, result.checks, summary, form)
    if isinstance(result, Result):
        return mle_output(result, form)
    if isinstance(result, LossResult):
        return loss_output(result, form)
    return regression_output(result, form)


def title(result: Derived) -> str:
    """The title the documents of a derivation open with."""
    if isinstance(result, VectorResult):
        return vector_title(result)
    if isinstance(result, CensoredResult):
        return censored_title(result)
    if isinstance(result, Result):
        return mle_title(result)
    if isinstance(result, LossResult):
        return loss_title(result)
    return result.model.title
