"""A printed derivation is confirmed by its numeric checks, or the command exits 1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symmle.checks import Check


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
