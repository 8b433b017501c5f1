"""What each column of a table holds, shared by every stage: typing, the column profile, and detection.

A column is encoded once and typed from its values (:mod:`~readiness.profiling.infer`, with the
vectorised parsers of :mod:`~readiness.profiling.columns`); :func:`profile_and_type` profiles a whole
table in one pass (:mod:`~readiness.profiling.profile`); :mod:`~readiness.profiling.detect` reads the
profile for what a notebook was not told (the key, the outcome, time and group columns). The
data-quality, feasibility and ethics stages, the engagement checks and ``readiness new --from``
all read tables through this layer.
"""

from __future__ import annotations

from readiness.profiling.columns import DamageReport
from readiness.profiling.detect import (
    Detected,
    detect_dates,
    detect_key,
    detect_personal,
    detect_targets,
    group_candidates,
    positive_class,
    row_id_column,
    time_candidates,
)
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES, is_id_like, spreadsheet_damage
from readiness.profiling.profile import (
    SEMANTIC_TYPES,
    ColumnProfile,
    TableProfile,
    parse_as_of,
    profile_and_type,
    profile_table,
    typed_frame,
)

__all__ = [
    "DATE_TYPES", "NUMBER_TYPES", "SEMANTIC_TYPES", "ColumnProfile", "DamageReport", "Detected", "TableProfile",
    "detect_dates", "detect_key", "detect_personal", "detect_targets", "group_candidates", "is_id_like",
    "parse_as_of", "positive_class", "profile_and_type", "profile_table", "row_id_column", "spreadsheet_damage",
    "time_candidates", "typed_frame",
]
