"""The methods of estimation, one module each, tried in order by the planner (its METHODS in
symmle.derive.plan): each claims what it can of the parameters the earlier ones left. Adding a
method is a module here and its place in METHODS. This package's own import runs none of them,
so that a method's helpers may import a sibling (the EM derivation the closed form) freely."""

from __future__ import annotations

from symmle.derive.methods.base import Finder, Problem, Rule, Worked

__all__ = ["Finder", "Problem", "Rule", "Worked"]
