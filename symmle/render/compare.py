"""The table of ``symmle.compare`` as terminal text, Markdown, LaTeX or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from symmle.printing.prose import prose

COLUMNS = (
    "family",
    "k",
    "ℓ",
    "AIC",
    "BIC",
    "KS D",
    "KS p",
    "CvM W²",
    "AD A²",
    "χ² (df), p",
    "estimate",
)


def cells(row: Mapping[str, Any]) -> tuple[str, ...]:
    def statistic(v: float | None) -> str:
        return "—" if v is None else f"{v:.4g}"

    estimate = ", ".join(f"{k} = {v:.6g}" for k, v in row["estimate"].items())
    return (
        row["family"],
        str(row["parameters"]),
        f"{row['log_likelihood']:.6g}",
        f"{row['aic']:.6g}",
        f"{row['bic']:.6g}",
        statistic(row["ks"]),
        statistic(row["ks_p"]),
        statistic(row["cvm"]),
        statistic(row["ad"]),
        "—" if row["chi2"] is None else pearson_cell(row["chi2"]),
        estimate,
    )


def pearson_cell(chi2: Mapping[str, float]) -> str:
    return f"{chi2['statistic']:.4g} ({chi2['df']:g}), {chi2['p']:.3g}"


def comparison_output(
    size: int,
    rows: Sequence[Mapping[str, Any]],
    skipped: Sequence[tuple[str, str]],
    nested: Sequence[Mapping[str, Any]],
    note: str,
    form: str,
) -> str:
    """The comparison in one of FORMATS (symmle.render.forms), like a derivation."""
    if form == "json":
        document = {
            "n": size,
            "candidates": list(rows),
            "nested": list(nested),
            "skipped": dict(skipped),
            "note": note,
        }
        return json.dumps(document, indent=2) + "\n"
    table = [COLUMNS, *(cells(r) for r in rows)]
    heading = f"Families ranked by AIC, n = {size}"
    more = [
        f"Likelihood ratio, {t['smaller']} inside {t['larger']} ({t['restriction']}): "
        f"2Δℓ = {t['statistic']:.4g}, p = {t['p_value']:.3g} (χ², 1 degree of freedom)"
        for t in nested
    ]
    more += [f"Not fitted: {name} ({why})" for name, why in skipped]
    return PRINTERS[form](heading, table, note, more)


def markdown_table(heading: str, table: Sequence[Sequence[str]], note: str, more: list[str]) -> str:
    lines = ["| " + " | ".join(row) + " |" for row in table]
    lines.insert(1, "| " + " | ".join("---" for _ in COLUMNS) + " |")
    return "\n\n".join(["\n".join(lines), note, *more]) + "\n"


def text_table(heading: str, table: Sequence[Sequence[str]], note: str, more: list[str]) -> str:
    widths = [max(len(row[k]) for row in table) for k in range(len(COLUMNS))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    return "\n".join([heading, *("  " + t for t in lines), note, *more]) + "\n"


def latex_table(heading: str, table: Sequence[Sequence[str]], note: str, more: list[str]) -> str:
    """A LaTeX fragment (amsmath's preamble, as every result's LaTeX): the table as a
    tabular, every cell's words escaped and its symbols in math."""
    rows = [" & ".join(prose(cell) for cell in row) + r" \\" for row in table]
    spec = "l" + "r" * (len(COLUMNS) - 2) + "l"
    tabular = [rf"\begin{{tabular}}{{{spec}}}", rows[0], r"\hline", *rows[1:], r"\end{tabular}"]
    items = [r"\begin{itemize}", *(rf"\item {prose(m)}" for m in more), r"\end{itemize}"]
    parts = [
        rf"\section*{{{prose(heading)}}}",
        "{\\footnotesize\\setlength{\\tabcolsep}{3pt}\\noindent\n"
        + "\n".join(tabular)
        + "\n\\par}",
        prose(note),
        *(["\n".join(items)] if more else []),
    ]
    return "\n\n".join(parts) + "\n"


PRINTERS = {"text": text_table, "markdown": markdown_table, "latex": latex_table}
