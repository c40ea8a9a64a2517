"""The registry entry of a mixture's NLL as a network's loss (symmle.losses.mixture derives
it): checked against scipy.stats' component log-densities summed by scipy's logsumexp at
scipy's softmax of the logits, on random inputs with the extremes included (logits of ±1000,
scale outputs of ±50, a target far from every component)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.families.mixtures import Mixture
from symmle.losses.base import Array, LossEntry, Plot
from symmle.losses.links import LINKS, default_link
from symmle.losses.mixture import MixtureNetwork, derive_mixture, mixture_network
from symmle.losses.options import Options
from symmle.losses.predicted import FORWARD, TORCH


def mixture_entry(
    family: Mixture,
    predict: str | Sequence[str] | None,
    link: str | Mapping[str, str] | None,
) -> LossEntry:
    """The entry of ``family``'s NLL, the weights through the softmax of k logits."""
    net = mixture_network(family, predict, link)
    derived = derive_mixture(net)
    torch = TORCH[family.base.name]
    return LossEntry(
        name=f"{family.name}-nll",
        title=f"{family.title} negative log-likelihood",
        family=family.name,
        link=net.link_text,
        pytorch=f"-torch.distributions.MixtureSameFamily(Categorical, {torch}).log_prob",
        derive=lambda options: derived,
        reference=reference(net),
        inputs=lambda rng, options: draw(net, rng),
        plot=plot(net),
        reference_name=(
            "equals −log Σⱼ wⱼ fⱼ(y) from scipy.stats log-densities (scipy's logsumexp), at "
            "the softmax weights and linked parameters"
        ),
    )


def parameter_values(net: MixtureNetwork, outputs: Sequence[Array]) -> dict[str, Array]:
    """The weights (scipy's softmax of the logits) and the components' linked parameters."""
    logits = np.stack(np.broadcast_arrays(*outputs[: net.size]))
    weights = scipy.special.softmax(logits, axis=0)
    values = {f"w_{c}": weights[c - 1] for c in range(1, net.size + 1)}
    rest = zip(net.parameters, net.links, outputs, strict=True)
    for p, g, z in list(rest)[net.size :]:
        values[p.name] = FORWARD[g.name](np.asarray(z, float))
    return values


def reference(net: MixtureNetwork) -> Any:
    """−log f(y) per sample from the family's scipy twin, not from the derivation."""
    make = net.family.scipy
    assert make is not None

    def twin(options: Options, y: Array, *outputs: Array) -> Array:
        values = parameter_values(net, outputs)
        found = []
        for j in range(len(y)):
            mixture = make({k: float(np.broadcast_to(v, y.shape)[j]) for k, v in values.items()})
            found.append(-float(mixture.log_density(y[j])))
        return np.asarray(found)

    return twin


def draw(net: MixtureNetwork, rng: np.random.Generator, size: int = 120) -> tuple[Array, ...]:
    """Logits around 0 and each component's outputs around its probe values; targets drawn
    from the mixture there; the first six rows at the extremes."""
    family = net.family
    assert family.scipy is not None
    probe = probes(net)
    outputs = list(rng.normal(0, 1, (net.size, size)))
    rest = zip(net.parameters, net.links, strict=True)
    for p, g in list(rest)[net.size :]:
        spread = LINKS[default_link(p)]
        noisy = FORWARD[spread.name](spread.inverse(probe[p.name]) + rng.normal(0, 0.4, size))
        outputs.append(np.asarray(g.inverse(noisy), float))
    values = parameter_values(net, outputs)
    y = np.array(
        [
            family.scipy({k: float(v[j]) for k, v in values.items()}).rvs(1, rng)[0]
            for j in range(size)
        ],
        float,
    )
    return (extremes(net, y), *extreme_outputs(net, outputs))


def extremes(net: MixtureNetwork, y: Array) -> Array:
    """Rows 4 and 5: a target a hundred times beyond the examples, far from every component."""
    far = 100 * max(float(sp.Rational(v)) for v in net.family.example)
    y = y.copy()
    y[4:6] = far
    return y


def extreme_outputs(net: MixtureNetwork, outputs: list[Array]) -> list[Array]:
    """Logits (1000, −1000, 0, …) and reversed (rows 0, 1); every positive parameter's
    output at −50 and 50 (rows 2, 3); logits (30, −30, 0, …) with the far target (row 5:
    with ±1000 there, the weight e^(−2000) that decides the loss is 0 to scipy's softmax)."""
    outputs = [z.copy() for z in outputs]
    for c, z in enumerate(outputs[: net.size]):
        z[[0, 1, 5]] = [1e3, -1e3, 30.0] if c == 0 else ([-1e3, 1e3, -30.0] if c == 1 else 0.0)
    rest = zip(net.links, outputs, strict=True)
    for g, z in list(rest)[net.size :]:
        if g.name != "identity":
            z[2], z[3] = -50.0, 50.0
    return outputs


def probes(net: MixtureNetwork) -> dict[str, float]:
    """The family's probe values; a component's that leaves its parameter's domain (a third
    rate stepped below 0) takes component 1's or 2's."""
    found = dict(net.family.probe_values)
    for p in net.parameters[net.size :]:
        if p.domain.contains(sp.Float(found[p.name])) is not sp.true:
            name, c = p.name.rsplit("_", 1)
            found[p.name] = found[f"{name}_{(int(c) - 1) % 2 + 1}"]
    return found


def plot(net: MixtureNetwork) -> Plot:
    """The loss against the first logit (the others 0), components at the probe values, for
    the first two examples."""
    probe = probes(net)
    rest = zip(net.parameters, net.links, strict=True)
    centre = [float(g.inverse(probe[p.name])) for p, g in list(rest)[net.size :]]
    examples = tuple(float(sp.Rational(v)) for v in net.family.example[:2])

    def inputs(grid: Array, target: float) -> tuple[Array, ...]:
        logits = [grid, *(np.zeros_like(grid) for _ in range(net.size - 1))]
        return (np.full_like(grid, target), *logits, *(np.full_like(grid, c) for c in centre))

    return Plot("logit z_w₁ (the others 0)", -6.0, 6.0, examples, inputs)
