"""Any family's negative log-likelihood as a network's loss: a network predicts some of the
family's parameters through links (θ = g(z), z any real number), the others are known, and
the per-sample NLL is derived in the outputs z, rewritten into its numerically stable form
(softplus, log1p, loggamma), and kept whole, constants included, so that it equals
−log f(y; θ) exactly (the log_prob of torch.distributions, of jax.scipy.stats)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from symmle.derive.step import Step
from symmle.errors import OptionError
from symmle.families import Distribution, Parameter
from symmle.losses.base import Derived
from symmle.losses.family import conditional_steps, loss_step
from symmle.losses.functions import softplus
from symmle.losses.links import Link, chosen_links, output_symbol
from symmle.losses.stable import log_one_plus, log_sigmoid, special_logs
from symmle.printing.notation import Loss
from symmle.printing.prose import phrase, say
from symmle.symbols import value


@dataclass(frozen=True)
class Network:
    """What the network predicts: the parameters, each with its link and output symbol."""

    family: Distribution
    parameters: tuple[Parameter, ...]
    links: tuple[Link, ...]

    @property
    def outputs(self) -> tuple[sp.Symbol, ...]:
        return tuple(output_symbol(p, g) for p, g in zip(self.parameters, self.links, strict=True))

    @property
    def linked(self) -> dict[sp.Symbol, sp.Expr]:
        """θ -> g(z) for every predicted parameter."""
        return {
            p.symbol: g.apply(z)
            for p, g, z in zip(self.parameters, self.links, self.outputs, strict=True)
        }

    @property
    def link_text(self) -> str:
        """The links in one line, as the loss table shows them: σ = softplus(z_σ), μ = z_μ."""
        return ", ".join(
            f"{sp.pretty(p.symbol)} = {sp.pretty(g.apply(z), use_unicode=True)}"
            for p, g, z in zip(self.parameters, self.links, self.outputs, strict=True)
        ).replace("\n", " ")


def network(
    family: Distribution,
    predict: str | Sequence[str] | None,
    link: str | Mapping[str, str] | None,
) -> Network:
    """The parameters predicted (all of them by default), each with its link; every other
    parameter must be known."""
    family.require_constants()
    names = [p.name for p in family.parameters]
    wanted = [predict] if isinstance(predict, str) else list(predict or names)
    for name in wanted:
        if name not in names:
            what = ", ".join(names) or "none"
            raise OptionError(
                f"the {family.title} has no free parameter {name!r} to predict: {what}."
            )
    left = [n for n in names if n not in wanted]
    if left:
        raise OptionError(
            f"{left[0]} is neither predicted nor known: add it to predict=…, or give "
            f"known={{'{left[0]}': …}}."
        )
    parameters = tuple(family.parameter(n) for n in wanted)
    links = chosen_links(parameters, link)
    return Network(family, parameters, tuple(links[p.name] for p in parameters))


def require_plain(family: Distribution) -> None:
    """A density summed over indices is not yet a network's loss (the catalogue's mixtures are:
    symmle.losses.mixture)."""
    if family.density.has(sp.Sum, sp.Product) or (
        family.density.has(sp.Indexed) and not family.simplex
    ):
        raise OptionError(
            f"the {family.title}'s density sums over components or indices: its NLL as a "
            "network's loss is not derived yet."
        )


def support_guard(net: Network, loss: sp.Expr) -> sp.Expr:
    """Where the support moves with a predicted parameter (uniform, Pareto), the loss is +∞
    outside it: the target is impossible there."""
    support = net.family.support
    if not support.free_symbols & {p.symbol for p in net.parameters}:
        return loss
    inside = support.contains(value).subs(net.linked)
    return sp.Piecewise((loss, inside), (sp.oo, True))


def stabilised(textbook: sp.Expr) -> sp.Expr:
    """log σ(z) -> −softplus(−z), log(1 − σ(z)) -> −softplus(z), log(1 + eᵘ) -> softplus(u),
    log(1 + u) -> log1p(u), log Γ -> loggamma; then collected as a textbook would."""
    stable = special_logs(log_one_plus(log_sigmoid(textbook)))
    stable = stable.replace(  # softplus(−u) = softplus(u) − u: the data's term comes out
        lambda e: isinstance(e, softplus) and e.args[0].could_extract_minus_sign(),
        lambda e: softplus(-e.args[0]) + e.args[0],
    )
    return tidy(stable)


def tidy(expr: sp.Expr) -> sp.Expr:
    """Terms gathered by the functions they hold (the data's terms together)."""
    expr = sp.Add(*(sp.expand_mul(t, deep=False) for t in sp.Add.make_args(expr)))
    constant, rest = expr.as_independent(sp.Symbol, as_Add=True)
    expr = rest + constant_log(constant)
    functions = sorted(expr.atoms(sp.Function), key=sp.default_sort_key)
    return sp.collect(expr, functions, sp.factor)


def constant_log(constant: sp.Expr) -> sp.Expr:
    """log 2/2 + log π/2 -> log(2π)/2: the constant as one logarithm, without square roots."""
    combined = sp.logcombine(constant, force=True)
    if isinstance(combined, sp.log) and combined.args[0].has(sp.sqrt(sp.Symbol("_")).func):
        squared = sp.expand(combined.args[0] ** 2)
        if not any(p.exp == sp.S.Half for p in squared.atoms(sp.Pow)):
            return sp.Mul(sp.Rational(1, 2), sp.log(squared), evaluate=False)
    return combined


def derive_network(net: Network) -> Derived:
    """Model, likelihood, NLL; the links; the stable form; the loss per sample."""
    family, outputs = net.family, net.outputs
    shown = ", ".join(sp.pretty(p.symbol) for p in net.parameters)
    what = (
        f"parameter{'s' if len(net.parameters) > 1 else ''} {shown} "
        f"{'are' if len(net.parameters) > 1 else 'is'} output by the network NN(xᵢ | w)"
    )
    steps, nll = conditional_steps(family, {p.symbol: p.symbol for p in net.parameters}, what)
    nll = special_logs(nll)
    textbook = support_guard(net, sp.expand_log(nll.subs(net.linked), force=True))
    if any(g.name != "identity" for g in net.links):
        steps.append(link_step(net, textbook))
    stable = stabilised(textbook) if not textbook.has(sp.Piecewise) else guarded_stable(textbook)
    if stable != textbook:
        steps.append(stable_step(outputs, stable))
    steps.append(loss_step(stable, outputs, "per-sample NLL", "mean NLL"))
    steps.append(gradient_step(outputs, stable))
    return Derived(tuple(steps), stable, (value, *outputs), textbook=textbook)


def guarded_stable(textbook: sp.Expr) -> sp.Expr:
    (inside, where), rest = textbook.args
    return sp.Piecewise((stabilised(inside), where), rest)


def link_step(net: Network, textbook: sp.Expr) -> Step:
    equations = [sp.Eq(p, e) for p, e in net.linked.items() if p != e]  # identity: no equation
    said = say(
        "The network's last layer gives any real number; a link maps it into the parameter's "
        "domain (",
        "; ".join(f"{g.name}: {g.said}" for g in dict.fromkeys(net.links) if g.name != "identity"),
        "). Substituted as they stand:",
    )
    return Step(
        "link",
        "The links from the network's outputs",
        sp.Tuple(*equations, sp.Eq(Loss(value, *net.outputs), textbook)),
        said,
    )


STABLE_WORDS = (
    (
        "softplus",
        "log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z) and log(1 + eᵘ) = "
        "softplus(u), computed as max(u, 0) + log(1 + e^(−|u|)), which never overflows",
    ),
    ("log1p", "log(1 + u) = log1p(u), exact where u is tiny (a far tail, a small scale)"),
    (
        "loggamma",
        "log Γ(a) = loggamma(a) (and log y! = loggamma(y + 1)), finite where Γ(a) overflows",
    ),
)


def stable_step(outputs: tuple[sp.Symbol, ...], stable: sp.Expr) -> Step:
    names = {type(f).__name__ for f in stable.atoms(sp.Function)}
    used = [words for name, words in STABLE_WORDS if name in names]
    said = say(
        "Rewritten with functions that stay finite where the textbook form overflows or loses "
        "its digits: ",
        "; ".join(used) if used else "the logarithms expanded",
        ". The terms are gathered by what they depend on.",
    )
    return Step(
        "stable",
        "The numerically stable form",
        sp.Eq(Loss(value, *outputs), stable),
        said,
    )


def gradient_step(outputs: tuple[sp.Symbol, ...], stable: sp.Expr) -> Step:
    """∂𝓛/∂z for each output: where backpropagation starts."""
    inside = stable.args[0][0] if isinstance(stable, sp.Piecewise) else stable
    real = sp.Symbol("y", real=True)  # |μ − y|' is a sign for real y, not a re(y) quotient
    derivatives = [
        sp.Eq(
            sp.Derivative(Loss(value, *outputs), z),
            tidy(sp.diff(inside.subs(value, real), z).subs(real, value)),
        )
        for z in outputs
    ]
    return Step(
        "loss",
        "The gradient backpropagation starts from",
        sp.Tuple(*derivatives),
        phrase(
            "Automatic differentiation (autograd in PyTorch, jax.grad) computes these from the "
            "compiled loss; written out, they are what the network's last layer receives."
        ),
    )
