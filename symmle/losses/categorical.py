"""Losses of class targets, from the Categorical: cross-entropy on logits (class indices or
probabilities, label smoothing), NLL on log-probabilities, and the KL divergence."""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import special

from symmle.derive.step import Step
from symmle.families.discrete import k
from symmle.losses.base import Array, Derived, LossEntry, Plot
from symmle.losses.functions import classes_mean, classes_sum, logsumexp, pick, softmax, xlogy
from symmle.losses.options import Option, Options, real
from symmle.losses.reduction import omega
from symmle.render.latex import inline
from symmle.render.notation import Density, Likelihood, Loss, NegativeLogLikelihood
from symmle.symbols import i, n, value, y

c = sp.Symbol("c", integer=True, positive=True)
z, p, a, t, b = sp.symbols("z p a t b")
"""Vectors over the k classes (last axis in NumPy): logits, probabilities, log-probabilities,
a target distribution and its logarithm."""
w = sp.Symbol("w")
SOFTMAX = sp.exp(sp.Indexed(sp.IndexedBase(z), value)) / sp.Sum(
    sp.exp(sp.Indexed(sp.IndexedBase(z), c)), (c, 1, k)
)


def categorical_steps(link: sp.Expr, said: str) -> list[Step]:
    """Model, likelihood and NLL of class targets whose probabilities are ``link``."""
    p_i = sp.IndexedBase("p")[i]
    f_i = Density(y[i], p_i)
    nll = NegativeLogLikelihood(w)
    return [
        Step(
            "conditional",
            "A network predicts the class probabilities",
            sp.Tuple(sp.Eq(f_i, pick(p_i, y[i])), sp.Eq(p, link)),
            "Given the input xᵢ, the class yᵢ ∈ {1, …, k} follows the Categorical whose "
            f"probabilities p = (p₁, …, p_k) the network outputs: {said}",
        ),
        Step(
            "likelihood",
            "Conditional likelihood",
            sp.Eq(Likelihood(w), sp.Product(f_i, (i, 1, n))),
            "The pairs are independent, so the likelihood of the weights is a product.",
        ),
        Step(
            "nll",
            "Negative log-likelihood",
            sp.Eq(nll, -sp.Sum(sp.log(pick(p_i, y[i])), (i, 1, n))),
            "Training minimises the negative log-likelihood: per sample, −log of the "
            "probability given to the observed class.",
        ),
    ]


def cross_entropy_steps(options: Options) -> tuple[list[Step], sp.Expr, sp.Expr]:
    """Steps to −z_y + logsumexp(z); the textbook −log softmax(z)_y and the stable form."""
    steps = categorical_steps(softmax(z), "p = softmax(z).")
    textbook = -sp.log(SOFTMAX)
    normaliser = sp.log(sp.Sum(sp.exp(sp.IndexedBase(z)[c]), (c, 1, k)))
    expanded = sp.expand_log(textbook, force=True)
    stable = expanded.subs(normaliser, logsumexp(z)).subs(sp.IndexedBase(z)[value], pick(z, value))
    steps.append(
        Step(
            "link",
            "Softmax of the logits",
            sp.Eq(Loss(value, z), textbook),
            "The network's last layer gives k real numbers z (logits); the softmax "
            "p_c = e^(z_c) / Σⱼ e^(z_j) makes them probabilities. Computed as it stands, "
            "e^(z_c) overflows for z_c > 709 and the loss is NaN.",
        )
    )
    steps.append(
        Step(
            "stable",
            "The stable form: logsumexp",
            sp.Tuple(sp.Eq(Loss(value, z), expanded), sp.Eq(Loss(value, z), stable)),
            "The logarithm of the quotient is a difference, and log Σ_c e^(z_c) is computed as "
            "m + log Σ_c e^(z_c − m) with m = max_c z_c: every exponent is at most 0, so "
            "nothing overflows and the largest term is e⁰ = 1, so nothing underflows to log 0.",
        )
    )
    numeric = textbook.subs(normaliser.args[0], classes_sum(sp.exp(z)))
    return steps, numeric.subs(sp.IndexedBase(z)[value], pick(z, value)), stable


def derive_cross_entropy(options: Options) -> Derived:
    steps, textbook, per_class = cross_entropy_steps(options)
    target, arguments = value, (value, z)
    loss = per_class
    if options["target"] == "probabilities":
        loss = -classes_sum(t, z) + logsumexp(z)
        target, arguments = t, (t, z)
        steps.append(
            Step(
                "option",
                "Probability targets",
                sp.Eq(Loss(t, z), loss),
                "With a target distribution t over the classes instead of one class, the loss "
                "is the NLL averaged over classes drawn from t, Σ_c t_c(−log p_c), the "
                "cross-entropy H(t, p); since Σ_c t_c = 1 the logsumexp appears once.",
            )
        )
    smoothing = sp.nsimplify(options["label_smoothing"], rational=True)
    if smoothing:
        uniform = -classes_mean(z) + logsumexp(z)
        loss = sp.collect(sp.expand((1 - smoothing) * loss + smoothing * uniform), logsumexp(z))
        steps.append(
            Step(
                "option",
                f"Label smoothing ε = {inline(smoothing)}",
                sp.Eq(Loss(target, z), loss),
                "The target is mixed with the uniform distribution: (1 − ε)·target + ε/k. "
                "The loss is the same mixture of the loss at the target and the loss at the "
                "uniform distribution, −(1/k)Σ_c z_c + logsumexp(z), which keeps the logits "
                "from growing without bound on separable data.",
            )
        )
    weighted = class_weights(options, loss, target)
    if weighted is not None:
        steps.append(weighted)
        loss = weighted.expr.rhs
    steps.append(
        Step(
            "loss",
            "The cross-entropy",
            sp.Eq(Loss(target, z), loss),
            "Per sample this is PyTorch's CrossEntropyLoss; averaged over the sample, the mean "
            "cross-entropy. Its NumPy function takes class indices 0, …, k − 1, as PyTorch does.",
        )
    )
    return Derived(
        tuple(steps),
        loss,
        arguments,
        textbook=textbook if loss == per_class else None,
        constants=constants(options),
    )


def constants(options: Options) -> tuple[tuple[sp.Symbol, tuple[float, ...]], ...]:
    """The class weights ω bound in ``fn``, when they are given."""
    chosen = options["weight"]
    return () if chosen is None else ((omega, tuple(map(float, chosen))),)  # type: ignore[arg-type]


def weights_text(options: Options) -> str:
    shown = ", ".join(f"{float(v):g}" for v in options["weight"])  # type: ignore[union-attr]
    return (
        f"Class c counts ω_c times (PyTorch's weight, here ω = ({shown})): its probability in "
        "the likelihood is raised to the power ω_c, so its term of the NLL, −log p_c, is "
        "multiplied by ω_c. "
    )


def class_weights(options: Options, loss: sp.Expr, target: sp.Symbol) -> Step | None:
    """The loss with class weights: −Σ_c ω_c T_c log p_c for the target distribution T
    (one-hot, or t, mixed with the uniform by label smoothing)."""
    if options["weight"] is None:
        return None
    if target == value:
        given = pick(omega, value) * (-pick(z, value) + logsumexp(z))
    else:
        given = -classes_sum(omega, t, z) + classes_sum(omega, t) * logsumexp(z)
    smoothing = sp.nsimplify(options["label_smoothing"], rational=True)
    uniform = -classes_mean(omega * z) + classes_mean(omega) * logsumexp(z)
    weighted = sp.collect(sp.expand((1 - smoothing) * given + smoothing * uniform), logsumexp(z))
    return Step(
        "option",
        "Class weights ω",
        sp.Eq(Loss(target, z), weighted),
        weights_text(options) + "The per-sample loss is −Σ_c ω_c T_c log p_c for the target "
        "distribution T; the mean over the batch divides by the total weight of the targets "
        "(class indices) or by n (probabilities).",
    )


def derive_nll(options: Options) -> Derived:
    steps = categorical_steps(sp.exp(a), "p = eᵃ, where a = log p are log-probabilities.")
    loss = -pick(a, value)
    if options["weight"] is not None:
        loss = -pick(omega, value) * pick(a, value)
        steps.append(
            Step(
                "option",
                "Class weights ω",
                sp.Eq(Loss(value, a), loss),
                weights_text(options) + "The mean over the batch divides by their total weight.",
            )
        )
    steps.append(
        Step(
            "link",
            "The network outputs log-probabilities",
            sp.Tuple(sp.Eq(a, sp.log(p)), sp.Eq(Loss(value, a), loss)),
            "A last layer log_softmax gives log-probabilities a = log p directly (computed with "
            "logsumexp, so finite); the loss only picks the entry of the observed class.",
        )
    )
    steps.append(
        Step(
            "loss",
            "The negative log-likelihood loss",
            sp.Eq(Loss(value, a), loss),
            "Per sample this is PyTorch's NLLLoss; log_softmax followed by it is the "
            "cross-entropy. Its NumPy function takes class indices 0, …, k − 1, as PyTorch does.",
        )
    )
    return Derived(tuple(steps), loss, (value, a), constants=constants(options))


def derive_kl(options: Options) -> Derived:
    entropy = -classes_sum(t, sp.log(t))
    cross = -classes_sum(t, sp.log(p))
    kl = sp.Function("KL")
    steps = [
        Step(
            "model",
            "Cross-entropy is the expected NLL",
            sp.Eq(sp.Function("H")(t, p), cross),
            "When the target is a distribution t over the classes, the NLL of the model p "
            "averaged over targets drawn from t is the cross-entropy H(t, p).",
        ),
        Step(
            "drop_constants",
            "KL divergence: the cross-entropy less the target's entropy",
            sp.Tuple(
                sp.Eq(kl(t, p), classes_sum(t, sp.log(t / p))), sp.Eq(kl(t, p), cross - entropy)
            ),
            f"KL(t ‖ p) = H(t, p) − H(t) with the entropy H(t) = {inline(entropy)}, which does "
            "not depend on the weights: the two losses have the same minimiser and gradient, "
            "but the KL divergence is 0 when p = t, where the cross-entropy is H(t).",
        ),
    ]
    if options["log_target"]:
        loss, arguments = sp.exp(b) * (b - a), (b, a)
        said = "The target is given as log-probabilities b = log t (log_target): eᵇ(b − a)."
    else:
        loss, arguments = xlogy(t, t) - t * a, (t, a)
        said = (
            "Written with xlogy(t, t) = t·log t, which is 0 at t = 0 (the limit), a class "
            "the target never takes adds nothing instead of 0·log 0 = NaN."
        )
    steps += [
        Step(
            "link",
            "The input is log-probabilities",
            sp.Eq(Loss(t, a), t * (sp.log(t) - a)),
            "PyTorch's KLDivLoss takes a = log p (a log_softmax output) and gives the term of "
            "each class, t_c(log t_c − a_c), summed over the classes by the reduction.",
        ),
        Step("stable", "The stable form", sp.Eq(Loss(arguments[0], a), loss), said),
        Step(
            "loss",
            "The KL divergence loss",
            sp.Eq(Loss(arguments[0], a), loss),
            "Per class this is PyTorch's KLDivLoss; summed over the classes and averaged over "
            "the sample (reduction='batchmean') it is the mean KL divergence.",
        ),
    ]
    textbook = None if options["log_target"] else t * (sp.log(t) - a)
    return Derived(tuple(steps), loss, arguments, textbook=textbook)


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
    terms = smoothed(options, target, x.shape[-1]) * special.log_softmax(x, axis=-1)
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
    return np.asarray(np.where(q > 0, special.rel_entr(t, q), np.nan))


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


CROSS_ENTROPY = LossEntry(
    name="cross-entropy",
    title="Cross-entropy",
    family="categorical",
    link="p = softmax(z)",
    pytorch="torch.nn.CrossEntropyLoss",
    derive=derive_cross_entropy,
    reference=cross_entropy_reference,
    inputs=cross_entropy_inputs,
    plot=Plot(
        "logit z₀ of class 0 (the others 0, k = 3)", -8, 8, (0, 1), first_class, "target class {:g}"
    ),
    options=(
        Option(
            "target", "index", "class indices or probabilities", choices=("index", "probabilities")
        ),
        Option(
            "label_smoothing",
            0.0,
            "the weight of the uniform distribution in the target",
            sp.Interval(0, 1),
        ),
    ),
    scipy=cross_entropy_scipy,
    reduction="classes",
)

NLL = LossEntry(
    name="nll",
    title="Negative log-likelihood loss",
    family="categorical",
    link="a = log p",
    pytorch="torch.nn.NLLLoss",
    derive=derive_nll,
    reference=nll_reference,
    inputs=nll_inputs,
    plot=Plot("log-probability a₀ of class 0", -6, 0, (0,), first_class, "target class {:g}"),
    reduction="classes",
)

KL_DIV = LossEntry(
    name="kl-div",
    title="KL divergence",
    family="categorical",
    link="a = log p",
    pytorch="torch.nn.KLDivLoss",
    derive=derive_kl,
    reference=kl_reference,
    inputs=kl_inputs,
    plot=Plot(
        "predicted probability q₀ of class 0 (k = 2)",
        0.001,
        0.999,
        (0.2, 0.5, 0.9),
        two_classes,
        "target t₀ = {:g}",
    ),
    options=(Option("log_target", False, "the target is given as log-probabilities"),),
    scipy=kl_scipy,
    reduction="kl",
)

LOSSES = (CROSS_ENTROPY, NLL, KL_DIV)
