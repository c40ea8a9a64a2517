"""The symbols shared by every derivation: the sample y_1..y_n and its size n."""

from __future__ import annotations

import sympy as sp

y = sp.IndexedBase("y")
"""The sample: ``y[i]`` is the i-th observation."""

n = sp.Symbol("n", integer=True, positive=True)
"""The sample size."""

i = sp.Symbol("i", integer=True, positive=True)
"""The index of a sum over the sample; it runs from 1 to n."""

value = sp.Symbol("y")
"""One observation, the variable of a pmf or pdf (and of a per-sample loss)."""

y_hat = sp.Symbol("y_hat")
"""A model's prediction of the parameter, y_hat = NN(x | w)."""


def sample_sum(term: sp.Expr) -> sp.Expr:
    """Sum over the sample of ``term``, a function of one observation ``value``."""
    return sp.Sum(term.subs(value, y[i]), (i, 1, n))


def is_sample_sum(expr: sp.Basic) -> bool:
    """True for a sum over the sample (index i from 1 to n, or to the size of a sample), not
    any ``Sum``: a density may hold sums of its own (a normaliser Σⱼ θʲ)."""
    return isinstance(expr, sp.Sum) and len(expr.limits) == 1 and expr.limits[0][:2] == (i, 1)
