"""Fenced ```symmle blocks in a user's Markdown, each expanded into the derivation its command
gives (``derive …``, ``loss …`` or ``regress …``, as on the command line), rendered with its
numeric checks. No MkDocs here: symmle.site.plugin calls ``expand`` on every page."""

from __future__ import annotations

import argparse
import re
import shlex
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

from symmle.budget import within
from symmle.cli.derivations import derivation
from symmle.cli.options import DERIVATIONS, Parser, attach_values, data_text, parser
from symmle.data import token
from symmle.errors import OptionError
from symmle.render.formats import title
from symmle.render.templates import render

FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")


BUDGET = 30.0
"""Seconds a block may take by default (the plugin's ``block_budget``)."""


class Unconfirmed(Exception):
    """A block whose derivation failed a numeric check: the build must fail."""


class BlockParser(Parser):
    """The CLI's parser, raising instead of exiting: a block is not a command line."""

    def error(self, message: str) -> NoReturn:
        raise OptionError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise OptionError(message or "a symmle block holds a derivation, not --help")


def closing(lines: list[str], start: int, fence: str) -> int:
    """The index of the line that closes the fence opened at ``start`` (CommonMark's rule)."""
    closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for index in range(start + 1, len(lines)):
        if closer.match(lines[index]):
            return index
    raise OptionError("a ```symmle block is not closed: end it with ```")


def expand(markdown: str, base: Path, docs: Path, level: int = 2, budget: float = BUDGET) -> str:
    """Every top-level ```symmle block of a page replaced by its derivation; other fenced
    blocks are left alone, and so are symmle blocks inside them. ``base`` is the page's
    folder, ``docs`` the docs folder that every data file must lie in."""
    lines, out, index = markdown.split("\n"), [], 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if opened is None:
            out.append(lines[index])
            index += 1
            continue
        end = closing(lines, index, opened["fence"])
        if opened["info"] == "symmle":
            out.append(block(" ".join(lines[index + 1 : end]), base, docs, level, budget))
        else:
            out.extend(lines[index : end + 1])
        index = end + 1
    return "\n".join(out)


def arguments(command: str, base: Path, docs: Path) -> argparse.Namespace:
    """The block's command parsed as the CLI parses it; --data-file relative to the page and
    inside the docs folder (a docs build must not publish or log any other file)."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise OptionError(f"cannot read the symmle block {command!r}: {error}.") from None
    argv = argv[1:] if argv[:1] == ["symmle"] else argv
    args = parser(BlockParser).parse_args(attach_values(argv))
    if args.command not in DERIVATIONS:
        raise OptionError(f"a symmle block runs derive, loss or regress, not {args.command!r}.")
    if getattr(args, "data_file", None) is not None:
        if args.data_file == "-":
            raise OptionError("a symmle block cannot read its data from stdin: name a file.")
        args.data_file = str(data_file(args.data_file, base, docs))
    return args


def data_file(written: str, base: Path, docs: Path) -> Path:
    """The block's data file, resolved (links followed) and refused outside the docs folder."""
    path = (base / written).resolve()
    if not path.is_relative_to(docs.resolve()):
        raise OptionError(
            f"the data file {token(written)!r} lies outside the docs folder: a symmle block "
            "reads only files inside it."
        )
    return path


@lru_cache(maxsize=128)
def block(command: str, base: Path, docs: Path, level: int, budget: float = BUDGET) -> str:
    """One block's derivation as Markdown, its title at heading ``level``, derived in a worker
    process that is stopped after ``budget`` seconds."""
    try:
        return within(budget, derived_block, command, base, docs, level)
    except TimeoutError:
        raise OptionError(
            f"the symmle block {token(command, 40)!r} did not finish within {budget:g} s: give "
            "it fewer values or a simpler formula, or raise the plugin's block_budget."
        ) from None


def derived_block(command: str, base: Path, docs: Path, level: int) -> str:
    """One block's derivation as Markdown (in the worker)."""
    args = arguments(command, base, docs)
    result = derivation(args, data_text(args))
    failed = [c.name for c in result.checks if not c.passed]
    if failed:
        raise Unconfirmed(f"numeric checks failed for {command!r}: {'; '.join(failed)}")
    name = title(result)
    checks = [(name, check) for check in result.checks]
    return render("block.md.jinja", title=name, steps=result.steps, checks=checks, level=level)
