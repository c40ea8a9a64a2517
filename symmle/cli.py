"""The command line: symmle derive | fit | loss | examples | list | build | serve."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

import symmle
from symmle.data import parse_list
from symmle.derive.general import general
from symmle.errors import BuildError, OptionError, SymmleError
from symmle.families import get
from symmle.fit.text import read_file
from symmle.render.fit import FIT_FORMATS, fit_output
from symmle.render.formats import FORMATS, loss_output, mle_output


class Parser(argparse.ArgumentParser):
    """argparse that reports a malformed command in one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"symmle: error: {message} (see symmle --help)\n")


def parse_known(items: Sequence[str]) -> dict[str, str]:
    """--known NAME=VALUE (repeatable, or comma-separated)."""
    known: dict[str, str] = {}
    for item in (part for text in items for part in text.split(",")):
        name, sep, val = item.partition("=")
        if not sep or not name.strip() or not val.strip():
            raise OptionError(
                f"malformed --known {item!r}; write NAME=VALUE, e.g. --known sigma=1."
            )
        known[name.strip()] = val.strip()
    return known


def parser() -> Parser:
    top = Parser(prog="symmle", description=symmle.__doc__)
    commands = top.add_subparsers(dest="command", required=True, parser_class=Parser)
    derive = commands.add_parser("derive", help="derive the MLE of a family, step by step")
    derive.add_argument("family", help="one of: " + ", ".join(symmle.families()))
    derive.add_argument("--data", help="comma-separated sample, e.g. 0,0,0,1,0")
    derive.add_argument("--known", action="append", default=[], help="a fixed parameter NAME=VALUE")
    derive.add_argument("--format", choices=FORMATS, default="text")
    loss = commands.add_parser("loss", help="derive the loss that a family's NLL gives")
    loss.add_argument("family", help="one of: " + ", ".join(symmle.families()))
    loss.add_argument("--format", choices=FORMATS, default="text")
    fit = commands.add_parser("fit", help="fit a family to a data file with its compiled estimator")
    fit.add_argument("family", help="one of: " + ", ".join(symmle.families()))
    fit.add_argument(
        "--data-file", required=True, help="values, one a line or comma-separated; -: stdin"
    )
    fit.add_argument("--known", action="append", default=[], help="a fixed parameter NAME=VALUE")
    fit.add_argument("--se", action="store_true", help="standard errors (observed information)")
    fit.add_argument("--format", choices=FIT_FORMATS, default="text")
    commands.add_parser("examples", help="derive and print the worked examples")
    commands.add_parser("list", help="every family with its parameters and method")
    build = commands.add_parser("build", help="render every page and build the website")
    build.add_argument("--site-dir", default="site", help="output folder (default: site)")
    serve = commands.add_parser("serve", help="preview the website with live reload")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="IP:PORT to serve on")
    return top


def examples() -> str:
    """Both worked examples, then their general-n forms, as terminal text."""
    results = []
    for name in symmle.families():
        family = get(name)
        known = dict(family.example_known)
        results.append(mle_output(symmle.mle(name, data=family.example, known=known), "text"))
        results.append(mle_output(symmle.mle(name), "text"))
    return "\n\n".join(results)


def catalogue() -> str:
    """One line per family: name, parameters (known constants in brackets), method."""
    lines = [f"{'family':<18} {'parameters':<22} method"]
    for name in symmle.families():
        family = get(name)
        constants = "".join(f" [{c.name} known]" for c in family.constants)
        names = ", ".join(p.name for p in family.parameters) or "p_1..p_k"
        method = "constrained" if family.simplex else general(family).plan.method
        lines.append(f"{name:<18} {names + constants:<22} {method}")
    return "\n".join(lines) + "\n"


def fit_command(args: argparse.Namespace) -> str:
    """symmle fit: the estimates (and standard errors) of a family on a data file."""
    x = read_file(args.data_file)
    known = parse_known(args.known)
    if args.se:
        estimate, errors = symmle.fit(args.family, x, known, se=True)
    else:
        estimate, errors = symmle.fit(args.family, x, known), None
    dist = symmle.family_with_known(args.family, known)
    method = general(dist).plan.method
    return fit_output(dist.name, dist.title, method, x.size, estimate, errors, args.format)


def run(args: argparse.Namespace) -> str:
    if args.command == "fit":
        return fit_command(args)
    if args.command == "derive":
        data = None if args.data is None else parse_list(args.data)
        result = symmle.mle(args.family, data=data, known=parse_known(args.known))
        return mle_output(result, args.format)
    if args.command == "loss":
        return loss_output(symmle.loss(args.family), args.format)
    if args.command == "examples":
        return examples()
    if args.command == "list":
        return catalogue()
    from symmle.site.build import build, serve  # MkDocs is imported only for these two

    if args.command == "build":
        build(args.site_dir)
    else:
        serve(args.dev_addr)
    return ""


def attach_values(argv: Sequence[str]) -> list[str]:
    """``--data -1,0,1`` -> ``--data=-1,0,1``: argparse would take -1,0,1 for an option."""
    joined: list[str] = []
    for arg in argv:
        if joined and joined[-1] in ("--data", "--known") and arg.startswith("-"):
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
        return 2
    except BuildError as error:
        print(f"symmle: error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(output)
    return 0
