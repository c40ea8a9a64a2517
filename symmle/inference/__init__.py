"""Inference with the MLE: Fisher information, the Cramér–Rao bound, standard errors, Wald
intervals, likelihood-ratio tests, and the simulations that show the theory."""

from __future__ import annotations

from symmle.inference.fisher import Information, information

__all__ = ["Information", "information"]
