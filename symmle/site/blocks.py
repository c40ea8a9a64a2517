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

from symmle import cli
from symmle.errors import OptionError
from symmle.render.formats import title
from symmle.render.templates import render

FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")


class Unconfirmed(Exception):
    """A block whose derivation failed a numeric check: the build must fail."""


class BlockParser(cli.Parser):
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


def expand(markdown: str, base: Path, level: int = 2) -> str:
    """Every top-level ```symmle block of a page replaced by its derivation; other fenced
    blocks are left alone, and so are symmle blocks inside them."""
    lines, out, index = markdown.split("\n"), [], 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if opened is None:
            out.append(lines[index])
            index += 1
            continue
        end = closing(lines, index, opened["fence"])
        if opened["info"] == "symmle":
            out.append(block(" ".join(lines[index + 1 : end]), base, level))
        else:
            out.extend(lines[index : end + 1])
        index = end + 1
    return "\n".join(out)


def arguments(command: str, base: Path) -> argparse.Namespace:
    """The block's command parsed as the CLI parses it; --data-file relative to the page."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise OptionError(f"cannot read the symmle block {command!r}: {error}.") from None
    argv = argv[1:] if argv[:1] == ["symmle"] else argv
    args = cli.parser(BlockParser).parse_args(cli.attach_values(argv))
    if args.command not in cli.DERIVATIONS:
        raise OptionError(f"a symmle block runs derive, loss or regress, not {args.command!r}.")
    if getattr(args, "data_file", None) is not None:
        if args.data_file == "-":
            raise OptionError("a symmle block cannot read its data from stdin: name a file.")
        args.data_file = str(base / args.data_file)
    return args


@lru_cache(maxsize=128)
def block(command: str, base: Path, level: int) -> str:
    """One block's derivation as Markdown, its title at heading ``level``."""
    result = cli.derivation(arguments(command, base))
    failed = [c.name for c in result.checks if not c.passed]
    if failed:
        raise Unconfirmed(f"numeric checks failed for {command!r}: {'; '.join(failed)}")
    name = title(result)
    checks = [(name, check) for check in result.checks]
    return render("block.md.jinja", title=name, steps=result.steps, checks=checks, level=level)
