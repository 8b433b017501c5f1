"""Data-quality stage: profile a table, check it, score it and validate it with Great Expectations.

:func:`assess_quality` is the one call a notebook makes; the pieces (:func:`profile_table`,
:func:`typed_frame`, :func:`run_checks`, :func:`quality_scores`) are public for reuse and tests.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.errors import ConfigError
from readiness.findings import DQ_COLUMN_NAME_FIXED, DQ_ENCODING_FALLBACK, DQ_MALFORMED_ROWS  # written on reading
from readiness.params import Assumption, note_assumptions
from readiness.profiling.infer import DamageReport, spreadsheet_damage
from readiness.profiling.profile import (
    SEMANTIC_TYPES,
    ColumnProfile,
    TableProfile,
    parse_as_of,
    profile_and_type,
    profile_table,
    typed_frame,
)
from readiness.quality.checks import (
    CODES,
    DQ_CONSTANT_COLUMN,
    DQ_DISGUISED_NULLS,
    DQ_DUPLICATE_KEY,
    DQ_DUPLICATE_ROWS,
    DQ_FUTURE_DATE,
    DQ_INCONSISTENT_FORMAT,
    DQ_INVALID_EMAIL,
    DQ_INVALID_PHONE,
    DQ_MISSING_CONCENTRATED,
    DQ_MISSING_VALUES,
    DQ_MIXED_DATE_FORMATS,
    DQ_NEAR_DUPLICATE_RECORDS,
    DQ_NEGATIVE_QUANTITY,
    DQ_NON_POSITIVE_AMOUNT,
    DQ_NULL_KEY,
    DQ_NUMBER_AS_TEXT,
    DQ_ORPHAN_REFERENCE,
    DQ_OUTLIERS,
    DQ_PERSONAL_DATA,
    DQ_PII_IN_TEXT,
    DQ_RULE_FAILED,
    DQ_SENTINEL_VALUE,
    DQ_SPREADSHEET_DAMAGE,
    DQ_STALE_TABLE,
    DQ_UNPARSEABLE_DATE,
    check_columns,
    check_freshness,
    check_keys,
    check_missing_concentrated,
    check_orphans,
    check_pii_in_text,
    check_rules,
    orphan_references,
    rule_failure_counts,
    run_checks,
)
from readiness.quality.scores import QualityScores, quality_scores, quality_verdict
from readiness.results import Finding, StageResult, to_jsonable

__all__ = [
    "CODES", "ColumnProfile", "QualityReport", "QualityScores", "SEMANTIC_TYPES", "TableProfile",
    "assess_quality", "profile_table", "save_report", "quality_scores", "quality_verdict", "run_checks", "typed_frame",
    "DQ_CONSTANT_COLUMN", "DQ_DISGUISED_NULLS", "DQ_DUPLICATE_KEY", "DQ_DUPLICATE_ROWS", "DQ_FUTURE_DATE",
    "DQ_INCONSISTENT_FORMAT", "DQ_INVALID_EMAIL", "DQ_INVALID_PHONE", "DQ_MISSING_CONCENTRATED",
    "DQ_MISSING_VALUES", "DQ_MIXED_DATE_FORMATS", "DQ_NEAR_DUPLICATE_RECORDS", "DQ_NON_POSITIVE_AMOUNT",
    "DQ_NULL_KEY", "DQ_NUMBER_AS_TEXT", "DQ_ORPHAN_REFERENCE", "DQ_OUTLIERS", "DQ_PERSONAL_DATA",
    "DQ_PII_IN_TEXT", "DQ_RULE_FAILED", "DQ_STALE_TABLE", "DQ_UNPARSEABLE_DATE", "DQ_NEGATIVE_QUANTITY",
    "DQ_SENTINEL_VALUE", "DQ_SPREADSHEET_DAMAGE", "DQ_COLUMN_NAME_FIXED", "DQ_ENCODING_FALLBACK", "DQ_MALFORMED_ROWS",
    "DamageReport", "spreadsheet_damage",
]

EXPECTATION_COLUMNS = [
    "expectation", "column", "origin", "description", "success", "unexpected_count", "unexpected_percent",
    "observed",
]


@dataclass
class QualityReport:
    """Everything the data-quality notebook shows about one table."""

    result: StageResult
    profile: TableProfile
    scores: QualityScores
    expectations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXPECTATION_COLUMNS))
    suite: dict[str, Any] = field(default_factory=dict)
    assumed: list[Assumption] = field(default_factory=list)

    def add_assumptions(self, assumed: list[Assumption]) -> None:
        """Record choices made for the analyst, in the report and in the result's ``metrics["assumed"]``."""
        note_assumptions(self, assumed)

    def findings_frame(self) -> pd.DataFrame:
        """Findings for display, errors first: severity, code, column, message."""
        rows = [{"severity": f.severity, "code": f.code, "column": f.column or "", "message": f.message}
                for f in self.result.sorted_findings()]
        return pd.DataFrame(rows, columns=["severity", "code", "column", "message"])

    def expectations_frame(self) -> pd.DataFrame:
        """Great Expectations results for display; ``unexpected %`` is a 0-1 share."""
        ex = self.expectations
        if ex.empty:
            return pd.DataFrame(columns=["check", "column", "origin", "result", "unexpected", "unexpected %"])
        return pd.DataFrame({
            "check": ex["description"].fillna(ex["expectation"]),
            "column": ex["column"].fillna(""),
            "origin": ex["origin"],
            "result": ex["success"].map({True: "pass", False: "fail"}).fillna("fail"),
            "unexpected": pd.to_numeric(ex["unexpected_count"], errors="coerce"),
            "unexpected %": pd.to_numeric(ex["unexpected_percent"], errors="coerce") / 100,
        })

    @property
    def headline(self) -> str:
        """One sentence on what the verdict means for the client."""
        errors = self.result.count_by_severity()["error"]
        score = f"overall quality {self.scores.overall:.1f} / 100"
        blocking = f"{errors} blocking issue{'s' if errors != 1 else ''}"
        return {
            "ready": f"The table can be used as it is: {score} and no blocking issue.",
            "needs_work": f"The table can be used after fixes: {score}, {blocking}.",
        }.get(self.result.verdict, f"The table is not fit for use yet: {score}, {blocking}.")

    @property
    def cards(self) -> dict[str, float | int]:
        """Headline figures for a row of metric cards."""
        counts = self.result.count_by_severity()
        return {
            "Rows": self.profile.rows,
            "Columns": len(self.profile.columns),
            "Quality score": round(self.scores.overall, 1),
            "Missing cells": self.result.metrics.get("null_cells", 0),
            "Errors": counts["error"],
            "Warnings": counts["warning"],
        }


def save_report(report: QualityReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``<table>.json`` (the stage result) and ``<table>.gx-suite.json`` (when a suite was built).

    Returns
    -------
    dict
        ``{"result": path, "suite": path}`` (``suite`` only when written).
    """
    folder = Path(results_dir)
    subject = report.result.subject
    saved = {"result": report.result.save(folder / f"{subject}.json")}
    if report.suite:
        path = folder / f"{subject}.gx-suite.json"
        path.write_text(json.dumps(to_jsonable(report.suite), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        saved["suite"] = path
    return saved


def assess_quality(
    loaded: Any,
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
) -> QualityReport:
    """Assess the data quality of one loaded table.

    Parameters
    ----------
    loaded : readiness.tables.LoadedTable
        The table as loaded (its ``frame``, ``decimal``, ``path`` and ``findings`` are used).
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

    Returns
    -------
    QualityReport

    Raises
    ------
    ConfigError
        A parameter names a column that is not in the table, or ``as_of`` is not an ISO date.
    """
    frame = loaded.frame
    where = f"{getattr(loaded.path, 'name', loaded.path)} (table '{table}')"
    date_columns, pii_columns = _names(date_columns), _names(pii_columns)
    references, rules = dict(references or {}), list(rules or [])
    as_of_date = _validate(frame, where, key=key, date_columns=date_columns, references=references,
                           rules=rules, pii_columns=pii_columns, as_of=as_of)
    chooser = KeyDetection(table) if detect_key and key is None else None
    profile, typed = profile_and_type(frame, key=key, date_columns=date_columns, pii_columns=pii_columns,
                                      decimal=getattr(loaded, "decimal", ".") or ".", as_of=as_of_date,
                                      choose_key=chooser)
    key = profile.key
    parent_keys = {column: _parent_keys(column, spec, where) for column, spec in references.items()}
    orphans = orphan_references(profile, typed, parent_keys)
    expectations, suite = _expectations(run_expectations, table=table, profile=profile, typed=typed, key=key,
                                        rules=rules, parent_keys=parent_keys, as_of=as_of_date,
                                        freshness_days=freshness_days)
    findings = list(getattr(loaded, "findings", []) or [])
    findings += check_keys(profile) + check_columns(profile, references=references)
    findings += check_freshness(profile, freshness_days=freshness_days)
    findings += check_missing_concentrated(profile, typed) + check_pii_in_text(profile, typed)
    report = conclude_report(table=table, profile=profile, findings=findings, orphans=orphans,
                             expectations=expectations, suite=suite, rules=rules, references=references,
                             freshness_days=freshness_days)
    if chooser is not None:
        report.add_assumptions([chooser.assumption()])
    return report


class KeyDetection:
    """Chooses a table's key from its profile and remembers why, for the "what was assumed" table."""

    def __init__(self, table: str | None) -> None:
        self.table, self.found = table, None

    def __call__(self, profile: TableProfile) -> str | None:
        from readiness.profiling.detect import detect_key

        self.found = detect_key(profile, table=self.table)
        return None if self.found is None else self.found.column

    def assumption(self) -> Assumption:
        """The key chosen, or that none was found."""
        change = "-p key COLUMN, or -p key none when the table has no key"
        if self.found is None:
            return Assumption("key", "none", "no column is filled and distinct on (almost) every row", change)
        return Assumption("key", self.found.column, self.found.reason, change)


def conclude_report(*, table: str, profile: TableProfile, findings: list[Finding], orphans: dict[str, dict],
                    expectations: pd.DataFrame, suite: dict, rules: list[dict], references: Mapping[str, Any],
                    freshness_days: int) -> QualityReport:
    """Add the orphan and rule findings, score the dimensions and build the report (both engines).

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


def _names(value: Iterable[str] | str | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _validate(frame: pd.DataFrame, where: str, *, key: str | None, date_columns: list[str],
              references: dict, rules: list, pii_columns: list[str], as_of: Any) -> date:
    columns = [str(c) for c in frame.columns]
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


def _parent_keys(column: str, spec: Mapping[str, Any], where: str) -> pd.Series:
    from readiness.tables import load_table

    parent = load_table(spec["path"], sheet=spec.get("sheet"))
    require_parent_column(column, spec, [str(c) for c in parent.frame.columns], where)
    return parent.frame[spec["column"]]


def require_parent_column(column: str, spec: Mapping[str, Any], columns: list[str], where: str) -> None:
    """ConfigError, with the closest name, when a reference's parent table lacks the column it names."""
    if spec["column"] in columns:
        return
    close = difflib.get_close_matches(str(spec["column"]), columns, n=1, cutoff=0.5)
    hint = f"the closest column is '{close[0]}'; " if close else ""
    raise ConfigError(f"{where}: `references.{column}.column` names '{spec['column']}', which is not in "
                      f"{spec['path']}; {hint}columns are: {', '.join(columns[:30])}.")


def _expectations(run: bool, *, table: str, profile: TableProfile, typed: pd.DataFrame, key: str | None,
                  rules: list[dict], parent_keys: dict[str, pd.Series], as_of: date,
                  freshness_days: int) -> tuple[pd.DataFrame, dict]:
    if not run:
        return pd.DataFrame(columns=EXPECTATION_COLUMNS), {}
    from readiness.quality.expectations import build_suite, validate_suite

    types = profile.semantic_types
    suite = build_suite(
        table=table, semantic_types=types, key=key, rules=rules,
        reference_keys={c: _clean_keys(keys) for c, keys in parent_keys.items()},
        as_of=as_of, freshness_days=freshness_days,
        date_columns=[c for c, t in types.items() if t in ("date", "date_as_text")],
    )
    return validate_suite(typed, suite), suite


def _clean_keys(keys: pd.Series) -> list:
    text = keys.dropna().astype(str).str.strip()
    return sorted(set(text[text != ""]))


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


# the notebook's entry point and parameter model build on everything above
from readiness.quality.entry import assess_from_params  # noqa: E402
from readiness.quality.params import QualityParams  # noqa: E402

__all__ += ["QualityParams", "assess_from_params"]
