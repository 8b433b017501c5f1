"""Data-quality stage: profile a table, check it, score it and validate it with Great Expectations.

:func:`assess_from_params` is the one call the notebook makes; it opens the table with the
engine its parameters name and calls :func:`assess_quality` (:mod:`~readiness.quality.assess`).
The checks (:mod:`~readiness.quality.checks`), the suite (:mod:`~readiness.quality.expectations`)
and the scores (:mod:`~readiness.quality.scores`) are public for reuse and tests. This module only
gathers the stage's public names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.faces import lazy_face

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.profiling.infer import DamageReport, spreadsheet_damage
    from readiness.profiling.profile import (
        SEMANTIC_TYPES,
        ColumnProfile,
        TableProfile,
        profile_and_type,
        profile_table,
        typed_frame,
    )
    from readiness.quality.assess import assess_quality, conclude_report
    from readiness.quality.checks import CODES, run_checks
    from readiness.quality.entry import assess_from_params
    from readiness.quality.params import QualityParams
    from readiness.quality.report import EXPECTATION_COLUMNS, QualityReport, save_report
    from readiness.quality.scores import QualityScores, quality_scores, quality_verdict

__all__ = [
    "CODES", "EXPECTATION_COLUMNS", "SEMANTIC_TYPES", "ColumnProfile", "DamageReport", "QualityParams",
    "QualityReport", "QualityScores", "TableProfile", "assess_from_params", "assess_quality", "conclude_report",
    "profile_and_type", "profile_table", "quality_scores", "quality_verdict", "run_checks", "save_report",
    "spreadsheet_damage", "typed_frame",
]

__getattr__, __dir__ = lazy_face(__name__)
