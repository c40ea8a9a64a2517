"""One readable pipeline per call: ``mle`` reads the data (the family's observation and
support), derives the general result once per family (statistics, the planner's methods),
puts the data in, and wraps the derivation in the public ``Result``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, overload

from symmle.budget import FORMULA_WITHIN, seconds, within
from symmle.censored import censored_mle
from symmle.data import sample
from symmle.derive.em.general import derive_mixture_general
from symmle.derive.general import general
from symmle.derive.mle import derive_data, derive_general
from symmle.derive.simplex import derive_simplex_general
from symmle.errors import FormulaError, OptionError, UnknownFamilyError
from symmle.families import Distribution, families
from symmle.families.known import family_with_known
from symmle.families.mixtures import Mixture
from symmle.families.user import define
from symmle.families.vector import vector_family
from symmle.fit.arrays import large_sample
from symmle.render import notebook  # noqa: F401 — registers the printers of symmle.display
from symmle.results import Result
from symmle.vector import VectorResult, vector_mle

VectorName = Literal["multivariate_normal", "multinomial", "dirichlet"]


@overload
def mle(  # type: ignore[overload-overlap]  # a vector family's name is a str too; listed first
    family: VectorName,
    data: Iterable[object] | None = None,
    known: Mapping[str, object] | None = None,
    *,
    pdf: str | None = None,
    pmf: str | None = None,
    parameters: Mapping[str, object] | None = None,
    support: object = None,
    budget: float | None = None,
    observed: Iterable[object] | bool | None = None,
) -> VectorResult: ...


@overload
def mle(
    family: str | Distribution | None = None,
    data: Iterable[object] | None = None,
    known: Mapping[str, object] | None = None,
    *,
    pdf: str | None = None,
    pmf: str | None = None,
    parameters: Mapping[str, object] | None = None,
    support: object = None,
    budget: float | None = None,
    observed: Iterable[object] | bool | None = None,
) -> Result: ...


def mle(
    family: str | Distribution | None = None,
    data: Iterable[object] | None = None,
    known: Mapping[str, object] | None = None,
    *,
    pdf: str | None = None,
    pmf: str | None = None,
    parameters: Mapping[str, object] | None = None,
    support: object = None,
    budget: float | None = None,
    observed: Iterable[object] | bool | None = None,
) -> Result | VectorResult:
    """Derive the maximum-likelihood estimate of ``family``'s parameters, step by step.

    With ``data`` the derivation is for that sample; without, for a sample y_1..y_n of
    symbolic size n. ``known`` fixes parameters by name. Instead of a family's name, a
    formula: ``pdf=`` (or ``pmf=``) in y, ``parameters`` {name: domain} and ``support``. The
    derivation of a formula, or with known values, runs in a worker process for at most
    ``budget`` seconds (FORMULA_WITHIN). ``observed`` (a boolean per observation: False for a
    right-censored time) gives the derivation from censored data; ``observed=True`` without
    data, for a censored sample of symbolic size n. The multivariate Normal, the Multinomial
    and the Dirichlet take rows: a list of rows or an (n, k) array."""
    vector = vector_family(family, known)
    if vector is not None:
        if observed is not None:
            raise OptionError(f"the {vector.title} takes no censored data (observed=).")
        return vector_mle(vector, data)
    if observed is not None:
        return censored_mle(family_with_known(family_name(family), known), data, observed)
    if pdf is not None or pmf is not None:
        if family is not None:
            raise OptionError("give a family's name or a formula (pdf= or pmf=), not both.")
        family = define(pdf=pdf, pmf=pmf, parameters=parameters, support=support)
    if family is None:
        raise UnknownFamilyError(
            f"unknown family None; choose one of: {', '.join(families())}, or give pdf= or pmf=."
        )
    formula = isinstance(family, Distribution) and family.formula is not None
    if not formula and not known:
        return derived(family_with_known(family), data)
    limit = seconds(FORMULA_WITHIN if budget is None else budget, "the budget")
    try:  # a formula, or a known value such as Γ(10⁵⁰), SymPy may take forever over
        return within(limit, derived_with_known, family, known, data)
    except TimeoutError:
        name = getattr(family, "name", family)
        what = "this formula" if formula else f"the {name} with {', '.join(known or {})} known"
        hint = FORMULA_HINT if formula else KNOWN_HINT
        raise (FormulaError if formula else OptionError)(
            f"SymPy did not finish deriving the MLE of {what} within {limit:g} s; {hint}"
        ) from None


def family_name(family: str | Distribution | None) -> str | Distribution:
    if family is None:
        raise OptionError("censored data (observed=) need a family's name.")
    return family


FORMULA_HINT = (
    "try writing it more simply (expanded, or with fewer nested functions), or give it a "
    "larger budget."
)
KNOWN_HINT = "give smaller known values, or a larger budget."


def derived_with_known(
    family: str | Distribution, known: Mapping[str, object] | None, data: Iterable[object] | None
) -> Result:
    """The derivation with the known values fixed, its numeric checks done (in a worker
    process, under a budget: the checks lambdify what the known values made)."""
    result = derived(family_with_known(family, known), data)
    result.checks  # noqa: B018 — computed here, under the budget, and sent back with it
    return result


def derived(dist: Distribution, data: Iterable[object] | None) -> Result:
    """The derivation for ``data``, or for a sample of symbolic size n without."""
    if data is None:
        if isinstance(dist, Mixture) and dist.sized is not None:
            return Result.of(derive_mixture_general(dist))
        if dist.sized is not None:
            return Result.of(derive_simplex_general(dist))
        return Result.of(derive_general(general(dist)))
    dist.require_constants()
    if not dist.parameters:
        raise OptionError(f"the {dist.title} needs its constants known to have parameters.")
    values = large_sample(data, dist) or sample(data, dist.data_support, dist.title)
    return Result.of(derive_data(general(dist), values))
