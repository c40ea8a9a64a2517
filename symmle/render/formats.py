"""A derivation as terminal text, LaTeX or JSON (Markdown comes from the templates)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sympy as sp

from symmle.checks import Check
from symmle.derive.result import Result
from symmle.derive.step import Step
from symmle.losses import LossResult
from symmle.models import RegressionResult
from symmle.render.latex import latex
from symmle.render.templates import loss_title, mle_title, render

FORMATS = ("text", "markdown", "latex", "json")


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


def steps_latex(steps: Sequence[Step]) -> str:
    return "\n\n".join(
        f"\\subsection*{{{n}. {s.title}}}\n{s.text}\n\\[\n{s.latex}\n\\]"
        for n, s in enumerate(steps, start=1)
    )


def steps_json(steps: Sequence[Step]) -> list[dict[str, str]]:
    return [{"kind": s.kind, "title": s.title, "latex": s.latex, "text": s.text} for s in steps]


def checks_json(checks: Sequence[Check]) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "passed": c.passed, "error": c.error, "tolerance": c.tolerance}
        for c in checks
    ]


def number(expr: sp.Expr) -> float | None:
    return float(expr) if not expr.free_symbols else None


def output(
    title: str, steps: Sequence[Step], checks: Sequence[Check], summary: dict[str, Any], form: str
) -> str:
    """A derivation in one of FORMATS; ``summary`` opens the JSON document."""
    if form == "markdown":
        rows = [(title, check) for check in checks]
        return render("document.md.jinja", title=title, steps=steps, checks=rows)
    if form == "latex":
        return f"\\section*{{{title}}}\n\n{steps_latex(steps)}\n"
    if form == "json":
        document = {**summary, "steps": steps_json(steps), "checks": checks_json(checks)}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return f"{title}\n\n{steps_text(steps)}\n\n{checks_text(checks)}\n"


def mle_output(result: Result, form: str) -> str:
    """The derivation of an MLE in one of FORMATS."""
    estimate = {
        name: {"expr": str(e), "latex": latex(e), "value": number(e)}
        for name, e in result.estimate.items()
    }
    summary = {"family": result.family.name, "method": result.method, "estimate": estimate}
    return output(mle_title(result), result.steps, result.checks, summary, form)


def regression_output(result: RegressionResult, form: str) -> str:
    """The derivation and fit of a regression in one of FORMATS."""
    summary = {
        "model": result.model.name,
        "estimate": result.estimate,
        "standard_errors": result.standard_errors,
        "log_likelihood": None if result.fit is None else result.fit.log_likelihood,
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
