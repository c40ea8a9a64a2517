"""Links: how a network's unconstrained output z (any real number) becomes a parameter in its
domain, θ = g(z). Each link is data: its name, the parameter it gives in SymPy (in the stable
functions of symmle.losses.functions), the domain it reaches, and its inverse in NumPy (to
start a network, or draw test inputs, at given parameter values)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symmle.errors import OptionError
from symmle.families import Parameter
from symmle.losses.functions import sigmoid, softplus


@dataclass(frozen=True)
class Link:
    """θ = apply(z), onto ``reaches``; ``inverse`` maps θ back to z (NumPy)."""

    name: str
    apply: Callable[[sp.Expr], sp.Expr]
    reaches: sp.Set
    inverse: Callable[[Any], Any]
    said: str


LINKS: dict[str, Link] = {
    link.name: link
    for link in (
        Link("identity", lambda z: z, sp.Reals, lambda t: t, "the output is the parameter"),
        Link(
            "exp",
            sp.exp,
            sp.Interval.open(0, sp.oo),
            np.log,
            "the output is the parameter's logarithm",
        ),
        Link(
            "softplus",
            softplus,
            sp.Interval.open(0, sp.oo),
            lambda t: np.log(np.expm1(t)),
            "softplus(z) = log(1 + eᶻ), positive, close to z for large z",
        ),
        Link(
            "sigmoid",
            sigmoid,
            sp.Interval.open(0, 1),
            lambda t: np.log(t) - np.log1p(-t),
            "the output is a logit: σ(z) = 1/(1 + e⁻ᶻ) in (0, 1)",
        ),
        Link(
            "softmax",
            lambda z: z,
            sp.Interval.open(0, 1),
            np.log,
            "softmax(z)_c = e^(z_c)/Σⱼ e^(z_j): probabilities that sum to one",
        ),
    )
}


def default_link(parameter: Parameter) -> str:
    """The link a parameter gets when none is named: none on ℝ, softplus onto (0, ∞) (gentler
    than exp: it grows linearly), sigmoid onto a probability."""
    domain = parameter.domain
    if domain.is_superset(sp.Reals):
        return "identity"
    if domain.inf == 0 and domain.sup == 1:
        return "sigmoid"
    if domain.inf == 0 and domain.sup == sp.oo:
        return "softplus"
    return "identity"


def chosen_links(
    parameters: tuple[Parameter, ...], given: str | Mapping[str, str] | None
) -> dict[str, Link]:
    """Each predicted parameter's link: ``given`` by name (one name for all), else the default;
    a link whose values leave the parameter's domain is refused."""
    names = {p.name for p in parameters}
    if isinstance(given, str):
        given = {p.name: given for p in parameters}
    given = dict(given or {})
    unknown = sorted(set(given) - names)
    if unknown:
        raise OptionError(
            f"link names {unknown[0]!r}, which is not predicted; predicted: {', '.join(names)}."
        )
    links = {}
    for p in parameters:
        name = given.get(p.name, default_link(p))
        if not isinstance(name, str) or name not in LINKS or name == "softmax":
            choices = ", ".join(n for n in LINKS if n != "softmax")
            raise OptionError(
                f"link of {p.name} must be one of {choices} (softmax is for the categorical's "
                f"probabilities); got {name!r}."
            )
        if name != "identity" and not LINKS[name].reaches.is_subset(p.domain):
            raise OptionError(
                f"the {name} link gives values in {sp.pretty(LINKS[name].reaches)}, outside "
                f"{p.name}'s domain {sp.pretty(p.domain)}."
            )
        links[p.name] = LINKS[name]
    return links


def output_symbol(parameter: Parameter, link: Link) -> sp.Symbol:
    """The network's output for ``parameter``: the parameter itself with the identity link,
    else z_θ, a real number."""
    if link.name == "identity":
        return parameter.symbol
    return sp.Symbol(f"z_{parameter.symbol.name}", real=True)
