"""The commands and their options (argparse), and the NAME=VALUE options' reader."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

import symmle
from symmle.errors import OptionError
from symmle.files import read_data_file
from symmle.render.forms import FIT_FORMATS, FORMATS


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


STANDALONE = "with --format latex: a whole document (pdflatex compiles it), not a fragment"


def family_names() -> list[str]:
    from symmle.families import families

    return families()


def loss_names() -> list[str]:
    from symmle.losses import losses

    return losses()


def regression_names() -> list[str]:
    from symmle.models import regressions

    return regressions()


def one_of(names: Callable[[], list[str]], described: bool) -> str:
    """The help of a name argument: the names only when help is shown, since listing them
    imports their registries (SymPy with them)."""
    return "one of: " + ", ".join(names()) if described else "a name"


def parser(parser_class: type[Parser] = Parser, described: bool = True) -> Parser:
    """The command line's parser; ``described=False`` leaves out the lists of names, which only
    the help shows."""
    top = parser_class(prog="symmle", description=symmle.__doc__)
    commands = top.add_subparsers(dest="command", required=True, parser_class=parser_class)
    derive = commands.add_parser("derive", help="derive the MLE of a family, step by step")
    derive.add_argument("family", nargs="?", help=one_of(family_names, described))
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
    loss.add_argument("family", metavar="NAME", help=one_of(loss_names, described))
    loss.add_argument("--option", action="append", default=[], help="KEY=VALUE, e.g. full=true")
    loss.add_argument("--format", choices=FORMATS, default="text")
    loss.add_argument("--standalone", action="store_true", help=STANDALONE)
    fit = commands.add_parser("fit", help="fit a family to a data file with its compiled estimator")
    fit.add_argument("family", help=one_of(family_names, described))
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
    compare.add_argument("--format", choices=FORMATS, default="text")
    compare.add_argument("--standalone", action="store_true", help=STANDALONE)
    regress = commands.add_parser("regress", help="derive and fit a regression on a CSV file")
    regress.add_argument("model", metavar="NAME", help=one_of(regression_names, described))
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


DERIVATIONS = ("derive", "loss", "regress")


def data_text(args: argparse.Namespace) -> str | None:
    """The text of derive's --data-file (- reads standard input), None without one."""
    if args.command != "derive" or args.data_file is None:
        return None
    if args.data is not None:
        raise OptionError("give the sample with --data or with --data-file, not both.")
    return read_data_file(args.data_file, sys.stdin)


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
