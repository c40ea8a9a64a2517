"""The methods of estimation, one module each, tried in this order by the planner: each
claims what it can of the parameters the earlier ones left. Adding a method is a module here
and its place in METHODS."""

from __future__ import annotations

from symmle.derive.methods import boundary, closed_form, constrained, em, median, newton, profile
from symmle.derive.methods.base import Finder, Problem, Rule, Worked

METHODS: tuple[Finder, ...] = (
    em.claim,
    constrained.claim,
    boundary.claim,
    median.claim,
    closed_form.claim,
    profile.claim,
    newton.claim,
)

__all__ = ["METHODS", "Finder", "Problem", "Rule", "Worked"]
