"""The data-quality stage on Spark: the same :class:`readiness.quality.QualityReport` as the pandas engine.

The profile and its checks come from :mod:`readiness.spark.profile`; the checks that read rows
(concentrated nulls, contact details in text, orphan references) and the Great Expectations
suite run on the typed table (:mod:`readiness.spark._typed`), which is cached once for them and
released at the end. Findings the pandas loader adds while reading a file (encoding, sheets)
have no Spark counterpart: Spark reads the file itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from readiness.profiling.profile import TableProfile
from readiness.quality import (
    EXPECTATION_COLUMNS,
    QualityReport,
    _clean_keys,
    _names,
    _parent_keys,
    _validate,
    conclude_report,
    require_parent_column,
)
from readiness.quality.checks import _key_text as key_text_pandas
from readiness.quality.checks import check_columns, check_freshness, check_keys
from readiness.quality.expectations import MAX_SUITE_KEYS
from readiness.spark import _checks
from readiness.spark.profile import profile_table_spark


class _Clock:
    """Seconds since the last lap, written into ``out`` under each lap's name (nothing when ``out`` is None)."""

    def __init__(self, out: dict[str, float] | None) -> None:
        self.out, self.last = out, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.out is not None:
            self.out[name] = now - self.last
        self.last = now


def _parents(sdf: Any, references: dict, where: str) -> tuple[dict[str, Any], dict[str, list]]:
    """Each referencing column's parent keys: as key text on Spark (for the orphan check), and as the
    suite's value set, of which at most ``MAX_SUITE_KEYS + 1`` reach the driver.

    A parent Spark reads (csv, parquet, a folder, a URL) stays on Spark; an Excel parent, a
    small lookup table by nature, is read by the pandas loader and its keys handed to Spark.
    """
    from readiness.spark.reading import read_table, spark_reads

    spark = sdf.sparkSession
    text, suite_keys = {}, {}
    for column, spec in references.items():
        if not spark_reads(spec["path"]):
            keys = _parent_keys(column, spec, where)
            text[column] = spark.createDataFrame(pd.DataFrame({"v": key_text_pandas(keys).to_pylist()}), "v string")
            suite_keys[column] = _clean_keys(keys)
            continue
        parent = read_table(spark, spec["path"])
        require_parent_column(column, spec, parent.columns, where)
        keys = parent.select(f"`{spec['column']}`")
        text[column] = _checks.key_text(keys, keys.columns[0])
        first = keys.distinct().limit(MAX_SUITE_KEYS + 1).collect()  # a longer list is left out of the suite
        suite_keys[column] = _clean_keys(pd.Series([r[0] for r in first], dtype=object))
    return text, suite_keys


def _needed(profile: TableProfile, references: dict, suite: dict) -> set[str]:
    """The columns the row-reading checks and the suite look at (the others are not parsed)."""
    cols = profile.columns.values()
    groups = {c.name for c in cols if c.semantic_type in ("category", "boolean") and not c.personal_kind}
    targets = {c.name for c in cols if 2 <= c.null_total < c.rows}
    text = {c.name for c in cols if c.semantic_type in ("free_text", "category") and c.text_source}
    used = {e["kwargs"].get("column") for e in suite.get("expectations", [])}
    return (groups | targets | text | set(references) | used) & set(profile.columns)


def _suite(profile: TableProfile, *, table: str, key: str | None, rules: list[dict], keys: dict[str, list],
           as_of: date, freshness_days: int) -> dict:
    from readiness.quality.expectations import build_suite

    types = profile.semantic_types
    return build_suite(table=table, semantic_types=types, key=key, rules=rules, reference_keys=keys, as_of=as_of,
                       freshness_days=freshness_days,
                       date_columns=[c for c, t in types.items() if t in ("date", "date_as_text")])


def assess_quality_spark(sdf: Any, *, table: str, as_of: date | str, key: str | None = None,
                         date_columns: Iterable[str] = (), references: Mapping[str, Mapping[str, Any]] | None = None,
                         rules: list[dict] | None = None, pii_columns: Iterable[str] = (), freshness_days: int = 90,
                         run_expectations: bool = True, decimal: str = ".",
                         timings: dict[str, float] | None = None) -> QualityReport:
    """:func:`readiness.quality.assess_quality` on a Spark DataFrame.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The table as read by :func:`readiness.spark.read_table`.
    table, as_of, key, date_columns, references, rules, pii_columns, freshness_days, run_expectations
        As for :func:`readiness.quality.assess_quality`; each reference's parent table is read
        with :func:`readiness.spark.read_table`.
    decimal : {".", ","}
        The file's decimal mark.
    timings : dict, optional
        When given, filled with the seconds of each phase: ``profile_s``, ``checks_s`` (the
        checks that read rows, the typed table cached on the way) and ``expectations_s``.

    Returns
    -------
    QualityReport
        The same findings, scores and Great Expectations results as the pandas engine.

    Raises
    ------
    ConfigError
        A parameter names a column that is not in the table (or its parent), or ``as_of`` is not a date.
    """
    from pyspark import StorageLevel

    where = f"table '{table}'"
    date_columns, pii_columns = _names(date_columns), _names(pii_columns)
    references, rules = dict(references or {}), list(rules or [])
    as_of_date = _validate(pd.DataFrame(columns=list(sdf.columns)), where, key=key, date_columns=date_columns,
                           references=references, rules=rules, pii_columns=pii_columns, as_of=as_of)
    clock = _Clock(timings)
    parents, suite_keys = _parents(sdf, references, where)
    profile = profile_table_spark(sdf, key=key, date_columns=date_columns, pii_columns=pii_columns,
                                  decimal=decimal, as_of=as_of_date)
    clock.lap("profile_s")
    suite = _suite(profile, table=table, key=key, rules=rules, keys=suite_keys, as_of=as_of_date,
                   freshness_days=freshness_days) if run_expectations else {}
    from readiness.spark._typed import typed_frame_spark

    typed = typed_frame_spark(sdf, profile, decimal=decimal, columns=_needed(profile, references, suite))
    typed = typed.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        findings = check_keys(profile) + check_columns(profile, references=references)
        findings += check_freshness(profile, freshness_days=freshness_days)
        findings += _checks.missing_concentrated(typed, profile) + _checks.pii_in_text(typed, profile)
        orphans = _checks.orphan_references(typed, profile, parents)
        clock.lap("checks_s")
        expectations = pd.DataFrame(columns=EXPECTATION_COLUMNS)
        if suite:
            from readiness.spark.expectations import validate_suite_spark

            expectations = validate_suite_spark(typed, suite)
        clock.lap("expectations_s")
    finally:
        typed.unpersist()
    return conclude_report(table=table, profile=profile, findings=findings, orphans=orphans,
                           expectations=expectations, suite=suite, rules=rules, references=references,
                           freshness_days=freshness_days)
