"""A censored derivation in the output formats: its steps, checks and a summary (estimate,
observed-information standard errors and 95% Wald intervals)."""

from __future__ import annotations

from typing import Any

from symmle.censored import CensoredResult
from symmle.printing.latex import latex


def censored_title(result: CensoredResult) -> str:
    if result.data is None:
        return f"MLE of the {result.family.title} from right-censored data: general n"
    data = result.censored
    return (
        f"MLE of the {result.family.title} from right-censored data: n = {len(data)}, "
        f"{data.events_count} events"
    )


def censored_summary(result: CensoredResult) -> dict[str, Any]:
    estimate = {
        name: {
            "expr": str(e),
            "latex": latex(e),
            "value": None if e.free_symbols else float(e),
        }
        for name, e in result.estimate.items()
    }
    summary: dict[str, Any] = {
        "family": result.family.name,
        "method": result.method,
        "censored": True,
        "estimate": estimate,
    }
    if result.data is not None:
        summary["observed"] = list(result.censored.events)
        summary["standard_errors"] = result.standard_errors
        summary["intervals"] = {k: list(v) for k, v in result.interval().items()}
        profile = result.interval(method="profile")
        summary["profile_intervals"] = {k: list(v) for k, v in profile.items()}
    return summary
