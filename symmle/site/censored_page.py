"""The page "Right-censored data": survival times some of which are only known to lie beyond a
time, worked by hand for the exponential (λ̂ = d/Σtᵢ), then the Weibull with both parameters
unknown, with the Kaplan–Meier curve against the fitted survival functions and the checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import stats

import symmle
from symmle.censored import CensoredResult
from symmle.censored.checks import scipy_log_likelihood
from symmle.censored.kaplan_meier import KaplanMeier, kaplan_meier
from symmle.checks import Check, compare
from symmle.derive.censored.numeric import Split
from symmle.derive.censored.sample import CENSORABLE
from symmle.families import Distribution
from symmle.numeric.covariance import standard_errors
from symmle.printing.latex import inline, latex
from symmle.render.templates import render
from symmle.results import Result
from symmle.site.figures import Figure, single
from symmle.site.page import Page
from symmle.site.sheet_rows import censored_row
from symmle.symbols import value

SECTION = "Censored data"
TIMES = (2, 3, 3, 5, 8, 9)
OBSERVED = (True, True, False, True, False, True)
"""The worked example: 2, 3, 3+, 5, 8+, 9 (a + marks a censored time)."""
EXAMPLE = Split.of(np.array(TIMES, float), OBSERVED)
SEED = 16
"""The seeded sample on which the Kaplan–Meier estimate is checked beside the example's."""


@dataclass(frozen=True)
class Worked:
    """The page's derivations: the exponential on the example and for general n, the two
    naive estimates that mishandle the censored times, and the Weibull on the example."""

    exponential: CensoredResult
    general: CensoredResult
    dropped: Result
    as_events: Result
    weibull: CensoredResult
    families: tuple[CensoredResult, ...]
    """Every family that takes censored data, for general n: the cheat sheet's rows."""


def censored(name: str, observed: tuple[bool, ...] | bool = OBSERVED) -> CensoredResult:
    found = symmle.mle(name, data=None if observed is True else TIMES, observed=observed)
    assert isinstance(found, CensoredResult)
    return found


def derive() -> Worked:
    events = [t for t, seen in zip(TIMES, OBSERVED, strict=True) if seen]
    general = censored("exponential", True)  # also the cheat sheet's row: derived once
    return Worked(
        censored("exponential"),
        general,
        symmle.mle("exponential", data=events),
        symmle.mle("exponential", data=TIMES),
        censored("weibull"),
        tuple(general if name == "exponential" else censored(name, True) for name in CENSORABLE),
    )


@dataclass(frozen=True)
class Hand:
    """The worked example's numbers for the prose, as LaTeX and as code."""

    times: str
    events: str
    cli_times: str
    cli_events: str
    censored: int
    d: int
    total: str
    ell: str
    estimate: str
    estimate_text: str
    dropped: str
    as_events: str
    symbols: dict[str, str]


def by_hand(worked: Worked) -> Hand:
    flags = [int(seen) for seen in OBSERVED]
    lam = worked.exponential.estimate["lambda"]
    return Hand(
        str(list(TIMES)),
        str(flags),
        ",".join(map(str, TIMES)),
        ",".join(map(str, flags)),
        len(TIMES) - sum(flags),
        sum(flags),
        str(sum(TIMES)),
        latex(worked.exponential.log_likelihood),
        latex(lam),
        str(lam),
        latex(worked.dropped.estimate["lambda"]),
        latex(worked.as_events.estimate["lambda"]),
        {p.name: latex(p.symbol) for p in worked.weibull.family.parameters},
    )


def values(result: Result) -> dict[str, float]:
    return {name: float(v) for name, v in result.estimate.items()}


def survival(family: Distribution, at: Mapping[str, float]) -> Callable[[Any], Any]:
    """The catalogue's S(y) at the estimate, lambdified."""
    assert family.survival is not None
    fixed = {p.symbol: at[p.name] for p in family.parameters}
    fn = sp.lambdify(value, family.survival.subs(fixed), "numpy")
    return lambda t: np.broadcast_to(fn(np.asarray(t, float)), np.shape(t))


def survival_figure(worked: Worked, km: KaplanMeier) -> Figure:
    """The Kaplan–Meier steps, its censored times marked, under the fitted S(t)."""
    grid = np.linspace(0.0, 1.15 * max(TIMES), 300)
    censored = np.array([t for t, seen in zip(TIMES, OBSERVED, strict=True) if not seen], float)
    fitted = [
        ("exponential", worked.exponential, "#e91e63"),
        ("Weibull", worked.weibull, "#ff9800"),
    ]

    def draw(axes: Any) -> None:
        axes.plot(grid, km(grid), drawstyle="steps-post", color="#3f51b5", label="Kaplan–Meier")
        axes.plot(censored, km(censored), "+", color="#3f51b5", markersize=12, label="censored")
        for name, result, colour in fitted:
            shown = ", ".join(
                f"{inline(result.family.parameter(k).symbol)} = {v:.4g}"
                for k, v in values(result).items()
            )
            curve = survival(result.family, values(result))(grid)
            axes.plot(grid, curve, color=colour, label=f"fitted {name} ({shown})")
        axes.set_xlabel("time t")
        axes.set_ylabel("S(t) = P(T > t)")
        axes.set_ylim(-0.02, 1.02)
        axes.legend(fontsize=8)

    caption = (
        "The Kaplan–Meier estimate of the survival function of the worked example (steps, the "
        "censored times marked +) and the survival functions of the exponential and Weibull "
        "fitted by maximum likelihood to the same censored data."
    )
    return Figure("censored-survival.svg", single(draw), caption, caption)


def censored_sample() -> tuple[Any, Any]:
    """Seeded Weibull times censored by uniform ones, rounded so that times tie."""
    rng = np.random.default_rng(SEED)
    events, censoring = 2.0 * rng.weibull(1.5, 200), rng.uniform(0, 4, 200)
    return np.round(np.minimum(events, censoring), 1), events <= censoring


def km_check(name: str, times: Any, observed: Any) -> Check:
    """Ŝ against scipy.stats.ecdf of the same CensoredData, at every time and between."""
    t, seen = np.asarray(times, float), np.asarray(observed, bool)
    oracle = stats.ecdf(stats.CensoredData(uncensored=t[seen], right=t[~seen])).sf
    points = np.unique(t)
    grid = np.concatenate([points, (points[:-1] + points[1:]) / 2, [0.0, points[-1] + 1]])
    return compare(name, kaplan_meier(t, seen)(grid), oracle.evaluate(grid), 1e-12, 1.0)


def log_likelihood_check(result: CensoredResult) -> Check:
    """The example's ℓ, as derived (a SymPy expression), at the estimate against scipy."""
    at = values(result)
    ours = result.log_likelihood.subs({p.symbol: at[p.name] for p in result.family.parameters})
    return compare(
        "ℓ(θ̂) as derived equals scipy's Σ logpdf + Σ logsf",
        float(ours),
        scipy_log_likelihood(result.family, EXAMPLE, at),
        1e-12,
    )


def curvature(f: Callable[[Any], float], x: Any) -> Any:
    """The Hessian of f at x by central differences."""
    k, h = len(x), 1e-4 * np.maximum(np.abs(x), 1e-8)
    found = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            da, db = np.eye(k)[a] * h[a], np.eye(k)[b] * h[b]
            corners = f(x + da + db) - f(x + da - db) - f(x - da + db) + f(x - da - db)
            found[a, b] = corners / (4 * h[a] * h[b])
    return found


def standard_error_check(result: CensoredResult) -> Check:
    """The standard errors from the derived observed information against those from scipy's
    ℓ differentiated numerically."""
    names = list(result.estimate)
    at = np.array([values(result)[k] for k in names])

    def ell(x: Any) -> float:
        return scipy_log_likelihood(result.family, EXAMPLE, dict(zip(names, x, strict=True)))

    oracle = standard_errors(-curvature(ell, at))
    got = [result.standard_errors[k] for k in names]
    return compare("SE from −ℓ'' equals central differences of scipy's ℓ", got, oracle, 1e-5)


def checks(worked: Worked) -> list[tuple[str, Check]]:
    """The engine's checks of each derivation, then the page's own."""
    t, seen = np.array(TIMES, float), np.array(OBSERVED)
    by_hand = compare(
        "λ̂ equals d/Σtᵢ counted with NumPy",
        float(worked.exponential.estimate["lambda"]),
        seen.sum() / t.sum(),
        1e-15,
    )
    return [
        *(("Exponential, worked example", c) for c in worked.exponential.checks),
        *(("Exponential, general n", c) for c in worked.general.checks),
        *(("Weibull, worked example", c) for c in worked.weibull.checks),
        *(
            (f"{r.family.title}, general n", c)
            for r in worked.families
            if r.family.name != "exponential"  # its checks are above
            for c in r.checks
        ),
        ("Exponential, worked example", by_hand),
        ("Exponential, worked example", log_likelihood_check(worked.exponential)),
        ("Exponential, worked example", standard_error_check(worked.exponential)),
        ("Weibull, worked example", log_likelihood_check(worked.weibull)),
        ("Weibull, worked example", standard_error_check(worked.weibull)),
        ("Kaplan–Meier", km_check("Ŝ equals scipy.stats.ecdf: worked example", TIMES, OBSERVED)),
        ("Kaplan–Meier", km_check("Ŝ equals scipy.stats.ecdf: 200 tied times", *censored_sample())),
    ]


def km_rows(km: KaplanMeier) -> list[dict[str, Any]]:
    """The table of the estimate by hand: tⱼ, nⱼ, dⱼ and Ŝ after tⱼ."""
    return [
        {"time": f"{t:g}", "at_risk": int(r), "events": int(d), "survival": s}
        for t, r, d, s in zip(km.times, km.at_risk, km.events, km.survival, strict=True)
    ]


def censored_page() -> Page:
    worked = derive()
    km = kaplan_meier(TIMES, OBSERVED)
    figure = survival_figure(worked, km)
    shown = checks(worked)
    label = ", ".join(
        f"{t}" + ("" if seen else "+") for t, seen in zip(TIMES, OBSERVED, strict=True)
    )
    markdown = render(
        "pages/censored.md.jinja",
        worked=worked,
        label=label,
        hand=by_hand(worked),
        km=km_rows(km),
        standard_errors=worked.exponential.standard_errors,
        weibull_errors=worked.weibull.standard_errors,
        figure=figure,
        checks=shown,
    )
    summary = f"survival times {label} (+: censored): λ̂ = d/Σtᵢ, the Weibull, Kaplan–Meier."
    rows = tuple(censored_row(r) for r in worked.families)
    return Page(
        "censored.md",
        "Right-censored data",
        summary,
        markdown,
        (figure,),
        tuple(shown),
        SECTION,
        rows,
    )


def censored_builders() -> list[Callable[[], Page]]:
    return [censored_page]
