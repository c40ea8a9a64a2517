"""Losses of machine learning derived from negative log-likelihoods, in their stable forms."""

from symmle.losses.base import LossEntry, LossResult
from symmle.losses.registry import loss, losses

__all__ = ["LossEntry", "LossResult", "loss", "losses"]
