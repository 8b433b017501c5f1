"""Read an engagement file (YAML) into a typed, validated :class:`Engagement`.

An engagement names the client, the date the assessment is judged at, the client's tables
and the use cases to assess. Every problem found while loading becomes one
:class:`~readiness.errors.ConfigError` line of the form
``<file name>: <key.path>: <what was found>; <what to do>``, for example::

    engagement.yaml: tables.appointments.refrences: unknown key; did you mean 'references'?

Dates are read by pydantic, not by YAML, so a wrong date such as ``2026-13-01`` gets the
same kind of message as any other wrong value.

Each table is read by pandas or, with ``engine: spark``, by Apache Spark (see
:mod:`~readiness.engagement.engines`). The models live in :mod:`~readiness.engagement.model`,
reading and the column checks in
:mod:`~readiness.engagement.loading`, and the wording of problems in
:mod:`~readiness.engagement.messages` and :mod:`~readiness.engagement.hints`; every public
name is importable from here.
"""

from __future__ import annotations

from readiness.engagement.engines import (
    check_spark_path,
    is_spark,
    spark_parameters,
    use_case_engine,
    with_engine,
)
from readiness.engagement.loading import DEFAULT_FILE_NAME as DEFAULT_FILE_NAME
from readiness.engagement.loading import check_columns, column_problems, load_engagement
from readiness.engagement.model import SLUG as SLUG
from readiness.engagement.model import Bound as Bound
from readiness.engagement.model import Engagement, Rule, SparkSettings, TableSpec, UseCase
from readiness.engagement.model import RoiSettings as RoiSettings

__all__ = [
    "Engagement",
    "Rule",
    "SparkSettings",
    "TableSpec",
    "UseCase",
    "check_columns",
    "check_spark_path",
    "column_problems",
    "is_spark",
    "load_engagement",
    "spark_parameters",
    "use_case_engine",
    "with_engine",
]
