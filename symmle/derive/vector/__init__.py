"""Derivations for vector observations: each row of an (n, k) table is one observation (the
multivariate Normal, the Multinomial, the Dirichlet)."""
