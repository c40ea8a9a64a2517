"""A loss compiled for PyTorch and JAX by SymPy's own printers (``lambdify`` with
``modules="torch"`` or ``"jax"``): differentiable by autograd and by jax.grad, jax.jit-able.
The stable functions (softplus, sigmoid, xlogy, logsumexp, loggamma, log1p) map to each
framework's exact kernels; numeric constants are folded to floats first, since a framework's
log or lgamma takes tensors, not Python numbers. Neither framework is imported with symmle:
each is an extra, and a missing one is named by MissingExtraError."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import sympy as sp

from symmle.errors import MissingExtraError

EXTRAS = {"torch": ("torch", "PyTorch"), "jax": ("jax", "JAX")}


def require(framework: str, what: str) -> Any:
    """The framework's module, or MissingExtraError naming the extra that installs it."""
    module, title = EXTRAS[framework]
    if find_spec(module) is None:
        raise MissingExtraError(
            f"{what} needs {title}, which is not installed: pip install 'symmle[{framework}]'."
        )
    return import_module(module)


def floated(expr: sp.Basic) -> sp.Basic:
    """Every constant subexpression (log 2π/2, loggamma(5/2)) as one float of 20 digits."""
    if isinstance(expr, sp.Expr) and expr.is_number and not expr.is_Atom:
        number = expr.evalf(20)
        if number.is_finite:
            return sp.Float(number, 20)
    if not expr.args or isinstance(expr, sp.Indexed):
        return expr
    return expr.func(*(floated(a) for a in expr.args))


NAMES = (
    "softplus",
    "sigmoid",
    "xlogy",
    "log1p",
    "logsumexp",
    "pick",
    "entry",
    "classes_sum",
    "classes_mean",
)
"""Functions printed by name and found in the framework's namespace below."""


def _torch_logsumexp(torch: Any, *z: Any) -> Any:
    """Over a vector's last axis (one argument) or over the arguments (a mixture's terms)."""
    if len(z) == 1:
        return torch.logsumexp(z[0], dim=-1)
    like = next((t for t in z if isinstance(t, torch.Tensor)), None)
    dtype = torch.float64 if like is None else like.dtype
    tensors = [torch.as_tensor(t, dtype=dtype) for t in z]
    return torch.logsumexp(torch.stack(torch.broadcast_tensors(*tensors)), dim=0)


def _torch_names(torch: Any) -> dict[str, Any]:
    def pick(z: Any, index: Any) -> Any:
        rows = torch.as_tensor(index).long()
        if z.dim() == 1:  # one vector for every sample: the class weights ω
            return z[rows]
        return torch.gather(z, -1, rows.unsqueeze(-1)).squeeze(-1)

    def classes_sum(*vectors: Any) -> Any:
        product = vectors[0]
        for v in vectors[1:]:
            product = product * v
        return product.sum(-1)

    return {
        "softplus": lambda z: torch.logaddexp(z, torch.zeros_like(z)),
        "sigmoid": torch.sigmoid,
        "xlogy": torch.special.xlogy,
        "loggamma": torch.lgamma,
        "log1p": torch.log1p,
        "logsumexp": partial(_torch_logsumexp, torch),
        "pick": pick,
        "entry": lambda z, index: pick(z, torch.as_tensor(index).long() - 1),
        "classes_sum": classes_sum,
        "classes_mean": lambda v: v.mean(-1),
    }


def _jax_names(jax: Any) -> dict[str, Any]:
    jnp = import_module("jax.numpy")
    special = import_module("jax.scipy.special")
    nn = import_module("jax.nn")

    def pick(z: Any, index: Any) -> Any:
        rows = jnp.asarray(index).astype(int)
        if jnp.ndim(z) == 1:
            return z[rows]
        return jnp.take_along_axis(z, rows[..., None], axis=-1)[..., 0]

    return {
        "softplus": lambda z: jnp.logaddexp(z, 0.0),
        "sigmoid": nn.sigmoid,
        "xlogy": special.xlogy,
        "loggamma": special.gammaln,
        "log1p": jnp.log1p,
        "logsumexp": lambda *z: (
            special.logsumexp(z[0], axis=-1)
            if len(z) == 1
            else special.logsumexp(jnp.stack(jnp.broadcast_arrays(*z)), axis=0)
        ),
        "pick": pick,
        "entry": lambda z, index: pick(z, jnp.asarray(index).astype(int) - 1),
        "classes_sum": lambda *v: jnp.sum(jnp.prod(jnp.stack(jnp.broadcast_arrays(*v)), 0), -1),
        "classes_mean": lambda v: jnp.mean(v, axis=-1),
    }


@cache
def _torch_printer() -> type:
    from sympy.printing.pytorch import TorchPrinter

    class Printer(TorchPrinter):
        """symmle's stable functions by name (looked up in the namespace of _torch_names);
        Max/Min against a number as clamps; a Piecewise's last branch as its default."""

        def _print_Function(self, expr: sp.Expr) -> str:
            name = type(expr).__name__
            if type(expr) not in self.mapping and name in NAMES:
                return f"{name}({', '.join(self._print(a) for a in expr.args)})"
            return str(super()._print_Function(expr))

        def _print_Max(self, expr: sp.Expr) -> str:
            return self._clamp(expr, "min")

        def _print_Min(self, expr: sp.Expr) -> str:
            return self._clamp(expr, "max")

        def _clamp(self, expr: sp.Expr, side: str) -> str:
            bounds = [a for a in expr.args if a.is_number]
            others = [a for a in expr.args if not a.is_number]
            if len(bounds) != 1 or len(others) != 1:
                return str(super()._print_Function(expr))
            return f"torch.clamp({self._print(others[0])}, {side}={self._print(bounds[0])})"

        def _print_Piecewise(self, expr: sp.Expr) -> str:
            *branches, (last, condition) = expr.args
            shown = self._print(last)
            if condition is not sp.true:
                shown = f"torch.where({self._print(condition)}, {shown}, float('nan'))"
            for e, c in reversed(branches):
                shown = f"torch.where({self._print(c)}, {self._print(e)}, {shown})"
            return str(shown)

    return Printer


def compile_torch(arguments: list[sp.Symbol], expr: sp.Expr) -> Callable[..., Any]:
    """A function of tensors (float64 from anything else), through SymPy's TorchPrinter."""
    torch = require("torch", "A loss's .torch")
    fn = sp.lambdify(
        arguments, floated(expr), modules=[_torch_names(torch), "torch"], printer=_torch_printer()
    )

    def tensors(*inputs: Any) -> Any:
        values = [
            x if isinstance(x, torch.Tensor) else torch.as_tensor(x, dtype=torch.float64)
            for x in inputs
        ]
        result = fn(*values)
        return result if isinstance(result, torch.Tensor) else torch.as_tensor(result)

    return tensors


def compile_jax(arguments: list[sp.Symbol], expr: sp.Expr) -> Callable[..., Any]:
    """A pure function of arrays for jax.grad and jax.jit, through SymPy's JaxPrinter
    (float64 needs ``jax.config.update("jax_enable_x64", True)``, as JAX always does)."""
    jax = require("jax", "A loss's .jax")
    return sp.lambdify(arguments, floated(expr), modules=[_jax_names(jax), "jax"])  # type: ignore[no-any-return]


def bound(fn: Callable[..., Any], constants: tuple[Any, ...]) -> Callable[..., Any]:
    return partial(fn, *constants) if constants else fn


def reduce_torch(values: Any, how: str) -> Any:
    """PyTorch's reduction of per-sample losses (every element counts in 'mean')."""
    if how == "none":
        return values
    if how == "sum":
        return values.sum()
    if how == "batchmean":
        return values.sum() / values.shape[0]
    return values.mean()


@cache
def module_class() -> type:
    """torch.nn.Module subclass of every derived loss (made when first asked for)."""
    torch = require("torch", "A loss's .module()")

    base: Any = torch.nn.Module

    class DerivedLoss(base):
        """The derived loss as a criterion: ``criterion(*predictions, target)`` (one
        prediction per network output, or one tensor whose last axis holds them all)."""

        def __init__(self, fn: Callable[..., Any], outputs: int, reduction: str, name: str):
            super().__init__()
            self.fn, self.outputs, self.reduction, self.name = fn, outputs, reduction, name

        def forward(self, *inputs: Any) -> Any:
            *predictions, target = inputs
            if len(predictions) == 1 and self.outputs > 1:
                predictions = list(torch.unbind(predictions[0], dim=-1))
            if len(predictions) != self.outputs:
                raise TypeError(
                    f"{self.name} takes {self.outputs} prediction(s) and the target; got "
                    f"{len(predictions)} prediction(s)."
                )
            return reduce_torch(self.fn(target, *predictions), self.reduction)

        def extra_repr(self) -> str:
            return f"{self.name}, reduction={self.reduction!r}"

    return DerivedLoss
