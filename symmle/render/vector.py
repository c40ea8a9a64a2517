"""A derivation from vector observations in the output formats: its steps, checks and a
summary (the estimate as nested lists, standard errors and 95% Wald intervals)."""

from __future__ import annotations

from typing import Any

import sympy as sp

from symmle.printing.latex import latex
from symmle.vector import VectorResult


def vector_title(result: VectorResult) -> str:
    if result.data is None:
        return f"MLE of the {result.family.title}: n rows of k values"
    return f"MLE of the {result.family.title}: n = {result.size} rows of k = {result.columns}"


def value(expr: sp.Basic) -> Any:
    """A number, or nested lists of numbers for a matrix (None while symbols remain)."""
    if expr.free_symbols:
        return None
    if isinstance(expr, sp.MatrixBase):
        rows = [[float(v) for v in expr.row(r)] for r in range(expr.rows)]
        return [row[0] for row in rows] if expr.cols == 1 else rows
    return float(expr)


def vector_summary(result: VectorResult) -> dict[str, Any]:
    estimate = {
        name: {"expr": str(e), "latex": latex(e), "value": value(e)}
        for name, e in result.estimate.items()
    }
    summary: dict[str, Any] = {
        "family": result.family.name,
        "method": result.method,
        "estimate": estimate,
    }
    if result.data is not None:
        summary["standard_errors"] = result.standard_errors
        summary["intervals"] = {k: list(v) for k, v in result.interval().items()}
    return summary


def vector_inference_text(result: VectorResult) -> str:
    """With data: each parameter's estimate, standard error and 95% Wald interval."""
    if result.data is None:
        return ""
    pairs, intervals = result.wald_pairs(), result.interval()
    rows = [("parameter", "estimate", "SE", "95% Wald")]
    for name, (estimate, se) in pairs.items():
        low, high = intervals[name]
        rows.append((name, f"{estimate:.6g}", f"{se:.4g}", f"({low:.4g}, {high:.4g})"))
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return (
        "\nStandard errors and 95% Wald intervals:\n"
        + "\n".join("  " + line.rstrip() for line in lines)
        + "\n"
    )
