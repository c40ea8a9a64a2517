"""Compiled estimators on NumPy and Dask arrays: ``symmle.fit(family, x)``."""

from __future__ import annotations

from symmle.fit.estimate import fit

__all__ = ["fit"]
