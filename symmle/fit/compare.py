"""``symmle.compare``: every family whose support holds the data (or the ones named), fitted by
its compiled estimator, ranked by AIC, with BIC and the goodness-of-fit statistics of the
fitted CDF (Kolmogorov–Smirnov, Cramér–von Mises, Anderson–Darling), as fitdistrplus'
``gofstat`` tabulates them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from symmle.checks import frozen
from symmle.derive.compiled import Array
from symmle.derive.estimate import compiled_log_likelihood
from symmle.derive.general import general
from symmle.errors import DataError, OptionError, SymmleError
from symmle.extras import require_matplotlib
from symmle.families import Distribution, get
from symmle.families import families as catalogue
from symmle.fit.arrays import as_numpy
from symmle.fit.diagnostics import Fitted, diagnostic_plots
from symmle.fit.estimate import fit
from symmle.numeric.quantiles import chi2_tail
from symmle.render.compare import comparison_output


@dataclass(frozen=True)
class Candidate:
    """One family fitted to the data, with its criteria and statistics."""

    family: str
    title: str
    estimate: dict[str, float]
    log_likelihood: float
    parameters: int
    aic: float
    bic: float
    ks: float | None
    """Kolmogorov–Smirnov D, Cramér–von Mises W², Anderson–Darling A² of the fitted CDF
    (continuous families; None for a pmf, whose CDF jumps)."""
    cvm: float | None
    ad: float | None
    ks_p: float | None = None
    """The KS p-value by parametric bootstrap (when asked for): the share of samples drawn
    from the fitted family, and fitted again, whose D is at least this one."""
    chi2: tuple[float, int, float] | None = None
    """For a pmf: Pearson's χ² on the counts binned so that each expects at least 5, its
    degrees of freedom (bins − 1 − k) and p-value."""


@dataclass(frozen=True)
class Nested:
    """The likelihood-ratio test of a family inside a larger one (exponential = gamma with
    α = 1): 2(ℓ̂_larger − ℓ̂_smaller), χ² with one degree of freedom."""

    smaller: str
    larger: str
    restriction: str
    statistic: float
    p_value: float


NESTED = (
    ("exponential", "gamma", "alpha = 1"),
    ("exponential", "weibull", "k = 1"),
    ("rayleigh", "weibull", "k = 2"),
)


@dataclass(frozen=True)
class Comparison:
    """The candidates sorted by AIC (best first), the families left out, with why, and the
    data they were fitted to."""

    size: int
    candidates: tuple[Candidate, ...]
    skipped: tuple[tuple[str, str], ...]
    nested: tuple[Nested, ...] = ()
    sample: Array = field(default_factory=lambda: np.empty(0), compare=False, repr=False)

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    def output(self, form: str = "text") -> str:
        """The table as text, Markdown or JSON."""
        tests = [vars(t) for t in self.nested]
        return comparison_output(self.size, rows(self), self.skipped, tests, NOTE, form)

    def fitted(self, top: int = 3) -> list[Fitted]:
        """The ``top`` best candidates (by AIC) with their fitted scipy.stats twins."""
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise OptionError(
                f"top is how many of the best families to show (1 or more), not {top!r}."
            )
        found = []
        for c in self.candidates[:top]:
            family = get(c.family)
            found.append(Fitted(c.family, c.title, family.discrete, frozen(family, c.estimate)))
        return found

    def plots(self, top: int = 3) -> dict[str, str]:
        """fitdistrplus' four diagnostic plots of the ``top`` best families as SVG text:
        "density" (over the data's histogram), "cdf" (over the empirical CDF), "qq", "pp"."""
        fitted = self.fitted(top)
        require_matplotlib("Comparison.plots")
        return diagnostic_plots(self.sample, fitted)

    def __str__(self) -> str:
        return self.output()

    def _repr_markdown_(self) -> str:
        return self.output("markdown")


NOTE = (
    "The textbook p-values of KS, CvM and AD assume parameters fixed in advance; with "
    "estimated parameters they are wrong, so none are shown: bootstrap=N gives the KS p-value "
    "by parametric bootstrap."
)


def compare(
    x: Any, families: Iterable[str] | None = None, bootstrap: int = 0, seed: int = 0
) -> Comparison:
    """Fit every family without constants whose support holds ``x`` (or the ones named) and
    rank them by AIC = 2k − 2ℓ̂; with ``bootstrap`` = N, each KS p-value from N samples of
    the fitted family (seeded)."""
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise OptionError(f"bootstrap is a number of samples (0 for none), not {bootstrap!r}.")
    sample = np.asarray(as_numpy(x).data, dtype=float)
    if not np.all(np.isfinite(sample)):
        raise DataError("the data hold NaN or an infinite value: remove them to compare families.")
    candidates, skipped = [], []
    for family in chosen(families, sample):
        try:
            candidates.append(candidate(family, sample))
        except SymmleError as error:
            skipped.append((family.name, str(error)))
    if not candidates:
        raise DataError(
            "no family could be fitted to these values: "
            + "; ".join(f"{name}: {why}" for name, why in skipped)
        )
    if bootstrap:
        rng = np.random.default_rng(seed)
        candidates = [with_bootstrap(c, sample.size, bootstrap, rng) for c in candidates]
    ranked = tuple(sorted(candidates, key=lambda c: c.aic))
    return Comparison(int(sample.size), ranked, tuple(skipped), nested_tests(ranked), sample)


def nested_tests(candidates: Sequence[Candidate]) -> tuple[Nested, ...]:
    """The likelihood-ratio test of each nested pair that was fitted."""
    found = {c.family: c for c in candidates}
    tests = []
    for smaller, larger, restriction in NESTED:
        if smaller in found and larger in found:
            statistic = max(0.0, 2 * (found[larger].log_likelihood - found[smaller].log_likelihood))
            p_value = chi2_tail(statistic, 1)
            tests.append(Nested(smaller, larger, restriction, statistic, p_value))
    return tuple(tests)


def with_bootstrap(c: Candidate, size: int, samples: int, rng: np.random.Generator) -> Candidate:
    """The candidate with its KS p-value by parametric bootstrap (pmfs: none)."""
    if c.ks is None:
        return c
    family = get(c.family)
    twin = frozen(family, c.estimate)
    larger = 0
    done = 0
    for _ in range(samples):
        drawn = np.asarray(twin.rvs(size=size, random_state=rng), float)
        try:
            refitted = fit(family.name, drawn)
        except SymmleError:  # a drawn sample with no estimate (all equal): not counted
            continue
        done += 1
        larger += fit_statistics(frozen(family, refitted).cdf, drawn)[0] >= c.ks
    return replace(c, ks_p=(1 + larger) / (1 + done))


def chosen(names: Iterable[str] | None, sample: Array) -> list[Distribution]:
    """The named families, or every family without constants of the data's kind: the pmfs for
    integers, the pdfs otherwise (a likelihood of probabilities and one of densities are not
    on one scale)."""
    if names is not None:
        picked = [get(name) for name in names]
        for family in picked:
            if family.constants or family.sized is not None:
                needs = ", ".join(c.name for c in family.constants) or "k"
                raise OptionError(
                    f"the {family.title} needs {needs} known: fit it with symmle.fit, which "
                    "takes known=."
                )
        return picked
    integers = bool(np.all(sample == np.round(sample)))  # counts: the pmfs, else the pdfs
    return [get(name) for name in comparable(integers)]


def comparable(discrete: bool) -> list[str]:
    """The families compare fits by default: those without constants, of one kind (pmfs or
    pdfs), with a scipy.stats twin."""
    return [
        family.name
        for family in map(get, catalogue("scalar"))
        if not family.constants
        and family.sized is None
        and family.discrete == discrete
        and family.scipy is not None
    ]


def candidate(family: Distribution, sample: Array) -> Candidate:
    estimate = fit(family.name, sample)
    ell = log_likelihood(family, sample, estimate)
    if not math.isfinite(ell):
        raise DataError(f"the log-likelihood at the estimate is {ell}.")
    k, n = len(family.parameters), sample.size
    ks = cvm = ad = chi2 = None
    if family.discrete:
        chi2 = pearson(frozen(family, estimate), sample, k)
    else:
        ks, cvm, ad = fit_statistics(frozen(family, estimate).cdf, sample)
    return Candidate(
        family.name,
        family.title,
        estimate,
        ell,
        k,
        2 * k - 2 * ell,
        k * math.log(n) - 2 * ell,
        ks,
        cvm,
        ad,
        chi2=chi2,
    )


EXPECTED = 5.0
"""The count each bin of Pearson's χ² should expect, at least."""


def pearson(twin: Any, sample: Array, k: int) -> tuple[float, int, float] | None:
    """χ² = Σ (O − E)²/E over ``pearson_bins``, with bins − 1 − k degrees of freedom; None
    when none are left."""
    observed, expected = pearson_bins(twin, sample)
    df = observed.size - 1 - k
    if df < 1:
        return None
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return statistic, df, chi2_tail(statistic, df)


def pearson_bins(twin: Any, sample: Array) -> tuple[Array, Array]:
    """Observed and expected counts of the values from min to max yᵢ, the tails pooled into
    the end bins (so that the expected counts sum to n) and neighbours merged until each
    expects at least EXPECTED."""
    values, observed = np.unique(sample, return_counts=True)
    points = np.arange(values[0], values[-1] + 1)
    counts = np.zeros(points.size)
    counts[(values - values[0]).astype(int)] = observed
    mass = np.asarray(twin.pmf(points), float)
    mass[0], mass[-1] = twin.cdf(points[0]), twin.sf(points[-1] - 1) if points.size > 1 else 1.0
    bins: list[list[float]] = []
    for o, e in zip(counts, sample.size * mass, strict=True):
        if bins and bins[-1][1] < EXPECTED:
            bins[-1][0] += o
            bins[-1][1] += e
        else:
            bins.append([o, e])
    if len(bins) > 1 and bins[-1][1] < EXPECTED:
        last = bins.pop()
        bins[-1] = [bins[-1][0] + last[0], bins[-1][1] + last[1]]
    found = np.array(bins)
    return found[:, 0], found[:, 1]


def log_likelihood(family: Distribution, sample: Array, estimate: dict[str, float]) -> float:
    """ℓ at the estimate, from the derivation's log-likelihood compiled on the sample."""
    ell = compiled_log_likelihood(general(family), sample)
    return float(ell([estimate[p.name] for p in family.parameters])[0])


def fit_statistics(cdf: Any, sample: Array) -> tuple[float, float, float]:
    """Kolmogorov–Smirnov D, Cramér–von Mises W² and Anderson–Darling A² of the fitted CDF,
    from one evaluation of it at the sorted sample uᵢ = F(y₍ᵢ₎) (scipy.stats' kstest and
    cramervonmises each evaluate it again)."""
    u = np.asarray(cdf(np.sort(sample)), float)
    n = u.size
    i = np.arange(1, n + 1)
    ks = float(max(np.max(i / n - u), np.max(u - (i - 1) / n)))
    cvm = float(1 / (12 * n) + np.sum((u - (2 * i - 1) / (2 * n)) ** 2))
    clipped = np.clip(u, 1e-300, 1 - 1e-16)  # log 0 at a value the fit puts on its edge
    ad = float(-n - np.mean((2 * i - 1) * (np.log(clipped) + np.log1p(-clipped[::-1]))))
    return ks, cvm, ad


def rows(comparison: Comparison) -> Sequence[dict[str, Any]]:
    """The candidates as plain records (for the output formats)."""
    return [
        {
            "family": c.family,
            "parameters": c.parameters,
            "log_likelihood": c.log_likelihood,
            "aic": c.aic,
            "bic": c.bic,
            "ks": c.ks,
            "cvm": c.cvm,
            "ad": c.ad,
            "ks_p": c.ks_p,
            "chi2": None
            if c.chi2 is None
            else dict(zip(("statistic", "df", "p"), c.chi2, strict=True)),
            "estimate": c.estimate,
        }
        for c in comparison.candidates
    ]
