"""The feasibility stage's finding codes, catalogued with their meaning in :mod:`readiness.findings`."""

from __future__ import annotations

from readiness.findings import (  # noqa: F401 - the stage's codes are part of its API
    FEAS_BUDGET_REACHED,
    FEAS_CLASS_IMBALANCE,
    FEAS_COLUMN_EXCLUDED,
    FEAS_CONSTANT_COLUMN,
    FEAS_DUPLICATE_ROWS,
    FEAS_FULL_DATA,
    FEAS_GROUP_COLUMN_DAMAGED,
    FEAS_IDENTIFIER_ASSOCIATION,
    FEAS_IDENTIFIER_COLUMN,
    FEAS_LABEL_LEAKAGE,
    FEAS_LEAKAGE_SUSPECT,
    FEAS_LIFT,
    FEAS_MISSING_FEATURE_VALUES,
    FEAS_MORE_DATA_HELPS,
    FEAS_MORE_DATA_PLATEAU,
    FEAS_NO_LABELS,
    FEAS_NO_LIFT,
    FEAS_NO_USABLE_FEATURES,
    FEAS_POST_OUTCOME_FEATURE,
    FEAS_SAMPLE_SIZE_SHORT,
    FEAS_SINGLE_CLASS,
    FEAS_SUBSAMPLED,
    FEAS_TARGET_NOT_NUMERIC,
    FEAS_THRESHOLD_TUNED,
    FEAS_TIME_OUTLIERS_DROPPED,
    FEAS_TIME_UNPARSEABLE,
    FEAS_TOO_FEW_EVENTS,
    FEAS_TOO_FEW_ROWS,
    FEAS_UNLABELLED_ROWS,
    FEAS_WEAK_LIFT,
    codes_of,
)

CODES = codes_of("feasibility")
BLOCKING = frozenset({FEAS_NO_LABELS, FEAS_SINGLE_CLASS, FEAS_TOO_FEW_ROWS, FEAS_TARGET_NOT_NUMERIC,
                      FEAS_NO_USABLE_FEATURES, FEAS_TIME_UNPARSEABLE})
"""Codes that end the assessment before any model, with a ``not_yet`` verdict."""
