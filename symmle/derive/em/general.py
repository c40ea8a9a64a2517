"""A mixture's EM for k components, k symbolic: the steps for any k; the checks run on the
worked example's k."""

from __future__ import annotations

from symmle.derive import common
from symmle.derive.derivation import Derivation
from symmle.derive.em.steps import general_steps, observed_step
from symmle.derive.em.updates import updates
from symmle.derive.general import example_sample, general
from symmle.families.mixtures import Mixture


def derive_mixture_general(family: Mixture) -> Derivation:
    """The EM derivation with k unknown."""
    u = updates(family)
    worked = general(example_sample(family)[0])
    steps = (common.model_step(family), *general_steps(family, u))
    ell = observed_step(u).expr.args[0].rhs
    return Derivation(family, None, {}, steps, ell, "EM", worked)
