"""Item response theory for one scale at a time: graded response model (2PL for two
categories) by marginal ML as R's mirt, partial credit model by conditional ML as R's eRm, and
likelihood-ratio DIF between two groups. See docs/irt.md.
"""

from scoring.stats.irt.dif import DIFResult, dif_graded
from scoring.stats.irt.grm import GradedFit, fit_graded
from scoring.stats.irt.pcm import PCMFit, fit_pcm

MODELS = ("graded", "pcm")

__all__ = ["MODELS", "DIFResult", "GradedFit", "PCMFit", "dif_graded", "fit_graded", "fit_pcm"]
