"""symmle.compare: which family fits the data, ranked by AIC, with the goodness-of-fit
statistics of the fitted CDF; checked against scipy.stats on the same estimates."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

import symmle
from symmle.cli import main
from symmle.fit.compare import compare, pearson_bins

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
    assert text.startswith("Families ranked by AIC, n = 400") and "parametric bootstrap" in text
    document = json.loads(found.output("json"))
    assert [c["family"] for c in document["candidates"]] == ["lognormal", "gamma"]
    assert found.output("markdown").startswith("| family | k | ℓ | AIC | BIC | KS D | KS p |")
    assert found.output("latex").startswith(r"\section*{Families ranked by AIC, n = 400}")


def test_the_cli_compares_a_data_file(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    path = f"{tmp_path}/x.txt"
    np.savetxt(path, SAMPLES["weibull"][:2000])
    assert main(["compare", "--data-file", path, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["candidates"][0]["family"] == "weibull"
    argv = ["compare", "--data-file", path, "--families", "weibull", "--bootstrap", "20"]
    assert main([*argv, "--format", "json"]) == 0
    assert 0 < json.loads(capsys.readouterr().out)["candidates"][0]["ks_p"] <= 1
    assert main(["compare", "--data-file", path, "--families", "gamma,zipf"]) == 2
    err = capsys.readouterr().err
    assert "unknown family" in err and len(err.strip().splitlines()) == 1


def test_nested_families_get_the_likelihood_ratio_test() -> None:
    """2(ℓ̂_gamma − ℓ̂_exponential) against scipy's own fits; the exponential is rejected on
    gamma data (α = 2.5) and kept on exponential data."""
    x = SAMPLES["gamma"][:400]
    found = compare(x, ["gamma", "exponential", "weibull"])
    test = next(t for t in found.nested if (t.smaller, t.larger) == ("exponential", "gamma"))
    a, _, scale = stats.gamma.fit(x, floc=0)
    gamma = float(np.sum(stats.gamma.logpdf(x, a, scale=scale)))
    exponential = float(np.sum(stats.expon.logpdf(x, scale=x.mean())))
    assert test.statistic == pytest.approx(2 * (gamma - exponential), rel=1e-6)
    assert test.p_value < 1e-6
    y = RNG.exponential(2.0, 400)
    kept = compare(y, ["gamma", "exponential"]).nested[0]
    assert kept.p_value == pytest.approx(stats.chi2.sf(kept.statistic, 1)) and kept.p_value > 0.01


def test_bootstrap_ks_p_values_agree_with_scipys_goodness_of_fit() -> None:
    """The parametric bootstrap against scipy.stats.goodness_of_fit (which refits by its own
    MLE each time): close for the true family, both small for a wrong one."""
    y = RNG.exponential(2.0, 200)
    x = SAMPLES["gamma"][:200]
    for data, small in ((y, False), (x, True)):
        ours = compare(data, ["exponential"], bootstrap=200, seed=3).best.ks_p
        theirs = stats.goodness_of_fit(
            stats.expon, data, known_params={"loc": 0}, statistic="ks", n_mc_samples=200, rng=4
        ).pvalue
        assert ours is not None and 0 < ours <= 1
        if small:
            assert ours < 0.01 and theirs < 0.01
        else:
            assert abs(ours - theirs) < 0.15 and ours > 0.05
    again = compare(y, ["exponential"], bootstrap=50, seed=3).best.ks_p
    assert again == compare(y, ["exponential"], bootstrap=50, seed=3).best.ks_p
    with pytest.raises(symmle.OptionError, match="number of samples"):
        compare(y, ["exponential"], bootstrap=-1)


def test_counts_get_pearsons_chi2_on_binned_counts() -> None:
    """A Poisson fitted to geometric counts is rejected; the geometric is not; on Poisson
    samples the test rejects at 5% about one time in twenty (here: 40 samples)."""
    rng = np.random.default_rng(11)
    counts = rng.geometric(0.3, 300)
    found = {c.family: c.chi2 for c in compare(counts).candidates}
    assert found["poisson"] is not None and found["poisson"][2] < 1e-6
    assert found["geometric"] is not None and found["geometric"][2] > 0.01
    rejected = 0
    for _ in range(40):
        (poisson,) = compare(rng.poisson(3.0, 200)).candidates
        assert poisson.chi2 is not None and poisson.chi2[1] >= 1
        rejected += poisson.chi2[2] < 0.05
    assert rejected <= 8
    assert '"chi2": {' in compare(counts).output("json")


def test_pearsons_bins_hold_every_count_and_every_probability() -> None:
    """The bins' observed counts and expected counts both sum to n (the tails pooled), each
    bin expects at least 5, and χ², df and p are scipy.stats.chisquare's with ddof = k."""
    counts = np.random.default_rng(12).poisson(2.5, 250)
    (poisson,) = compare(counts).candidates
    twin = stats.poisson(poisson.estimate["lambda"])
    observed, expected = pearson_bins(twin, counts.astype(float))
    assert observed.sum() == counts.size and expected.sum() == pytest.approx(counts.size)
    assert np.all(expected >= 5)
    oracle = stats.chisquare(observed, expected, ddof=1)
    assert poisson.chi2 is not None
    statistic, df, p = poisson.chi2
    assert statistic == pytest.approx(oracle.statistic) and p == pytest.approx(oracle.pvalue)
    assert df == observed.size - 2
