"""Matplotlib drawings as SVG text that is identical from run to run (no date, a fixed hash
salt for the ids). Matplotlib is imported when something is drawn, not with symmle."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

STYLE: dict[Any, Any] = {"svg.hashsalt": "symmle", "svg.fonttype": "path", "font.size": 10}


def svg(
    draw: Callable[[Any], None],
    size: tuple[float, float] = (6.0, 3.6),
    panels: int = 1,
    rows: int = 1,
    margins: dict[str, float] | None = None,
) -> str:
    """Draw on fresh axes (an array of ``panels`` side by side, in ``rows`` rows when more than
    one) and return the SVG text, identical from run to run. Fixed ``margins``
    (subplots_adjust) save the extra drawing that tight_layout costs. A bare Figure, not
    pyplot: no backend is chosen for the caller's session."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=size)
        axes = figure.subplots(rows, panels)
        draw(axes)
        if margins is None:
            figure.tight_layout()
        else:
            figure.subplots_adjust(**margins)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
