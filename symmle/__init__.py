"""symmle: maximum-likelihood estimates and the losses of machine learning, derived step by step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from symmle import testing
from symmle.checks import Check
from symmle.data import rational, sample, to_fraction
from symmle.derive.general import general
from symmle.derive.mle import derive_data, derive_general
from symmle.derive.result import Result
from symmle.derive.simplex import derive_simplex_general
from symmle.derive.step import KINDS, Step
from symmle.errors import (
    DataError,
    FormulaError,
    NoMLEError,
    OptionError,
    RegularityError,
    SymmleError,
    UnknownFamilyError,
    UnknownLossError,
)
from symmle.families import Distribution, families, get
from symmle.families.user import define
from symmle.families.validity import time_limit
from symmle.fit import fit
from symmle.fit.arrays import large_sample
from symmle.losses import LossResult, loss, losses
from symmle.models import RegressionResult, regression, regressions
from symmle.symbols import i, n, y

__all__ = [
    "KINDS",
    "Check",
    "DataError",
    "Distribution",
    "FormulaError",
    "LossResult",
    "NoMLEError",
    "OptionError",
    "RegressionResult",
    "RegularityError",
    "Result",
    "Step",
    "SymmleError",
    "UnknownFamilyError",
    "UnknownLossError",
    "define",
    "families",
    "fit",
    "i",
    "loss",
    "losses",
    "mle",
    "n",
    "regression",
    "regressions",
    "testing",
    "y",
]


def family_with_known(
    family: str | Distribution, known: Mapping[str, object] | None = None
) -> Distribution:
    """The registered family (or a user-defined one), with the known parameters fixed."""
    dist = family if isinstance(family, Distribution) else get(family)
    if known is None:
        return dist
    if not isinstance(known, Mapping):
        raise OptionError("known parameters must be a mapping of name to value, e.g. {'m': 10}.")
    values = {}
    for name, val in known.items():
        try:
            values[str(name)] = rational(to_fraction(val))
        except DataError as error:
            raise OptionError(f"known {name}: {error}") from None
    return dist.fix(values) if values else dist


def mle(
    family: str | Distribution | None = None,
    data: Iterable[object] | None = None,
    known: Mapping[str, object] | None = None,
    *,
    pdf: str | None = None,
    pmf: str | None = None,
    parameters: Mapping[str, object] | None = None,
    support: object = None,
) -> Result:
    """Derive the maximum-likelihood estimate of ``family``'s parameters, step by step.

    With ``data`` the derivation is for that sample; without, for a sample y_1..y_n of
    symbolic size n. ``known`` fixes parameters by name. Instead of a family's name, a
    formula: ``pdf=`` (or ``pmf=``) in y, ``parameters`` {name: domain} and ``support``."""
    if pdf is not None or pmf is not None:
        if family is not None:
            raise OptionError("give a family's name or a formula (pdf= or pmf=), not both.")
        family = define(pdf=pdf, pmf=pmf, parameters=parameters, support=support)
    if family is None:
        raise UnknownFamilyError(
            f"unknown family None; choose one of: {', '.join(families())}, or give pdf= or pmf=."
        )
    dist = family_with_known(family, known)
    if dist.formula is None:
        return derived(dist, data)
    try:  # a formula that parses may still be one SymPy takes forever over
        with time_limit(FORMULA_WITHIN):
            return derived(dist, data)
    except TimeoutError:
        raise FormulaError(
            f"SymPy did not finish deriving the MLE of this formula within {FORMULA_WITHIN} s; "
            "try writing it more simply (expanded, or with fewer nested functions)."
        ) from None


FORMULA_WITHIN = 120
"""Seconds the whole derivation of a user's formula may take (in the main thread)."""


def derived(dist: Distribution, data: Iterable[object] | None) -> Result:
    """The derivation for ``data``, or for a sample of symbolic size n without."""
    if data is None:
        if dist.sized is not None:
            return derive_simplex_general(dist)
        return derive_general(general(dist))
    dist.require_constants()
    if not dist.parameters:
        raise OptionError(f"the {dist.title} needs its constants known to have parameters.")
    values = large_sample(data, dist) or sample(data, dist.data_support, dist.title)
    return derive_data(general(dist), values)
