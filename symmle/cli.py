"""The command line: symmle derive | fit | compare | loss | regress | examples | list | build |
serve | cache."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NoReturn

import numpy as np

import symmle
from symmle import store
from symmle.censored import CensoredResult
from symmle.censored.reading import is_table, parse_observed, parse_table
from symmle.checks import Check
from symmle.data import parse_list, read_data_file, read_text
from symmle.derive.censored.sample import CensoredSample, censored_general
from symmle.derive.compiled import Array
from symmle.derive.general import general
from symmle.errors import BuildError, ConvergenceError, OptionError, SymmleError
from symmle.extras import require_docs
from symmle.families import get
from symmle.families.mixtures import Mixture
from symmle.families.vector import VECTOR, VectorFamily, vector_family
from symmle.fit.arrays import LARGE
from symmle.fit.estimate import fitted_family
from symmle.fit.text import exact_floats, read_file, read_values
from symmle.losses import LossResult
from symmle.models import RegressionResult, regression, regressions
from symmle.models.table import read_csv
from symmle.render.compare import COMPARE_FORMATS
from symmle.render.fit import FIT_FORMATS, fit_output
from symmle.render.formats import FORMATS, document, mle_output, standalone
from symmle.results import Result
from symmle.vector import VectorResult, vector_mle
from symmle.vector.reading import float_rows, parse_rows


class Parser(argparse.ArgumentParser):
    """argparse that reports a malformed command in one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"symmle: error: {message} (see symmle --help)\n")


class Once(argparse.Action):
    """An option that may be given once: a repeated --data is refused, not overwritten."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest) is not None:
            parser.error(f"{option} is given twice; give it once.")
        setattr(namespace, self.dest, values)


ITEMS = re.compile(r",(?=[^,=]*=)")
"""A comma that starts a new NAME=VALUE: the commas of a list value (weight=1,2,0.5) stay."""


def parse_known(
    items: Sequence[str], flag: str = "--known", example: str = "sigma=1"
) -> dict[str, str]:
    """--known NAME=VALUE (repeatable, or comma-separated); a name given twice is refused.
    Also --option KEY=VALUE."""
    known: dict[str, str] = {}
    for item in (part for text in items for part in ITEMS.split(text)):
        name, sep, val = (part.strip() for part in item.partition("="))
        if not sep or not name or not val:
            raise OptionError(
                f"malformed {flag} {item!r}; write NAME=VALUE, e.g. {flag} {example}."
            )
        if name in known:
            raise OptionError(f"{flag} {name} is given twice; give each once.")
        known[name] = val
    return known


def sample_option(args: argparse.Namespace) -> Sequence[Fraction] | Array | None:
    """The sample from --data or --data-file (not both), or None for general n. A large file of
    plain decimals is read as a float array, which ``symmle.mle`` reads exactly, vectorised."""
    if args.data is not None and args.data_file is not None:
        raise OptionError("give the sample with --data or with --data-file, not both.")
    if args.data_file is not None:
        text = read_data_file(args.data_file, sys.stdin)
        if is_table(text):  # times with their event indicators
            if getattr(args, "observed", None) is not None:
                raise OptionError("give --observed or a time,observed file, not both.")
            return parse_table(text)
        values = exact_floats(text) if len(text) > LARGE else None  # short: quick either way
        return parse_list(text) if values is None else values
    return None if args.data is None else parse_list(args.data)


def formula_arguments(derive: argparse.ArgumentParser) -> None:
    """A user-defined family instead of a registered one: its formula, parameters, support."""
    formula = derive.add_mutually_exclusive_group()
    formula.add_argument("--pdf", action=Once, metavar="FORMULA", help="a density in y")
    formula.add_argument("--pmf", action=Once, metavar="FORMULA", help="a pmf in y (counts)")
    derive.add_argument(
        "--param", action="append", default=[], metavar="NAME:DOMAIN", help="e.g. lam:(0,oo)"
    )
    derive.add_argument("--support", action=Once, metavar="SET", help="e.g. [0,oo) or {0,1}")
    derive.add_argument(
        "--budget", type=float, metavar="SECONDS", help="time for a formula or --known (30)"
    )


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


STANDALONE = "with --format latex: a whole document (pdflatex compiles it), not a fragment"


def parser(parser_class: type[Parser] = Parser) -> Parser:
    top = parser_class(prog="symmle", description=symmle.__doc__)
    commands = top.add_subparsers(dest="command", required=True, parser_class=parser_class)
    derive = commands.add_parser("derive", help="derive the MLE of a family, step by step")
    derive.add_argument("family", nargs="?", help="one of: " + ", ".join(symmle.families()))
    formula_arguments(derive)
    derive.add_argument("--data", action=Once, help="comma-separated sample, e.g. 0,0,0,1,0")
    derive.add_argument(
        "--data-file", action=Once, metavar="PATH", help="a file of values (- reads stdin)"
    )
    derive.add_argument("--known", action="append", default=[], help="a fixed parameter NAME=VALUE")
    derive.add_argument("--observed", action=Once, help="1 (event) or 0 (censored) per value")
    derive.add_argument("--format", choices=FORMATS, default="text")
    derive.add_argument("--standalone", action="store_true", help=STANDALONE)
    loss = commands.add_parser("loss", help="derive a loss from a negative log-likelihood")
    loss.add_argument("family", metavar="NAME", help="one of: " + ", ".join(symmle.losses()))
    loss.add_argument("--option", action="append", default=[], help="KEY=VALUE, e.g. full=true")
    loss.add_argument("--format", choices=FORMATS, default="text")
    loss.add_argument("--standalone", action="store_true", help=STANDALONE)
    fit = commands.add_parser("fit", help="fit a family to a data file with its compiled estimator")
    fit.add_argument("family", help="one of: " + ", ".join(symmle.families()))
    fit.add_argument(
        "--data-file", required=True, help="values, one a line or comma-separated; -: stdin"
    )
    fit.add_argument("--known", action="append", default=[], help="a fixed parameter NAME=VALUE")
    fit.add_argument("--observed", action=Once, help="1 (event) or 0 (censored) per value")
    fit.add_argument("--se", action="store_true", help="standard errors (observed information)")
    fit.add_argument("--format", choices=FIT_FORMATS, default="text")
    compare = commands.add_parser(
        "compare", help="fit every family to a data file and rank them by AIC"
    )
    compare.add_argument(
        "--data-file", required=True, help="values, one a line or comma-separated; -: stdin"
    )
    compare.add_argument("--families", help="comma-separated names (default: every family)")
    compare.add_argument(
        "--bootstrap", type=int, default=0, metavar="N", help="KS p-values from N samples"
    )
    compare.add_argument("--format", choices=COMPARE_FORMATS, default="text")
    compare.add_argument("--standalone", action="store_true", help=STANDALONE)
    regress = commands.add_parser("regress", help="derive and fit a regression on a CSV file")
    regress.add_argument("model", metavar="NAME", help="one of: " + ", ".join(regressions()))
    regress.add_argument("--data-file", required=True, help="CSV with a header row, or - (stdin)")
    regress.add_argument("--target", required=True, help="the column to predict")
    regress.add_argument("--format", choices=FORMATS, default="text")
    regress.add_argument("--standalone", action="store_true", help=STANDALONE)
    commands.add_parser("examples", help="derive and print the worked examples")
    commands.add_parser("list", help="every family with its parameters and method")
    build = commands.add_parser("build", help="render every page and build the website")
    build.add_argument("--site-dir", default="site", help="output folder (default: site)")
    serve = commands.add_parser("serve", help="preview the website with live reload")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="IP:PORT to serve on")
    cache = commands.add_parser("cache", help="where derivations are kept on disk, or clear them")
    cache.add_argument("action", choices=("dir", "clear"), help="print the folder, or empty it")
    return top


def cache_command(action: str) -> str:
    root = store.cache_root()
    if action == "dir":
        return f"{root if root else f'off ({store.NO_CACHE} is set)'}\n"
    root, count = store.clear()
    return f"removed {count} kept result(s) from {root}\n" if root else "the cache is off\n"


class Unconfirmed(Exception):
    """A derivation whose numeric checks failed: it is printed, and the exit code is 1."""

    def __init__(self, output: str, failed: Sequence[str]) -> None:
        super().__init__(", ".join(failed))
        self.output, self.failed = output, failed


def confirmed(output: str, checks: Sequence[Check]) -> str:
    """``output``, unless a numeric check failed."""
    failed = [c.name for c in checks if not c.passed]
    if failed:
        raise Unconfirmed(output, failed)
    return output


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


DERIVATIONS = ("derive", "loss", "regress")


def vector_derivation(args: argparse.Namespace) -> VectorResult:
    """symmle derive for rows: --data "0,0;1,2;2,1" or a CSV file of k columns."""
    if args.data is not None and args.data_file is not None:
        raise OptionError("give the rows with --data or with --data-file, not both.")
    text = args.data if args.data_file is None else read_data_file(args.data_file, sys.stdin)
    family = vector_family(args.family, parse_known(args.known))
    assert family is not None
    if args.observed is not None:
        raise OptionError(f"the {family.title} takes no censored data (--observed).")
    return vector_mle(family, None if text is None else parse_rows(text))


def observed_option(text: str | None, data: object) -> list[bool] | bool | None:
    """--observed 1,1,0, or the indicators of a time,observed file (True alone: general n)."""
    if isinstance(data, CensoredSample):
        return list(data.events)
    if text is None:
        return None
    return True if data is None and text.strip().lower() == "true" else parse_observed(text)


def derivation(
    args: argparse.Namespace,
) -> Result | LossResult | RegressionResult | CensoredResult | VectorResult:
    """What a derive, loss or regress command derives."""
    if args.command == "derive":
        options = formula_options(args)
        if (args.family is None) == (args.pdf is None and args.pmf is None):
            raise OptionError("give a family (e.g. symmle derive poisson) or --pdf/--pmf, once.")
        if vector_family(args.family) is not None:
            return vector_derivation(args)
        data, known = sample_option(args), parse_known(args.known)
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


def run(args: argparse.Namespace) -> str:
    if args.command == "fit":
        return fit_command(args)
    if getattr(args, "standalone", False) and args.format != "latex":
        raise OptionError("--standalone goes with --format latex (a whole LaTeX document).")
    if args.command == "compare":
        names = None if args.families is None else args.families.split(",")
        found = symmle.compare(read_file(args.data_file), names, bootstrap=args.bootstrap)
        printed = found.output(args.format)
        return standalone(printed) if args.standalone else printed
    if args.command in DERIVATIONS:
        result = derivation(args)
        printed = document(result, args.format)
        return confirmed(standalone(printed) if args.standalone else printed, result.checks)
    if args.command == "examples":
        return examples()
    if args.command == "list":
        return catalogue()
    if args.command == "cache":
        return cache_command(args.action)
    require_docs(args.command)
    from symmle.site.build import build, serve  # MkDocs is imported only for these two

    if args.command == "build":
        build(args.site_dir)
    else:
        serve(args.dev_addr)
    return ""


NEGATIVE = re.compile(r"-(\d|\.\d|inf|nan)", re.IGNORECASE)


def attach_values(argv: Sequence[str]) -> list[str]:
    """``--data -1,0,1`` -> ``--data=-1,0,1``: argparse would take -1,0,1 for an option
    (``--data --format json`` stays as it is: a missing value is argparse's to report)."""
    joined: list[str] = []
    for arg in argv:
        if joined and joined[-1] == "--data" and NEGATIVE.match(arg):
            joined[-1] += "=" + arg
        else:
            joined.append(arg)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; a user's mistake is one line on stderr and exit code 2."""
    args = parser().parse_args(attach_values(sys.argv[1:] if argv is None else argv))
    try:
        output = run(args)
    except SymmleError as error:
        print(f"symmle: error: {error}", file=sys.stderr)
        return 1 if isinstance(error, ConvergenceError) else 2  # not the input's fault
    except BuildError as error:
        print(f"symmle: error: {error}", file=sys.stderr)
        return 1
    except Unconfirmed as error:
        sys.stdout.write(error.output)
        print(
            f"symmle: error: {len(error.failed)} numeric check(s) failed ({error}): the result "
            "above is not confirmed.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("symmle: interrupted.", file=sys.stderr)
        return 130
    except ValueError as error:  # Python prints no integer of more than 4300 digits
        if "integer string conversion" not in str(error):
            raise
        print(
            "symmle: error: the result holds numbers of more than 4300 digits (such as Γ(1000) "
            "from a known value): give smaller known values or data.",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(output)
    return 0
