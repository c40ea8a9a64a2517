"""Exceptions for a user's mistakes: each carries one clear sentence."""

from __future__ import annotations


class SymmleError(ValueError):
    """Base of every error caused by a user's input."""


class UnknownFamilyError(SymmleError):
    """The family name is not in the registry."""


class DataError(SymmleError):
    """The data are empty, not numbers, not finite, or outside the support."""


class OptionError(SymmleError):
    """A known parameter or another option is malformed or unknown."""


class NoMLEError(SymmleError):
    """The likelihood has no maximum inside the parameter domain."""


class BuildError(RuntimeError):
    """The website could not be built (not a mistake in the user's input)."""


class ConvergenceError(SymmleError):
    """Newton's method did not reach a maximum of the likelihood."""


class UnknownLossError(SymmleError):
    """The loss name is not in the registry."""


class FormulaError(SymmleError):
    """A user's formula (density, domain or support) is malformed, unsafe or not a density."""


class MissingExtraError(SymmleError):
    """A command needs an optional extra of the package that is not installed."""


class RegularityError(SymmleError):
    """The regularity conditions behind standard errors, intervals or tests fail here."""
