"""Profile-likelihood intervals from right-censored data, against the exponential's closed
form and a profile computed from scipy.stats' log-density and survival function."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy

import symmle
from symmle.errors import OptionError

TIMES = [2.0, 3.0, 3.0, 5.0, 8.0, 9.0, 4.0, 6.0, 1.5, 7.5, 10.0, 2.5]
EVENTS = [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1]
CUTOFF = float(scipy.stats.chi2.ppf(0.95, 1))


def test_exponential_equals_the_closed_form() -> None:
    """ℓ(λ) = d log λ − λΣtᵢ: the ends solve 2(ℓ(λ̂) − ℓ(λ)) = χ²₁,₀.₉₅."""
    d, total = sum(EVENTS), sum(TIMES)
    top = d / total

    def deviance(lam: float) -> float:
        return 2 * float((d * np.log(top) - top * total) - (d * np.log(lam) - lam * total)) - CUTOFF

    expected = (
        scipy.optimize.brentq(deviance, 1e-9, top, xtol=1e-15),
        scipy.optimize.brentq(deviance, top, 10 * top, xtol=1e-15),
    )
    got = symmle.mle("exponential", data=TIMES, observed=EVENTS).interval(method="profile")
    assert np.allclose(got["lambda"], expected, rtol=1e-9)


def weibull_profile(k: float) -> float:
    """max over λ of Σ log f (events) + Σ log S (censored), by scipy.stats' weibull_min."""
    t, e = np.array(TIMES), np.array(EVENTS, bool)

    def negative(log_scale: float) -> float:
        law = scipy.stats.weibull_min(k, scale=np.exp(log_scale))
        return -float(law.logpdf(t[e]).sum() + law.logsf(t[~e]).sum())

    found = scipy.optimize.minimize_scalar(
        negative, bounds=(-5, 10), method="bounded", options={"xatol": 1e-12}
    )
    return -float(found.fun)


def test_weibull_shape_equals_a_scan_of_scipys_profile() -> None:
    result = symmle.mle("weibull", data=TIMES, observed=EVENTS)
    k_hat = float(result.estimate["k"])
    top = weibull_profile(k_hat)

    def gap(k: float) -> float:
        return 2 * (top - weibull_profile(k)) - CUTOFF

    grid = np.linspace(0.2, 8, 400)
    deviances = np.array([gap(k) for k in grid])
    below = grid[deviances < 0]
    low = scipy.optimize.brentq(gap, below[0] - (grid[1] - grid[0]), below[0], xtol=1e-12)
    high = scipy.optimize.brentq(gap, below[-1], below[-1] + (grid[1] - grid[0]), xtol=1e-12)
    got = result.interval(method="profile")["k"]
    assert np.allclose(got, (low, high), rtol=1e-6)
    wald = result.interval()["k"]
    assert got != pytest.approx(wald)  # the profile follows the likelihood's asymmetry


def test_profile_needs_data_and_a_known_method() -> None:
    with pytest.raises(OptionError, match="need data"):
        symmle.mle("exponential", observed=True).interval(method="profile")
    result = symmle.mle("exponential", data=TIMES, observed=EVENTS)
    with pytest.raises(OptionError, match="'wald' or 'profile'"):
        result.interval(method="score")


def test_the_json_document_holds_both_intervals() -> None:
    document = json.loads(symmle.mle("weibull", data=TIMES, observed=EVENTS).to_json())
    assert set(document["profile_intervals"]) == {"k", "lambda"}
    low, high = document["profile_intervals"]["lambda"]
    assert low < document["estimate"]["lambda"]["value"] < high
