"""The scorer as it was before it was made fast for a million signals (issue 14): the tally,
gap and scorer modules of judgement_framework, unchanged but for their imports. Kept only
as the reference that tests/unit/judgement_framework/test_jf_fast_scorer.py compares the
engine with: the new scorer must give exactly this outcome."""

from .scorer import score

__all__ = ["score"]
