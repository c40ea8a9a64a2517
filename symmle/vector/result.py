"""What ``symmle.mle`` returns for a family of vector observations: the derivation with its
checks, standard errors and Wald intervals."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

import numpy as np
import sympy as sp

from symmle.checks import Check, compare
from symmle.data import rows_of
from symmle.derive.vector import dirichlet, multinomial, normal
from symmle.derive.vector.derivation import Rows, VectorDerivation, matrix_of
from symmle.display import Displayed
from symmle.errors import OptionError
from symmle.families.vector import VectorFamily
from symmle.numeric import vector_errors
from symmle.numeric.quantiles import normal_quantile
from symmle.symbols import n
from symmle.vector.checks import identity_checks, vector_checks

DERIVATIONS: dict[str, ModuleType] = {
    "multivariate_normal": normal,
    "multinomial": multinomial,
    "dirichlet": dirichlet,
}


@dataclass(frozen=True)
class VectorResult(VectorDerivation, Displayed):
    """A derivation of the MLE from rows of k values (or for n rows, n and k symbolic), with
    its checks and Wald inference."""

    @classmethod
    def of(cls, derivation: VectorDerivation) -> VectorResult:
        return cls(**derivation.fields())  # type: ignore[arg-type]

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        """Against NumPy and SciPy with data; for general n, the worked example's checks and
        the general solution at its statistics."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if self.data is not None:
                return vector_checks(self)
            worked = example(self.family)
            found = [*worked.checks, *general_checks(self, worked)]
            if self.family.name == "multivariate_normal":
                found += identity_checks()
            return tuple(found)

    def estimate_values(self) -> dict[str, np.ndarray]:
        """The estimate as NumPy arrays (needs data)."""
        if self.data is None:
            raise OptionError("this derivation is for general n: give data for numbers.")
        return {
            name: np.array(sp.Matrix([e]), float).squeeze() for name, e in self.estimate.items()
        }

    @property
    def standard_errors(self) -> dict[str, float]:
        """Wald standard errors from the Fisher information at the estimate (needs data):
        μ̂ⱼ and Σ̂ⱼₗ (j ≤ l) for the Normal, every p̂ⱼ or α̂ⱼ for the others."""
        return {name: se for name, (_, se) in self.wald_pairs().items()}

    def wald_pairs(self) -> dict[str, tuple[float, float]]:
        """Each parameter with a standard error: (estimate, standard error)."""
        values, count = self.estimate_values(), self.size
        if self.family.name == "multivariate_normal":
            mu_errors, sigma_errors = vector_errors.normal_errors(values["Sigma"], count)
            pairs = {f"mu_{j + 1}": (values["mu"][j], e) for j, e in enumerate(mu_errors)}
            for j, c in zip(*np.triu_indices(len(mu_errors)), strict=True):
                pairs[f"Sigma_{j + 1}_{c + 1}"] = (values["Sigma"][j, c], sigma_errors[j, c])
            return {name: (float(v), float(e)) for name, (v, e) in pairs.items()}
        estimate = np.array(list(values.values()), dtype=float)
        if self.family.name == "multinomial":
            trials = float(sum(self.data[0]))  # type: ignore[index]
            errors = vector_errors.multinomial_errors(estimate, count, trials)
        else:
            errors = vector_errors.dirichlet_errors(estimate, count)
        return {
            name: (float(v), float(e)) for name, v, e in zip(values, estimate, errors, strict=True)
        }

    def interval(self, level: float = 0.95) -> dict[str, tuple[float, float]]:
        """Wald intervals θ̂ ± z·SE (needs data)."""
        if not 0 < level < 1:
            raise OptionError(f"the level must lie between 0 and 1, not {level!r}.")
        z = normal_quantile((1 + level) / 2)
        return {name: (v - z * se, v + z * se) for name, (v, se) in self.wald_pairs().items()}


def example(family: VectorFamily) -> VectorResult:
    return derived(family, rows_of(family.example))


def general_checks(general: VectorResult, worked: VectorResult) -> list[Check]:
    """The general solution with the worked example's statistics put in, against the
    example's estimate."""
    rows = worked.data
    assert rows is not None
    solutions: dict[str, Callable[[dict[str, sp.Basic], Rows], list[float]]] = {
        "multivariate_normal": normal_solution,
        "multinomial": multinomial_solution,
    }
    if general.family.name not in solutions:
        return []
    got = solutions[general.family.name](general.estimate, rows)
    expected = [float(v) for e in worked.estimate.values() for v in sp.Matrix([e])]
    return [compare("general solution at the worked example", got, expected, 1e-12)]


def normal_solution(general: dict[str, sp.Basic], rows: Rows) -> list[float]:
    """μ̂ = ȳ and Σ̂ = A/n with the rows' ȳ and A put in."""
    size = len(rows[0])
    s = normal.symbols(sp.Integer(size))
    mean, a = normal.scatter(rows)
    at = {s["ybar"]: mean, s["A"]: a, n: len(rows)}
    found = (general[key].subs(normal.k, size).subs(at).doit() for key in ("mu", "Sigma"))
    return [float(v) for e in found for v in sp.Matrix(e)]


def multinomial_solution(general: dict[str, sp.Basic], rows: Rows) -> list[float]:
    """p̂ⱼ = Tⱼ/(m n) with each column's total put in."""
    X = matrix_of(rows)
    estimate = general["p_j"]
    return [
        float(
            estimate.subs(
                {
                    multinomial.total[multinomial.j]: sum(X[:, c]),
                    n: X.rows,
                    multinomial.m: sum(X[0, :]),
                }
            )
        )
        for c in range(X.cols)
    ]


def derived(family: VectorFamily, rows: Rows) -> VectorResult:
    X = np.array([[float(v) for v in row] for row in rows])
    family.check(X)
    return VectorResult.of(DERIVATIONS[family.name].derive_data(family, rows))


def vector_mle(family: VectorFamily, data: Iterable[object] | None) -> VectorResult:
    """The vector pipeline: read the rows, check their support, derive (general n without)."""
    if data is None:
        return VectorResult.of(DERIVATIONS[family.name].derive_general())
    return derived(family, rows_of(data))
