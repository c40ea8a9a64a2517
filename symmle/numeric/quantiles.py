"""Normal and χ² quantiles and tails from scipy.special, the functions scipy.stats itself calls:
importing scipy.stats costs a third of a second, which a derivation printed once should not pay."""

from __future__ import annotations

import scipy.special


def normal_quantile(p: float) -> float:
    """Φ⁻¹(p), as scipy.stats.norm.ppf(p)."""
    return float(scipy.special.ndtri(p))


def chi2_quantile(p: float, df: int) -> float:
    """The χ²_df quantile at p, as scipy.stats.chi2.ppf(p, df)."""
    return float(2 * scipy.special.gammaincinv(df / 2, p))


def chi2_tail(x: float, df: int) -> float:
    """P(χ²_df > x), as scipy.stats.chi2.sf(x, df)."""
    return float(scipy.special.chdtrc(df, x))
