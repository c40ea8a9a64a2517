"""A loss as data: a registry entry (name, aliases, options, family and link, the derivation,
PyTorch's documented formula in NumPy, the inputs it is checked on) and what deriving it gives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from symmle.derive.step import Step
from symmle.display import Displayed
from symmle.errors import OptionError
from symmle.families import Distribution
from symmle.losses.options import CLASS_OPTIONS, Option, Options, Value, reduction_option

if TYPE_CHECKING:
    from symmle.checks import Check

Array = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class Derived:
    """What a derivation gives: the steps, the per-sample loss it ends with (``expr``) and
    ``fn``'s arguments, target first."""

    steps: tuple[Step, ...]
    expr: sp.Expr
    arguments: tuple[sp.Symbol, ...]
    textbook: sp.Expr | None = None
    """Before the stable rewrite (a sigmoid or softmax substituted): overflows; defaults to expr."""
    stable: sp.Expr | None = None
    """The form ``fn`` is compiled from, when it differs from expr (0·log 0 = 0 by xlogy)."""
    constants: tuple[tuple[sp.Symbol, tuple[float, ...]], ...] = ()
    """Symbols bound to numbers in ``fn`` (class weights ω), not among its arguments."""


def against_prediction(grid: Array, target: float) -> tuple[Array, Array]:
    """A plot's inputs: the target fixed, the prediction running over the grid."""
    return np.full_like(grid, target), grid


@dataclass(frozen=True)
class Plot:
    """The loss page's figure: the loss against the prediction for a few targets.
    ``inputs(grid, target)`` gives fn's arguments for each point of the grid."""

    xlabel: str
    low: float
    high: float
    targets: tuple[float, ...]
    inputs: Callable[[Array, float], tuple[Array, ...]]
    legend: str = "target {:g}"


Inputs = Callable[[np.random.Generator, Options], tuple[Array, ...]]


@dataclass(frozen=True)
class LossEntry:
    """One loss: where it comes from, how it is derived, what it is checked against."""

    name: str
    title: str
    family: str
    link: str
    pytorch: str
    derive: Callable[[Options], Derived]
    reference: Callable[..., Array]
    """PyTorch's documented formula written by hand in NumPy: (options, *inputs) -> losses."""
    inputs: Inputs
    """Random inputs for the checks, extremes included, where the loss is finite."""
    plot: Plot
    aliases: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    scipy: Callable[..., Array] | None = field(default=None, compare=False)
    """The same per-sample loss from scipy.stats / scipy.special, an independent route."""
    reference_name: str = ""
    """What ``reference`` is, in the checks' words (default: PyTorch's documented formula)."""
    reduction: str = "elements"
    """How PyTorch reduces it: "elements" (mean over every element), "classes" (class weights
    and ignore_index, the weighted mean) or "kl" (also 'batchmean')."""

    @property
    def all_options(self) -> tuple[Option, ...]:
        """The loss's own options, then PyTorch's reduction (and class weights)."""
        if self.reduction == "classes":
            return (*self.options, reduction_option(), *CLASS_OPTIONS)
        extra = ("batchmean",) if self.reduction == "kl" else ()
        return (*self.options, reduction_option(extra))

    def parse(self, given: Mapping[str, object]) -> dict[str, Value]:
        """Every option's value: the given ones checked, the others at their defaults."""
        known = {o.name: o for o in self.all_options}
        unknown = sorted(set(given) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise OptionError(
                f"{self.name} has no option {unknown[0]!r}; its options are: {names}."
            )
        return {
            name: o.parse(given[name]) if name in given else o.default for name, o in known.items()
        }


@dataclass(frozen=True)
class LossResult(Displayed):
    """A derived loss: per-sample ``expr`` (stable form), ``fn`` elementwise NumPy, ``steps``."""

    entry: LossEntry
    options: dict[str, Value]
    family: Distribution
    expr: sp.Expr
    stable: sp.Expr
    textbook: sp.Expr
    arguments: tuple[sp.Symbol, ...]
    fn: Callable[..., Any]
    steps: tuple[Step, ...]
    constants: tuple[tuple[sp.Symbol, tuple[float, ...]], ...] = ()
    """Symbols bound to numbers (class weights ω), before ``arguments`` in the compiled forms."""

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def title(self) -> str:
        return self.entry.title

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        from symmle.losses.checks import check_loss

        return check_loss(self)

    @cached_property
    def torch(self) -> Callable[..., Any]:
        """The per-sample loss as a function of tensors (``fn``'s arguments), built by SymPy's
        PyTorch printer: differentiable by autograd. Needs the torch extra."""
        from symmle.losses.frameworks import bound, compile_torch, require

        torch = require("torch", "A loss's .torch")
        fn = compile_torch([*self._bound, *self.arguments], self.stable)
        numbers = [torch.tensor(v, dtype=torch.float64) for _, v in self.constants]
        return bound(fn, tuple(numbers))

    @cached_property
    def jax(self) -> Callable[..., Any]:
        """The per-sample loss as a pure JAX function: jax.grad and jax.jit work on it. Needs
        the jax extra (and ``jax_enable_x64`` for float64)."""
        from symmle.losses.frameworks import bound, compile_jax, require

        jnp = require("jax", "A loss's .jax").numpy
        fn = compile_jax([*self._bound, *self.arguments], self.stable)
        return bound(fn, tuple(jnp.asarray(v) for _, v in self.constants))

    @property
    def _bound(self) -> list[sp.Symbol]:
        return [symbol for symbol, _ in self.constants]

    def module(self, reduction: str | None = None) -> Any:
        """A torch.nn.Module computing this loss, reduced as PyTorch does (``reduction``, by
        default the loss's own option): ``criterion(*predictions, target)``."""
        from symmle.losses.frameworks import module_class
        from symmle.losses.options import reduction_option

        if self.entry.reduction == "classes":
            raise OptionError(
                f"{self.name} reduces by class weights: use {self.entry.pytorch} "
                "itself, or .torch with your own reduction."
            )
        how = self.options["reduction"] if reduction is None else reduction
        extra = ("batchmean",) if self.entry.reduction == "kl" else ()
        how = reduction_option(extra).parse(how)
        return module_class()(self.torch, len(self.arguments) - 1, how, self.name)

    def reduced(self, *inputs: Any, weight: Any = None) -> Any:
        """The loss of a batch as PyTorch reduces it (``options["reduction"]``, 'mean' by
        default): ``fn``'s per-sample losses averaged, summed, or (for 'none') as they are;
        ``weight`` rescales each element (BCELoss's weight), class weights are an option."""
        from symmle.losses.reduction import reduce

        return reduce(self, inputs, weight)
