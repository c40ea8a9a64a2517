"""Right-censored data: the public result of ``symmle.mle(family, data=t, observed=e)``, its
numeric checks and its standard errors (the derivation itself lives in symmle.derive)."""

from __future__ import annotations

from symmle.censored.result import CensoredResult, censored_mle

__all__ = ["CensoredResult", "censored_mle"]
