"""Losses of machine learning derived from negative log-likelihoods."""

from symmle.losses.family import LossResult, loss

__all__ = ["LossResult", "loss"]
