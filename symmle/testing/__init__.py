"""Symbolic checks for users' tests, with readable messages on failure (no pytest plugin
needed; each helper raises AssertionError):

- ``assert_mle(family, data, expected)``: the derived MLE equals ``expected`` symbolically;
- ``assert_score_zero(family, data, at)``: the score of the family is zero at ``at``;
- ``assert_is_nll(loss_fn, family, parameter=…)``: a NumPy/PyTorch-style loss is the family's
  NLL up to a constant and a positive factor, on random inputs.
"""

from symmle.testing.estimates import assert_mle, assert_score_zero
from symmle.testing.losses import assert_is_nll

__all__ = ["assert_is_nll", "assert_mle", "assert_score_zero"]
