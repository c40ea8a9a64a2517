"""Vector observations: the public result of ``symmle.mle`` for the multivariate Normal, the
Multinomial and the Dirichlet, its numeric checks and standard errors (the derivations live in
symmle.derive.vector)."""

from __future__ import annotations

from symmle.vector.result import VectorResult, vector_mle

__all__ = ["VectorResult", "vector_mle"]
