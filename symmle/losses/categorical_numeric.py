"""The numeric side of the losses of class targets: PyTorch's documented formulas written by
hand in NumPy, scipy's twins, the random inputs (extremes included) they are checked on, and the
inputs of the pages' plots."""

from __future__ import annotations

import numpy as np
import scipy

from symmle.losses.base import Array
from symmle.losses.options import Options, real


def log_softmax(x: Array) -> Array:
    """Log-probabilities as PyTorch's log_softmax computes them: x − m − log Σ e^(x − m)."""
    m = np.max(x, axis=-1, keepdims=True)
    return np.asarray(x - m - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))


def smoothed(options: Options, target: Array, classes: int) -> Array:
    """The target distribution: one-hot rows for class indices, mixed with the uniform."""
    if options["target"] == "index":
        target = np.eye(classes)[target.astype(int)]
    eps = real(options["label_smoothing"])
    return np.asarray((1 - eps) * target + eps / classes)


def cross_entropy_reference(options: Options, target: Array, x: Array) -> Array:
    """torch.nn.CrossEntropyLoss: −Σ_c t_c·log(exp(x_c) / Σ_i exp(x_i)), t the (smoothed)
    target distribution; class indices 0..k−1 as in PyTorch."""
    terms = smoothed(options, target, x.shape[-1]) * log_softmax(x)
    return np.asarray(-np.sum(class_weight(options, x.shape[-1]) * terms, axis=-1))


def class_weight(options: Options, classes: int) -> Array:
    """PyTorch's weight: ω_c per class, 1 when not given."""
    chosen = options.get("weight")
    return np.ones(classes) if chosen is None else np.asarray(chosen, dtype=np.float64)


def cross_entropy_scipy(options: Options, target: Array, x: Array) -> Array:
    """The same expected NLL with scipy.special.log_softmax."""
    terms = smoothed(options, target, x.shape[-1]) * scipy.special.log_softmax(x, axis=-1)
    return np.asarray(-np.sum(class_weight(options, x.shape[-1]) * terms, axis=-1))


def nll_reference(options: Options, target: Array, x: Array) -> Array:
    """torch.nn.NLLLoss: −ω_y·x_y, the weighted log-probability of the target class."""
    rows = target.astype(int)
    return np.asarray(-class_weight(options, x.shape[-1])[rows] * x[np.arange(len(target)), rows])


def kl_reference(options: Options, target: Array, x: Array) -> Array:
    """torch.nn.KLDivLoss, pointwise: y·(log y − x), or eʸ·(y − x) with log_target."""
    if options["log_target"]:
        return np.asarray(np.exp(target) * (target - x))
    out = -target * x
    positive = target > 0
    out[positive] += target[positive] * np.log(target[positive])
    return np.asarray(out)


def kl_scipy(options: Options, target: Array, x: Array) -> Array:
    """scipy.special.rel_entr(t, q) = t·log(t/q) at q = eˣ (where eˣ does not underflow)."""
    t = np.exp(target) if options["log_target"] else target
    q = np.exp(x)
    return np.asarray(np.where(q > 0, scipy.special.rel_entr(t, q), np.nan))


CLASSES = 4
EXTREME_ROWS = np.array(
    [
        [1e4, 0, -1e4, 5],
        [-100, 100, 0, 0],
        [1e4, 1e4, 1e4, 1e4],
        [-1e4, -1e4, -1e4, -1e4],
        [100, -100, 3, 0],
    ]
)


def count(options: Options) -> int:
    """The number of classes checked: as many as there are class weights, else CLASSES."""
    chosen = options.get("weight")
    return CLASSES if chosen is None else len(chosen)  # type: ignore[arg-type]


def logits(rng: np.random.Generator, classes: int = CLASSES) -> Array:
    extremes = np.pad(EXTREME_ROWS, ((0, 0), (0, max(0, classes - CLASSES))))[:, :classes]
    return np.vstack([rng.normal(0, 5, (100, classes)), extremes])


def class_targets(rng: np.random.Generator, options: Options, rows: int) -> Array:
    classes = count(options)
    if options.get("target") == "probabilities":
        t = rng.dirichlet(np.ones(classes), rows)
        t[::7] = np.eye(classes)[rng.integers(0, classes, len(t[::7]))]  # some zeros
        return np.asarray(t)
    return rng.integers(0, classes, rows).astype(float)


def cross_entropy_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    x = logits(rng, count(options))
    return class_targets(rng, options, len(x)), x


def nll_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    x = log_softmax(logits(rng, count(options)))
    return class_targets(rng, options, len(x)), x


def kl_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    x = log_softmax(logits(rng))
    t = class_targets(rng, {"target": "probabilities"}, len(x))
    if options["log_target"]:
        t = np.log(np.clip(t, 1e-12, None))
    return t, x


def first_class(grid: Array, target: float) -> tuple[Array, Array]:
    """Logits (z₀, 0, 0) of three classes; ``target`` is a class index (0-based, as PyTorch)."""
    return np.full_like(grid, target), np.column_stack(
        [grid, np.zeros_like(grid), np.zeros_like(grid)]
    )


def two_classes(grid: Array, target: float) -> tuple[Array, Array]:
    """Target (t₀, 1 − t₀) and predicted log-probabilities (log q₀, log(1 − q₀)), q₀ = grid."""
    t = np.column_stack([np.full_like(grid, target), np.full_like(grid, 1 - target)])
    return t, np.log(np.column_stack([grid, 1 - grid]))
