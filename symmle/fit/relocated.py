"""A sample seen from an origin c: every sum, statistic and extreme of y − c, computed block by
block (no copy of the data), for a location family fitted far from 0 (see
``symmle.families.location``): the fit on y − c gives μ̂ − c and the other estimates as they
are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sympy as sp

from symmle.derive.blocks import Terms
from symmle.derive.compiled import Array
from symmle.fit.summary import Data, FirstPass, Summary


def moved(terms: Terms, c: float) -> Terms:
    """The per-sample terms of y − c."""

    def about(y: Array, *args: float) -> Sequence[Any]:
        return terms(y - c, *args)

    return about


def less(v: float | None, c: float) -> float | None:
    return None if v is None else v - c


class Relocated:
    """``data`` − c."""

    def __init__(self, data: Data, c: float) -> None:
        self.inner = data
        self.c = c

    @property
    def size(self) -> int:
        return self.inner.size

    def totals(self, terms: Terms, args: Sequence[float]) -> list[float]:
        return self.inner.totals(moved(terms, self.c), args)

    def summary(self, wanted: FirstPass) -> Summary:
        found = self.inner.summary(replace(wanted, terms=moved(wanted.terms, self.c)))
        sub = found.subsample
        return replace(
            found,
            low=less(found.low, self.c),
            high=less(found.high, self.c),
            subsample=None if sub is None else sub - self.c,
        )

    def first(self) -> float:
        return self.inner.first() - self.c

    def median(self) -> float:
        return self.inner.median() - self.c

    def points(self) -> Array:
        return self.inner.points() - self.c

    def strided(self, step: int) -> Array | None:
        found = self.inner.strided(step)
        return None if found is None else found - self.c

    def outside(self, support: sp.Set) -> float | None:
        wrong = self.inner.outside(support)
        return less(wrong, self.c)
