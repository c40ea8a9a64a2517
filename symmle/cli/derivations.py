"""What the derive, loss and regress commands derive, and the examples and list commands."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import symmle
from symmle.censored import CensoredResult
from symmle.censored.reading import is_table, parse_observed, parse_table
from symmle.cli.options import parse_known
from symmle.cli.unconfirmed import confirmed
from symmle.data import parse_list
from symmle.derive.censored.sample import CensoredSample
from symmle.derive.compiled import Array
from symmle.derive.general import general
from symmle.errors import OptionError
from symmle.families import get
from symmle.families.mixtures import Mixture
from symmle.families.vector import VECTOR, vector_family
from symmle.fit.arrays import LARGE
from symmle.fit.text import exact_floats
from symmle.losses import LossResult
from symmle.models import RegressionResult, regression
from symmle.models.table import read_csv
from symmle.render.formats import document, mle_output, standalone
from symmle.results import Result
from symmle.vector import VectorResult, vector_mle
from symmle.vector.reading import parse_rows


def printed_derivation(args: argparse.Namespace, text: str | None) -> str:
    """The document of a derive, loss or regress command (``text``: derive's --data-file),
    confirmed by its numeric checks."""
    result = derivation(args, text)
    printed = document(result, args.format)
    return confirmed(standalone(printed) if args.standalone else printed, result.checks)


def sample_option(args: argparse.Namespace, text: str | None) -> Sequence[Fraction] | Array | None:
    """The sample from --data or the text of --data-file, or None for general n. A large file
    of plain decimals is read as a float array, which ``symmle.mle`` reads exactly, vectorised."""
    if text is not None:
        if is_table(text):  # times with their event indicators
            if getattr(args, "observed", None) is not None:
                raise OptionError("give --observed or a time,observed file, not both.")
            return parse_table(text)
        values = exact_floats(text) if len(text) > LARGE else None  # short: quick either way
        return parse_list(text) if values is None else values
    return None if args.data is None else parse_list(args.data)


def formula_options(args: argparse.Namespace) -> dict[str, Any]:
    """symmle.mle's keywords for --pdf/--pmf, --param and --support (none without a formula)."""
    if args.pdf is None and args.pmf is None:
        if args.param or args.support is not None:
            raise OptionError("--param and --support describe a formula: give --pdf or --pmf.")
        if args.budget is not None and not args.known:
            raise OptionError("--budget limits the derivation of a formula or with --known.")
        return {"budget": args.budget} if args.budget is not None else {}
    if not args.param or args.support is None:
        raise OptionError(
            "a formula needs its parameters and support, e.g. --param lam:(0,oo) --support [0,oo)."
        )
    parameters: dict[str, str] = {}
    for item in args.param:
        name, sep, domain = (part.strip() for part in item.partition(":"))
        if not sep or not name or not domain or name in parameters:
            raise OptionError(f"malformed or repeated --param {item!r}; write NAME:DOMAIN once.")
        parameters[name] = domain
    return {
        "pdf": args.pdf,
        "pmf": args.pmf,
        "parameters": parameters,
        "support": args.support,
        "budget": args.budget,
    }


def vector_derivation(args: argparse.Namespace, text: str | None) -> VectorResult:
    """symmle derive for rows: --data "0,0;1,2;2,1" or a CSV file of k columns."""
    family = vector_family(args.family, parse_known(args.known))
    assert family is not None
    if args.observed is not None:
        raise OptionError(f"the {family.title} takes no censored data (--observed).")
    rows = args.data if text is None else text
    return vector_mle(family, None if rows is None else parse_rows(rows))


def observed_option(text: str | None, data: object) -> list[bool] | bool | None:
    """--observed 1,1,0, or the indicators of a time,observed file (True alone: general n)."""
    if isinstance(data, CensoredSample):
        return list(data.events)
    if text is None:
        return None
    return True if data is None and text.strip().lower() == "true" else parse_observed(text)


def derivation(
    args: argparse.Namespace, text: str | None = None
) -> Result | LossResult | RegressionResult | CensoredResult | VectorResult:
    """What a derive, loss or regress command derives."""
    if args.command == "derive":
        options = formula_options(args)
        if (args.family is None) == (args.pdf is None and args.pmf is None):
            raise OptionError("give a family (e.g. symmle derive poisson) or --pdf/--pmf, once.")
        if vector_family(args.family) is not None:
            return vector_derivation(args, text)
        data, known = sample_option(args, text), parse_known(args.known)
        observed = observed_option(args.observed, data)
        found: Result = (
            symmle.mle(args.family, data=data, known=known, **options)
            if observed is None
            else symmle.mle(args.family, data=data, known=known, observed=observed)
        )
        return found
    if args.command == "loss":
        return symmle.loss(args.family, **parse_known(args.option, "--option", "full=true"))
    X, y, names = read_csv(args.data_file, args.target)
    return regression(args.model, X=X, y=y, names=names)


def examples() -> str:
    """Every family's worked example, then its general-n form, as terminal text."""
    results = []
    for name in symmle.families("scalar"):
        family = get(name)
        known = dict(family.example_known)
        for result in symmle.mle(name, data=family.example, known=known), symmle.mle(name):
            results.append(confirmed(mle_output(result, "text"), result.checks))
    for rows in VECTOR.values():
        for found in vector_mle(rows, rows.example), vector_mle(rows, None):
            results.append(confirmed(document(found, "text"), found.checks))
    return "\n\n".join(results)


def catalogue() -> str:
    """One line per family: name, parameters (known constants in brackets), method. A family
    of k categories or components shows each indexed parameter once: w_1..w_k, mu_1..mu_k."""
    rows = [("family", "parameters", "method")]
    for name in symmle.families("scalar"):
        family = get(name)
        if family.sized is None:
            names = [p.name for p in family.parameters]
        else:  # the names at k = 2, each first one as a range
            stems = [p.name[:-2] for p in family.sized(2).parameters if p.name.endswith("_1")]
            names = [f"{stem}_1..{stem}_k" for stem in stems]
        constants = "".join(f" [{c.name} known]" for c in family.constants)
        method = (
            "EM"
            if isinstance(family, Mixture)
            else "constrained"
            if family.sized is not None
            else general(family).plan.method
        )
        rows.append((name, ", ".join(names) + constants, method))
    rows += [(vector.name, vector.meaning, vector.method) for vector in VECTOR.values()]
    width = max(len(parameters) for _, parameters, _ in rows)
    return "".join(f"{a:<20} {b:<{width}} {c}\n" for a, b, c in rows)
