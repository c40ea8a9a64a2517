"""The estimates of ``symmle fit`` as terminal text or JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping


def number(v: float) -> float | None:
    """A float for JSON: NaN (no standard error) as null."""
    return v if math.isfinite(v) else None


def fit_output(
    family: str,
    title: str,
    method: str,
    size: int,
    estimate: Mapping[str, float],
    errors: Mapping[str, float] | None,
    form: str,
    events: int | None = None,
) -> str:
    """The estimates; ``events``, the number of events among right-censored times."""
    if form == "json":
        shown = None if errors is None else {k: number(v) for k, v in errors.items()}
        document = {
            "family": family,
            "method": method,
            "n": size,
            **({} if events is None else {"censored": True, "events": events}),
            "estimate": dict(estimate),
            "standard_errors": shown,
        }
        return json.dumps(document, indent=2) + "\n"
    width = max(len(name) for name in estimate)
    censored = "" if events is None else f", d = {events} events (right-censored)"
    lines = [f"{title} ({method}), n = {size}{censored}"]
    for name, v in estimate.items():
        se = "" if errors is None else f"   (se {errors[name]:.6g})".replace("se nan", "no se")
        lines.append(f"  {name:<{width}} = {v:.10g}{se}")
    return "\n".join(lines) + "\n"
