"""``symmle``'s entry point: parse the command, run it, print its output; a user's mistake is
one line on stderr and exit code 2. A derivation's checked document is kept on disk (by the
command, its options and its data), so the same derive or loss command in a new process prints
it without deriving, checking or importing SymPy again."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from symmle import store
from symmle.cli.options import DERIVATIONS, attach_values, data_text, parser
from symmle.cli.unconfirmed import Unconfirmed
from symmle.errors import BuildError, ConvergenceError, OptionError, SymmleError
from symmle.extras import require_docs

KEPT = ("derive", "loss")
"""The commands whose documents are kept: their options and data are the whole input (regress
reads a CSV file in its own reader)."""
HELP = ("-h", "--help")


def derivation_output(args: argparse.Namespace) -> str:
    """The checked document of a derive, loss or regress command; derive's and loss's kept by
    their options and the text of the data file (read once: - is standard input)."""
    text = data_text(args)

    def printed() -> str:
        from symmle.cli.derivations import printed_derivation

        return printed_derivation(args, text)

    if args.command not in KEPT:
        return printed()
    return store.kept("document", {**vars(args), "data_file": text}, printed)


def cache_command(action: str) -> str:
    root = store.cache_root()
    if action == "dir":
        return f"{root if root else f'off ({store.NO_CACHE} is set)'}\n"
    root, count = store.clear()
    return f"removed {count} kept result(s) from {root}\n" if root else "the cache is off\n"


def run(args: argparse.Namespace) -> str:
    if args.command == "fit":
        from symmle.cli.fitting import fit_command

        return fit_command(args)
    if getattr(args, "standalone", False) and args.format != "latex":
        raise OptionError("--standalone goes with --format latex (a whole LaTeX document).")
    if args.command == "compare":
        from symmle.fit.compare import compare
        from symmle.fit.text import read_file
        from symmle.render.formats import standalone

        names = None if args.families is None else args.families.split(",")
        found = compare(read_file(args.data_file), names, bootstrap=args.bootstrap)
        printed = found.output(args.format)
        return standalone(printed) if args.standalone else printed
    if args.command in DERIVATIONS:
        return derivation_output(args)
    if args.command in ("examples", "list"):
        from symmle.cli.derivations import catalogue, examples

        return examples() if args.command == "examples" else catalogue()
    if args.command == "cache":
        return cache_command(args.action)
    require_docs(args.command)
    from symmle.site.build import build, serve  # MkDocs is imported only for these two

    if args.command == "build":
        build(args.site_dir)
    else:
        serve(args.dev_addr)
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; a user's mistake is one line on stderr and exit code 2."""
    arguments = attach_values(sys.argv[1:] if argv is None else argv)
    args = parser(described=any(a in HELP for a in arguments)).parse_args(arguments)
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
