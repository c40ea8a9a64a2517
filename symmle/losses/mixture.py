"""A mixture's NLL as a network's loss (a mixture density network, Bishop 1994): the network
outputs k logits, whose softmax gives the weights, and each component's parameters through
their links. The per-sample NLL −log Σⱼ wⱼ fⱼ(y) is written as the difference of two
log-sum-exps, the log-softmax's and the components' (log wⱼ + log fⱼ(y)): finite for logits
of ±1000 and for a target far from every component, where every wⱼ fⱼ(y) underflows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from symmle.derive.step import Step
from symmle.errors import OptionError
from symmle.families.mixtures import Mixture
from symmle.losses.base import Derived
from symmle.losses.family import conditional_steps, loss_step
from symmle.losses.functions import logsumexp
from symmle.losses.links import LINKS
from symmle.losses.network import Network, derive_network, link_step, network
from symmle.printing.notation import Loss
from symmle.printing.prose import phrase
from symmle.symbols import value


@dataclass(frozen=True)
class MixtureNetwork(Network):
    """The weights through the softmax of k logits; every component's parameters through the
    links of ``component``, the component family's own network."""

    component: Network | None = None

    @property
    def base(self) -> Network:
        assert self.component is not None
        return self.component

    @property
    def size(self) -> int:
        assert isinstance(self.family, Mixture)
        return self.family.size

    @property
    def logits(self) -> tuple[sp.Symbol, ...]:
        return self.outputs[: self.size]

    @property
    def linked(self) -> dict[sp.Symbol, sp.Expr]:
        """wⱼ -> e^(zⱼ)/Σₗ e^(zₗ), each component's θⱼ -> g(z_θⱼ)."""
        total = sp.Add(*(sp.exp(z) for z in self.logits))
        weights = {
            p.symbol: sp.exp(z) / total for p, z in zip(self.parameters, self.logits, strict=False)
        }
        rest = zip(self.parameters, self.links, self.outputs, strict=True)
        return weights | {p.symbol: g.apply(z) for p, g, z in list(rest)[self.size :]}

    @property
    def link_text(self) -> str:
        return f"w = softmax(z_w); in each component, {self.base.link_text}"

    def renaming(self, c: int) -> dict[sp.Symbol, sp.Symbol]:
        """The component network's outputs -> component c's (counted from 0)."""
        count = len(self.base.outputs)
        own = self.outputs[self.size + c * count : self.size + (c + 1) * count]
        return dict(zip(self.base.outputs, own, strict=True))


def mixture_network(
    family: Mixture,
    predict: str | Sequence[str] | None,
    link: str | Mapping[str, str] | None,
) -> MixtureNetwork:
    """Every weight and every component's parameters predicted: the weights by the softmax,
    the components' parameters by the component's links (named without the component's
    number: link={"sigma": "exp"})."""
    family.require_constants()
    names = [p.name for p in family.parameters]
    wanted = [predict] if isinstance(predict, str) else list(predict or names)
    if sorted(wanted) != sorted(names):
        raise OptionError(
            f"a mixture density network predicts every weight and every component's "
            f"parameters ({', '.join(names)}): leave out predict=."
        )
    given = dict(link) if isinstance(link, Mapping) else {}
    if given.pop("w", "softmax") != "softmax" or (isinstance(link, str) and link == "softmax"):
        raise OptionError(
            "the weights w_1, …, w_k are predicted through the softmax of k logits: "
            "link={'w': 'softmax'} (the default)."
        )
    base = network(family.base, None, link if isinstance(link, str) else given)
    links = (LINKS["softmax"],) * family.size + base.links * family.size
    return MixtureNetwork(family, family.parameters, links, component=base)


WHAT = (
    "weights are the softmax of k outputs (logits) and whose components' parameters are "
    "output by the network NN(xᵢ | w)"
)


def derive_mixture(net: MixtureNetwork) -> Derived:
    """Model, likelihood, NLL; the links; the log-sum-exp form; the loss and its gradient."""
    family = net.family
    steps, nll = conditional_steps(family, {p.symbol: p.symbol for p in net.parameters}, WHAT)
    textbook = nll.subs(net.linked)
    steps.append(link_step(net, textbook))
    part = derive_network(net.base).expr
    terms = [z - part.xreplace(net.renaming(c)) for c, z in enumerate(net.logits)]
    stable = logsumexp(*net.logits) - logsumexp(*terms)
    steps.append(stable_step(net, part, stable))
    steps.append(loss_step(stable, net.outputs, "per-sample NLL", "mean NLL"))
    steps.append(gradient_step(net, terms, stable))
    numeric = textbook.replace(sp.factorial, lambda a: sp.exp(sp.loggamma(a + 1)))  # NumPy's
    return Derived(tuple(steps), stable, (value, *net.outputs), textbook=numeric)


def stable_step(net: MixtureNetwork, part: sp.Expr, stable: sp.Expr) -> Step:
    weights = [p.symbol for p in net.parameters[: net.size]]
    normalised = [
        sp.Eq(sp.log(w), z - logsumexp(*net.logits))
        for w, z in zip(weights, net.logits, strict=True)
    ]
    return Step(
        "stable",
        "The stable form: log-softmax and log-sum-exp",
        sp.Tuple(
            *normalised,
            sp.Eq(Loss(value, *net.base.outputs), part),
            sp.Eq(Loss(value, *net.outputs), stable),
        ),
        phrase(
            "The weights' logarithms are the log-softmax of the logits, and each log fⱼ(y) is "
            "minus the component's own loss {0} in its stable form, at component j's outputs. "
            "Then −log Σⱼ wⱼ fⱼ(y) = −logsumexp over j of (log wⱼ + log fⱼ(y)), a difference "
            "of two log-sum-exps, each computed as m + log Σ e^(a − m) with m the largest "
            "term: finite for logits of ±1000 and for a target far from every component, "
            "where every wⱼ fⱼ(y) underflows to 0.",
            Loss(value, *net.base.outputs),
        ),
    )


def gradient_step(net: MixtureNetwork, terms: list[sp.Expr], stable: sp.Expr) -> Step:
    """∂𝓛/∂z by SymPy, written with the weights wⱼ and the responsibilities γⱼ."""
    weights = [p.symbol for p in net.parameters[: net.size]]
    gammas = [sp.Symbol(f"gamma_{c}", positive=True) for c in range(1, net.size + 1)]
    lse_w, lse_terms = logsumexp(*net.logits), logsumexp(*terms)
    short = {sp.exp(z - lse_w): w for z, w in zip(net.logits, weights, strict=True)}
    short |= {sp.exp(t - lse_terms): g for t, g in zip(terms, gammas, strict=True)}
    derivatives = [  # subs, not xreplace: SymPy writes e^(a + log b) as b·e^a
        sp.Eq(
            sp.Derivative(Loss(value, *net.outputs), z),
            sp.factor_terms(sp.diff(stable, z).subs(short)),
        )
        for z in net.outputs
    ]
    assert isinstance(net.family, Mixture)
    parts = [
        w * net.family.base.display.xreplace(own)
        for w, own in zip(weights, net.family.components(), strict=True)
    ]
    responsibilities = [
        sp.Eq(g, part / sp.Add(*parts)) for g, part in zip(gammas, parts, strict=True)
    ]
    return Step(
        "loss",
        "The gradient backpropagation starts from",
        sp.Tuple(*derivatives, *responsibilities),
        phrase(
            "Differentiated by SymPy and written with the weights wⱼ and the responsibilities "
            "γⱼ = wⱼ fⱼ(y)/Σₗ wₗ fₗ(y), the posterior probability that y came from component "
            "j (EM's E-step), computed as e^(aⱼ − logsumexp(a)) with aⱼ = log wⱼ + log fⱼ(y): "
            "each logit receives wⱼ − γⱼ, and each component's outputs its own loss's "
            "gradient weighted by γⱼ (Bishop 1994)."
        ),
    )
