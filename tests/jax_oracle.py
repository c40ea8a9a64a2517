"""The JAX side of tests/test_network_losses.py, run in a process of its own (JAX's threads
make a later fork unsafe): each loss's .jax against jax.scipy.stats (values and jax.grad, in
float64), under jax.jit, and against NumPy's .fn. Prints {name: {what: largest error}}."""

from __future__ import annotations

import json
from typing import Any

import jax
import jax.scipy.stats as jstats
import numpy as np

import symmle
from symmle.losses.links import default_link

jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

KNOWN: dict[str, dict[str, Any]] = {
    "binomial": {"m": 10},
    "negative_binomial": {"r": 3},
    "student_t": {"nu": 4},
}
FORWARD = {"identity": lambda z: z, "softplus": jax.nn.softplus, "sigmoid": jax.nn.sigmoid}
JAX = {
    "bernoulli": lambda y, v: jstats.bernoulli.logpmf(y, v["theta"]),
    "binomial": lambda y, v: jstats.binom.logpmf(y, 10, v["p"]),
    "geometric": lambda y, v: jstats.geom.logpmf(y, v["p"]),
    "poisson": lambda y, v: jstats.poisson.logpmf(y, v["lambda"]),
    "negative_binomial": lambda y, v: jstats.nbinom.logpmf(y, 3, v["p"]),
    "normal": lambda y, v: jstats.norm.logpdf(y, v["mu"], v["sigma"]),
    "exponential": lambda y, v: jstats.expon.logpdf(y, scale=1 / v["lambda"]),
    "uniform": lambda y, v: jstats.uniform.logpdf(y, v["a"], v["b"] - v["a"]),
    "pareto": lambda y, v: jstats.pareto.logpdf(y, v["alpha"], scale=v["x_m"]),
    "laplace": lambda y, v: jstats.laplace.logpdf(y, v["mu"], v["b"]),
    "gamma": lambda y, v: jstats.gamma.logpdf(y, v["alpha"], scale=1 / v["beta"]),
    "beta": lambda y, v: jstats.beta.logpdf(y, v["alpha"], v["beta"]),
    "cauchy": lambda y, v: jstats.cauchy.logpdf(y, v["x0"], v["gamma"]),
    "logistic": lambda y, v: jstats.logistic.logpdf(y, v["mu"], v["s"]),
    "student_t": lambda y, v: jstats.t.logpdf(y, 4.0, v["mu"], v["sigma"]),
}
"""jax.scipy.stats' families (gumbel_r's gradient fails inside JAX: float0; left out)."""


def error(got: Any, expected: Any) -> float:
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    if not np.all(np.isfinite(got)):
        return float("inf")
    return float(np.max(np.abs(got - expected) / np.maximum(1.0, np.abs(expected))))


def family_report(name: str) -> dict[str, float]:
    loss = symmle.loss(name, known=KNOWN.get(name, {}))
    arrays = loss.entry.inputs(np.random.default_rng(3), loss.options)
    y, *outputs = (jnp.asarray(a) for a in arrays)
    found = {"numpy": error(loss.jax(y, *outputs), loss.fn(*arrays))}

    def ours(*zs: Any) -> Any:
        return loss.jax(y, *zs).sum()

    found["jit"] = error(jax.jit(ours)(*outputs), ours(*outputs))
    if name not in JAX:
        return found
    links = [default_link(p) for p in loss.family.parameters]

    def theirs(*zs: Any) -> Any:
        values = {
            p.name: FORWARD[g](z) for p, g, z in zip(loss.family.parameters, links, zs, strict=True)
        }
        return -JAX[name](y, values)

    return found | against(loss, y, outputs, theirs)


def against(loss: Any, y: Any, outputs: list[Any], theirs: Any) -> dict[str, float]:
    """Values and jax.grad of ``loss.jax`` against ``theirs`` (a function of the outputs)."""

    def ours(*zs: Any) -> Any:
        return loss.jax(y, *zs).sum()

    arguments = tuple(range(len(outputs)))
    grads = zip(
        jax.grad(ours, arguments)(*outputs),
        jax.grad(lambda *zs: theirs(*zs).sum(), arguments)(*outputs),
        strict=True,
    )
    return {
        "jax.scipy.stats": error(loss.jax(y, *outputs), theirs(*outputs)),
        "jax.grad": max(error(a, b) for a, b in grads),
    }


COMPONENTS = {
    "normal_mixture": lambda y, v: jstats.norm.logpdf(y, v["mu"], v["sigma"]),
    "poisson_mixture": lambda y, v: jstats.poisson.logpmf(y, v["lambda"]),
    "exponential_mixture": lambda y, v: jstats.expon.logpdf(y, scale=1 / v["lambda"]),
}


def mixture_report(name: str) -> dict[str, float]:
    """A mixture against jax.scipy.special.logsumexp of jax.nn.log_softmax of the logits plus
    jax.scipy.stats' component log-densities (components on the last axis)."""
    loss = symmle.loss(name, known={"k": 2})
    arrays = loss.entry.inputs(np.random.default_rng(3), loss.options)
    y, *outputs = (jnp.asarray(a) for a in arrays)
    found = {"numpy": error(loss.jax(y, *outputs), loss.fn(*arrays))}
    found["jit"] = error(jax.jit(loss.jax)(y, *outputs), loss.jax(y, *outputs))
    rest = list(zip(loss.family.parameters[2:], loss.arguments[3:], strict=True))

    def theirs(*zs: Any) -> Any:
        linked: dict[str, list[Any]] = {}
        for (p, symbol), z in zip(rest, zs[2:], strict=True):
            g = z if symbol == p.symbol else jax.nn.softplus(z)
            linked.setdefault(p.name.rsplit("_", 1)[0], []).append(g)
        values = {key: jnp.stack(v, axis=-1) for key, v in linked.items()}
        weights = jax.nn.log_softmax(jnp.stack(zs[:2], axis=-1), axis=-1)
        terms = weights + COMPONENTS[name](y[:, None], values)
        return -jax.scipy.special.logsumexp(terms, axis=-1)

    return found | against(loss, y, outputs, theirs)


def named_report(name: str) -> dict[str, float]:
    loss = symmle.loss(name)
    arrays = loss.entry.inputs(np.random.default_rng(2), loss.options)
    ours = np.asarray(loss.fn(*arrays), float)
    finite = np.isfinite(ours)
    got = np.asarray(loss.jax(*(jnp.asarray(a) for a in arrays)))
    return {"numpy": error(got[finite], ours[finite])}


def main() -> None:
    from test_network_losses import CATALOGUE, MIXTURES

    report = {name: family_report(name) for name in CATALOGUE}
    report.update({name: mixture_report(name) for name in MIXTURES})
    report.update({name: named_report(name) for name in symmle.losses()})
    print(json.dumps(report))


if __name__ == "__main__":
    main()
