"""The "Which distribution?" section: case studies of symmle.compare on the public-domain data
sets shipped with symmle, each with the ranked table, the four diagnostic plots, the
likelihood-ratio tests and links to the derivations of the best families."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import stats

from symmle.checks import Check, compare, log_density
from symmle.datasets import Dataset, load
from symmle.derive.compiled import Array
from symmle.fit.compare import (
    NOTE,
    Candidate,
    Comparison,
    comparable,
    pearson_bins,
    rows,
)
from symmle.fit.compare import compare as compare_families
from symmle.fit.diagnostics import Fitted
from symmle.render.compare import comparison_output
from symmle.render.templates import render
from symmle.site.figures import Figure
from symmle.site.page import Page

SECTION = "Which distribution?"
TOP = 3


@dataclass(frozen=True)
class Study:
    """A case study: the data set, its page's title, whether the values are counts (else the
    pdfs are compared, whole numbers or not) and a paragraph on the data."""

    dataset: str
    title: str
    counts: bool
    about: str


STUDIES = (
    Study(
        "strikes",
        "Strike durations",
        False,
        "Strike durations are waiting times: positive and skewed to the right. The exponential, "
        "whose hazard is constant, is the simplest candidate; the gamma and the Weibull let the "
        "chance that a strike ends fall or rise with its age, and contain the exponential. The "
        "durations are whole days but measure a continuous time, so the densities are "
        "compared.",
    ),
    Study(
        "nile",
        "The Nile's annual flow",
        False,
        "A river's yearly flow is positive and far from zero, so symmetric families compete with "
        "the skewed positive ones. (The series has a change point in 1898, the problem Cobb "
        "studied; here the 100 years are one sample, their order ignored.) The volumes are "
        "whole numbers of 10⁸ m³ but measure a continuous quantity: the densities are "
        "compared.",
    ),
    Study(
        "horse_kicks",
        "Deaths by horse kick",
        True,
        "Bortkiewicz's example of the law of small numbers: a rare event with many chances to "
        "happen. Among the count families without a known constant only the Poisson holds 0 in "
        "its support (the geometric counts trials from 1, the Bernoulli only 0 and 1), so the "
        "question is not which family but whether the Poisson fits: Pearson's χ² on the binned "
        "counts answers it.",
    ),
)


def plots(study: Study, found: Comparison) -> tuple[Figure, ...]:
    captions = {
        "density": "The data's histogram (counts: their shares) and the fitted densities.",
        "cdf": "The empirical CDF and the fitted CDFs.",
        "qq": "Q–Q: the sorted data against each family's quantiles at R's plotting positions; "
        "on the line where the family fits.",
        "pp": "P–P: the plotting positions against each fitted CDF at the sorted data; on the "
        "line where the family fits.",
    }
    return tuple(
        Figure(f"{study.dataset}-{name}.svg", image, captions[name], captions[name])
        for name, image in found.plots(TOP).items()
    )


def checks(found: Comparison, fitted: list[Fitted]) -> list[tuple[str, Check]]:
    """ℓ of each shown family from the compiled derivation against scipy's log-densities at
    the estimate; its KS D against scipy.stats.kstest, or its χ² against
    scipy.stats.chisquare on the same bins."""
    sample, found_checks = found.sample, []
    for c, f in zip(found.candidates, fitted, strict=False):
        ell = float(np.sum(log_density(f.twin, sample)))
        found_checks.append(
            (c.title, compare("ℓ equals scipy's log-density sum", c.log_likelihood, ell, 1e-9))
        )
        found_checks.append((c.title, statistic_check(c, f, sample)))
    return found_checks


def statistic_check(c: Candidate, f: Fitted, sample: Array) -> Check:
    if c.ks is not None:
        return compare(
            "KS D equals scipy.stats.kstest", c.ks, stats.kstest(sample, f.twin.cdf).statistic, 1e-9
        )
    observed, expected = pearson_bins(f.twin, sample)
    oracle = stats.chisquare(observed, expected, ddof=c.parameters).statistic
    got = np.nan if c.chi2 is None else c.chi2[0]
    return compare("χ² equals scipy.stats.chisquare", got, oracle, 1e-9)


def study_page(study: Study) -> Page:
    data: Dataset = load(study.dataset)
    families = None if study.counts else comparable(discrete=False)
    found = compare_families(data.values, families)
    fitted = found.fitted(TOP)
    figures = plots(study, found)
    table = comparison_output(found.size, rows(found), found.skipped, [], NOTE, "markdown")
    shown = checks(found, fitted)
    markdown = render(
        "pages/compare.md.jinja",
        study=study,
        data=data,
        found=found,
        best=found.candidates[:TOP],
        table=table,
        figures=figures,
        checks=shown,
        estimates={c.family: estimate_text(c) for c in found.candidates[:TOP]},
        families=families,
    )
    summary = f"{data.values.size} values; {found.best.title} ranks first by AIC."
    return Page(
        f"which-{study.dataset.replace('_', '-')}.md",
        study.title,
        summary,
        markdown,
        figures,
        tuple(shown),
        SECTION,
    )


def estimate_text(c: Candidate) -> str:
    return ", ".join(f"{name} = {value:.4g}" for name, value in c.estimate.items())


def compare_builders() -> list[Callable[[], Page]]:
    return [partial(study_page, study) for study in STUDIES]
