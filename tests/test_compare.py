"""symmle.compare: which family fits the data, ranked by AIC, with the goodness-of-fit
statistics of the fitted CDF; checked against scipy.stats on the same estimates."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

import symmle
from symmle.cli import main
from symmle.fit.compare import compare

RNG = np.random.default_rng(2026)
SAMPLES = {
    "gamma": RNG.gamma(2.5, 1 / 1.5, 10_000),
    "lognormal": RNG.lognormal(0.3, 0.6, 10_000),
    "weibull": 2.0 * RNG.weibull(1.7, 10_000),
}
TWINS = {
    "gamma": lambda e: stats.gamma(e["alpha"], scale=1 / e["beta"]),
    "lognormal": lambda e: stats.lognorm(e["sigma"], scale=np.exp(e["mu"])),
    "weibull": lambda e: stats.weibull_min(e["k"], scale=e["lambda"]),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_family_that_made_the_data_ranks_first(name: str) -> None:
    found = compare(SAMPLES[name])
    assert found.best.family == name
    aic = [c.aic for c in found.candidates]
    assert aic == sorted(aic)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_table_agrees_with_scipy_at_symmles_estimates(name: str) -> None:
    """ℓ is scipy's log-density sum; D and W² are scipy's kstest and cramervonmises; A² is
    scipy.stats.goodness_of_fit's statistic; AIC and BIC their definitions."""
    x = SAMPLES[name]
    row = next(c for c in compare(x).candidates if c.family == name)
    twin = TWINS[name](row.estimate)
    assert row.log_likelihood == pytest.approx(float(np.sum(twin.logpdf(x))), rel=1e-10)
    assert row.ks == pytest.approx(stats.kstest(x, twin.cdf).statistic, rel=1e-9)
    assert row.cvm == pytest.approx(stats.cramervonmises(x, twin.cdf).statistic, rel=1e-9)
    ad = stats.goodness_of_fit(
        stats.norm,
        stats.norm.ppf(twin.cdf(x)),
        known_params={"loc": 0, "scale": 1},
        statistic="ad",
        n_mc_samples=1,
        rng=0,
    ).statistic
    assert row.ad == pytest.approx(ad, rel=1e-9)
    assert row.aic == pytest.approx(2 * row.parameters - 2 * row.log_likelihood)
    assert row.bic == pytest.approx(row.parameters * np.log(x.size) - 2 * row.log_likelihood)


def test_counts_are_compared_among_the_pmfs() -> None:
    counts = RNG.poisson(3.0, 300)
    found = compare(counts)
    assert {c.family for c in found.candidates} == {"poisson"}  # geometric: 0 is outside
    (poisson,) = found.candidates
    assert poisson.ks is None and poisson.estimate["lambda"] == pytest.approx(counts.mean())
    assert dict(found.skipped).keys() == {"bernoulli", "geometric"}


def test_named_families_only() -> None:
    found = compare(SAMPLES["gamma"][:500], families=["exponential", "gamma"])
    assert [c.family for c in found.candidates] == ["gamma", "exponential"]


@pytest.mark.parametrize(
    ("x", "families", "error", "message"),
    [
        ([], None, symmle.DataError, "empty"),
        ([1.0, float("nan")], None, symmle.DataError, "NaN"),
        ([1.0, 2.0], ["binomial"], symmle.OptionError, "needs m known"),
        ([1.0, 2.0], ["zipf"], symmle.UnknownFamilyError, "unknown family"),
        ([-1.0, 2.0], ["gamma", "exponential"], symmle.DataError, "no family could be fitted"),
    ],
)
def test_bad_input_is_one_clear_error(
    x: list[float], families: list[str] | None, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        compare(x, families)


def test_the_output_formats() -> None:
    found = compare(SAMPLES["lognormal"][:400], families=["lognormal", "gamma"])
    text = str(found)
    assert text.startswith("Families ranked by AIC, n = 400") and "not the textbook ones" in text
    document = json.loads(found.output("json"))
    assert [c["family"] for c in document["candidates"]] == ["lognormal", "gamma"]
    assert found.output("markdown").startswith("| family | k | ℓ | AIC |")


def test_the_cli_compares_a_data_file(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    path = f"{tmp_path}/x.txt"
    np.savetxt(path, SAMPLES["weibull"][:2000])
    assert main(["compare", "--data-file", path, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["candidates"][0]["family"] == "weibull"
    assert main(["compare", "--data-file", path, "--families", "gamma,zipf"]) == 2
    err = capsys.readouterr().err
    assert "unknown family" in err and len(err.strip().splitlines()) == 1
