"""The data-quality stage on one table, whatever engine holds it: :func:`assess_quality`.

The table is a :class:`~readiness.sources.base.TableSource` (a loaded table or DataFrame is read
by pandas). The source profiles every column; the checks judge the profile and the counts the
source takes on the typed rows (missing values by category level, personal values inside text,
orphan references); Great Expectations validates the suite built from the profile; the scores
and the verdict follow. Every engine gives the same report.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from readiness.errors import ConfigError
from readiness.profiling.detect import KeyChoice
from readiness.profiling.profile import TableProfile, parse_as_of
from readiness.quality.checks import (
    check_columns,
    check_freshness,
    check_keys,
    check_orphans,
    check_rules,
    concentration_columns,
    missing_concentrated,
    pii_in_text,
    rule_failure_counts,
    text_columns,
)
from readiness.quality.expectations import MAX_SUITE_KEYS, build_suite
from readiness.quality.report import EXPECTATION_COLUMNS, QualityReport
from readiness.quality.scores import QualityScores, quality_scores, quality_verdict
from readiness.results import Finding, StageResult
from readiness.sources import source_of
from readiness.sources.base import ParentKeys


class _Clock:
    """Seconds since the last lap, written into ``out`` under each lap's name (nothing when ``out`` is None)."""

    def __init__(self, out: dict[str, float] | None) -> None:
        self.out, self.last = out, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.out is not None:
            self.out[name] = now - self.last
        self.last = now


def assess_quality(
    data: Any,
    *,
    table: str,
    as_of: date | str,
    key: str | None = None,
    date_columns: Iterable[str] = (),
    references: Mapping[str, Mapping[str, Any]] | None = None,
    rules: list[dict] | None = None,
    pii_columns: Iterable[str] = (),
    freshness_days: int = 90,
    run_expectations: bool = True,
    detect_key: bool = False,
    timings: dict[str, float] | None = None,
) -> QualityReport:
    """Assess the data quality of one table.

    Parameters
    ----------
    data : TableSource, readiness.tables.LoadedTable or pandas.DataFrame
        The table: a source (:func:`readiness.sources.open_source`), or a table in memory, read by pandas
        (a loaded table's decimal mark and what the loader noticed are used).
    table : str
        The table's name in the engagement (the result's subject).
    as_of : date or ISO date str
        The assessment date: later dates are future dates; freshness is measured back from it.
    key : str, optional
        Column that should identify each row (never empty, never repeated).
    date_columns : iterable of str
        Columns to read as dates whatever they look like.
    references : mapping, optional
        ``{column: {"path": ..., "column": ..., "sheet": ...}}``: the parent table and its key
        column that ``column`` refers to.
    rules : list of dict, optional
        The analyst's rules (``{"column": ..., "expect": ..., ...}``), checked by Great Expectations.
    pii_columns : iterable of str
        Columns known to hold personal data.
    freshness_days : int
        Data whose newest date is older than this is stale.
    run_expectations : bool
        Build and validate the Great Expectations suite (slow to import; off in unit tests).
    detect_key : bool
        Without ``key``: choose the key from the profile (:func:`readiness.profiling.detect.detect_key`)
        and say so in ``report.assumed``.
    timings : dict, optional
        When given, filled with the seconds of each phase: ``profile_s``, ``checks_s`` (the checks
        that read rows) and ``expectations_s``.

    Returns
    -------
    QualityReport

    Raises
    ------
    ConfigError
        A parameter names a column that is not in the table (or its parent), or ``as_of`` is not an ISO date.
    """
    source = source_of(data, name=table)
    date_columns, pii_columns = _names(date_columns), _names(pii_columns)
    references, rules = dict(references or {}), list(rules or [])
    as_of_date = _validate(source.columns(), source.where, key=key, date_columns=date_columns,
                           references=references, rules=rules, pii_columns=pii_columns, as_of=as_of)
    clock = _Clock(timings)
    chooser = KeyChoice(table) if detect_key and key is None else None
    profile = source.profile(key=key, date_columns=date_columns, pii_columns=pii_columns, as_of=as_of_date,
                             choose_key=chooser)
    parents = {column: source.parent_keys(spec, column=column, limit=MAX_SUITE_KEYS)
               for column, spec in references.items()}
    clock.lap("profile_s")
    suite = _suite(profile, table=table, rules=rules, parents=parents, as_of=as_of_date,
                   freshness_days=freshness_days) if run_expectations else {}
    targets, groups = concentration_columns(profile)
    text = text_columns(profile)
    used = {e["kwargs"].get("column") for e in suite.get("expectations", [])}
    with source.rows(profile, {*targets, *groups, *text, *references, *used} & set(profile.columns)) as rows:
        findings = source.reading()[1] + check_keys(profile) + check_columns(profile, references=references)
        findings += check_freshness(profile, freshness_days=freshness_days)
        findings += missing_concentrated(profile, rows.nulls_by_level(targets, groups))
        findings += pii_in_text(profile, rows.personal_values(text))
        orphans = {column: rows.orphans(column, keys, kind=profile.columns[column].personal_kind).as_dict()
                   for column, keys in parents.items()}
        clock.lap("checks_s")
        expectations = rows.validate(suite) if suite else pd.DataFrame(columns=EXPECTATION_COLUMNS)
        clock.lap("expectations_s")
    report = conclude_report(table=table, profile=profile, findings=findings, orphans=orphans,
                             expectations=expectations, suite=suite, rules=rules, references=references,
                             freshness_days=freshness_days)
    if chooser is not None:
        report.add_assumptions([chooser.assumption()])
    return report


def conclude_report(*, table: str, profile: TableProfile, findings: list[Finding], orphans: dict[str, dict],
                    expectations: pd.DataFrame, suite: dict, rules: list[dict], references: Mapping[str, Any],
                    freshness_days: int) -> QualityReport:
    """Add the orphan and rule findings, score the dimensions and build the report.

    Orphan references and failed rules count as invalid cells of their columns in the validity score.
    """
    findings += check_orphans(profile, orphans) + check_rules(expectations)
    extra = rule_failure_counts(expectations)
    for column, found in orphans.items():
        extra[column] = extra.get(column, 0) + found["rows"]
    rule_columns = [r["column"] for r in rules if isinstance(r.get("column"), str)]
    scores = quality_scores(profile, freshness_days=freshness_days, extra_invalid=extra,
                            extra_columns=[*rule_columns, *references])
    result = StageResult(stage="quality", subject=table, verdict=quality_verdict(scores, findings),
                         score=round(scores.overall, 1), findings=findings,
                         metrics=_metrics(profile, scores, expectations, orphans))
    return QualityReport(result=result, profile=profile, scores=scores, expectations=expectations, suite=suite)


def _suite(profile: TableProfile, *, table: str, rules: list[dict], parents: Mapping[str, ParentKeys], as_of: date,
           freshness_days: int) -> dict:
    types = profile.semantic_types
    return build_suite(table=table, semantic_types=types, key=profile.key, rules=rules,
                       reference_keys={c: keys.listed for c, keys in parents.items()}, as_of=as_of,
                       freshness_days=freshness_days,
                       date_columns=[c for c, t in types.items() if t in ("date", "date_as_text")])


def _names(value: Iterable[str] | str | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _validate(columns: list[str], where: str, *, key: str | None, date_columns: list[str], references: dict,
              rules: list, pii_columns: list[str], as_of: Any) -> date:
    named: list[tuple[str, Any]] = [("key", key)] if key is not None else []
    named += [("date_columns", c) for c in date_columns] + [("pii_columns", c) for c in pii_columns]
    named += [("references", c) for c in references]
    for i, rule in enumerate(rules):
        if not isinstance(rule, Mapping):
            raise ConfigError(f"{where}: `rules[{i}]` is {rule!r}, not a mapping; write each rule as "
                              "{column: ..., expect: ...}.")
        if "column" in rule:
            named.append((f"rules[{i}].column", rule["column"]))
    for param, column in named:
        if column not in columns:
            close = difflib.get_close_matches(str(column), columns, n=1, cutoff=0.5)
            hint = f"the closest column is '{close[0]}'; " if close else ""
            raise ConfigError(f"{where}: `{param}` names column '{column}', which is not in the table; "
                              f"{hint}columns are: {', '.join(columns[:30])}; fix `{param}`.")
    for column, spec in references.items():
        if not isinstance(spec, Mapping) or "path" not in spec or "column" not in spec:
            raise ConfigError(f"{where}: `references.{column}` must give the parent table's `path` and "
                              f"`column`, found {spec!r}.")
    try:
        return parse_as_of(as_of)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: `as_of` is {as_of!r}, not an ISO date; write it as YYYY-MM-DD, "
                          "e.g. 2026-06-30.") from None


def _metrics(profile: TableProfile, scores: QualityScores, expectations: pd.DataFrame,
             orphans: dict[str, dict]) -> dict[str, Any]:
    cols = profile.columns.values()
    failed = int((~expectations["success"].astype(bool)).sum()) if len(expectations) else 0
    return {
        "rows": profile.rows,
        "columns": len(profile.columns),
        "scores": scores.as_dict(),
        "null_cells": sum(c.null_total for c in cols),
        "duplicate_rows": profile.duplicate_rows,
        "duplicate_key_rows": profile.duplicate_key_rows,
        "null_key_rows": profile.null_key_rows,
        "near_duplicate_rows": profile.near_duplicate_rows,
        "orphan_rows": sum(o["rows"] for o in orphans.values()),
        "semantic_types": profile.semantic_types,
        "personal_columns": {c.name: c.personal_kind for c in cols if c.personal_kind},
        "expectations": len(expectations),
        "expectations_failed": failed,
    }
