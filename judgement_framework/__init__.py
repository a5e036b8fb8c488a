"""Inspection judgement frameworks as data, their rules, and the evidence scorer.

Pure Python: no web framework, database or dataframe imports (enforced by an
import-linter contract), so the rules can be tested and reused anywhere.
"""

from .errors import (
    FrameworkError,
    InputError,
    JudgementFrameworkError,
    Problem,
    RuleError,
    UnknownAreaError,
    UnknownCriterionError,
    UnknownGradeError,
)
from .loader import FrameworkSummary, list_frameworks, load_framework
from .results import AreaOutcome, Breadth, Coverage, Driver, Gap, GradeShare, Outcome
from .rules import OverallResult, RuleApplication, RulesResult, apply_rules, best_fit, rule_name
from .schema import Area, Criterion, Framework, Grade, KloeTemplate
from .scorer import score
from .signals import Confidence, EvidenceSignal, Kloe, ReviewerGrade, SignalKind, signal_id

__all__ = [
    "Area",
    "AreaOutcome",
    "Breadth",
    "Confidence",
    "Coverage",
    "Criterion",
    "Driver",
    "EvidenceSignal",
    "Framework",
    "FrameworkError",
    "FrameworkSummary",
    "Gap",
    "Grade",
    "GradeShare",
    "InputError",
    "JudgementFrameworkError",
    "Kloe",
    "KloeTemplate",
    "Outcome",
    "OverallResult",
    "Problem",
    "ReviewerGrade",
    "RuleApplication",
    "RuleError",
    "RulesResult",
    "SignalKind",
    "UnknownAreaError",
    "UnknownCriterionError",
    "UnknownGradeError",
    "apply_rules",
    "rule_name",
    "best_fit",
    "list_frameworks",
    "load_framework",
    "score",
    "signal_id",
]
