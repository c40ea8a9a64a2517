"""The fit command: a family's compiled estimator on a data file, censored times and rows of
a vector family included."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

import symmle
from symmle.censored.reading import is_table, parse_observed, parse_table
from symmle.cli.options import parse_known
from symmle.derive.censored.sample import censored_general
from symmle.derive.compiled import Array
from symmle.derive.general import general
from symmle.errors import OptionError
from symmle.families.vector import VectorFamily, vector_family
from symmle.files import read_text
from symmle.fit.estimate import fitted_family
from symmle.fit.text import read_values
from symmle.render.fit import fit_output
from symmle.vector.reading import float_rows


def fit_data(args: argparse.Namespace) -> tuple[Array, Array | None]:
    """The values of --data-file, with the event indicators of a time,observed file or of
    --observed (None: no censoring)."""
    text = read_text(args.data_file)
    if is_table(text):
        if args.observed is not None:
            raise OptionError("give --observed or a time,observed file, not both.")
        table = parse_table(text)
        return np.array(table.times, dtype=float), np.array(table.events)
    observed = None if args.observed is None else np.array(parse_observed(args.observed))
    return read_values(text), observed


def fit_command(args: argparse.Namespace) -> str:
    """symmle fit: the estimates (and standard errors) of a family on a data file, censored
    times included."""
    known = parse_known(args.known)
    rows = vector_family(args.family, known)
    if rows is not None:
        return vector_fit(rows, args)
    dist = fitted_family(args.family, known)  # an unknown family before the data; budgeted
    x, observed = fit_data(args)
    found = symmle.fit(args.family, x, known, se=args.se, observed=observed)
    estimate, errors = found if args.se else (found, None)
    if observed is None:
        method, events = general(dist).plan.method, None
    else:
        method, events = censored_general(dist).plan.method, int(observed.sum())
    return fit_output(dist.name, dist.title, method, x.size, estimate, errors, args.format, events)


def vector_fit(family: VectorFamily, args: argparse.Namespace) -> str:
    """symmle fit on a CSV of rows: the Normal's mu and Sigma as mu_j and Sigma_j_l in text,
    as nested lists in JSON."""
    if args.observed is not None:
        raise OptionError(f"the {family.title} takes no censored data (--observed).")
    X = float_rows(read_text(args.data_file))
    found = symmle.fit(family.name, X, dict(family.known), se=args.se)
    estimate, errors = found if args.se else (found, None)
    shown = flat if args.format == "text" else listed
    size = X.shape[0]
    return fit_output(
        family.name,
        family.title,
        family.method,
        size,
        shown(estimate),
        None if errors is None else shown(errors),
        args.format,
    )


def flat(values: dict[str, Any]) -> dict[str, float]:
    """mu -> mu_1, mu_2; Sigma -> Sigma_1_1, Sigma_1_2, …; floats as they are."""
    found = {}
    for name, v in values.items():
        array = np.asarray(v, dtype=float)
        for index in np.ndindex(array.shape):
            found["_".join([name, *(str(i + 1) for i in index)])] = float(array[index])
    return found


def listed(values: dict[str, Any]) -> dict[str, Any]:
    return {name: np.asarray(v, dtype=float).tolist() for name, v in values.items()}
