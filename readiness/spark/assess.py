"""The data-quality stage on Spark: profile, profile-based checks and scores, as a QualityReport.

Checks that need the typed rows (missing values concentrated in a category, contact details in
free text, orphan references) and the Great Expectations suite are not computed on Spark yet;
their findings are absent from a Spark report.
"""

from __future__ import annotations

from typing import Any

from readiness.quality import QualityReport, _metrics, _names, _validate
from readiness.quality.checks import check_columns, check_freshness, check_keys
from readiness.quality.scores import quality_scores, quality_verdict
from readiness.results import StageResult
from readiness.spark.profile import profile_table_spark


def assess(sdf: Any, *, table: str, as_of: Any, key: str | None, date_columns: Any, references: Any,
           rules: list[dict] | None, pii_columns: Any, freshness_days: int, run_expectations: bool) -> QualityReport:
    """See :func:`readiness.spark.assess_quality_spark`."""
    import pandas as pd

    from readiness.quality import EXPECTATION_COLUMNS

    date_columns, pii_columns = _names(date_columns), _names(pii_columns)
    references, rules = dict(references or {}), list(rules or [])
    as_of_date = _validate(pd.DataFrame(columns=list(sdf.columns)), f"table '{table}'", key=key,
                           date_columns=date_columns, references=references, rules=rules,
                           pii_columns=pii_columns, as_of=as_of)
    profile = profile_table_spark(sdf, key=key, date_columns=date_columns, pii_columns=pii_columns, as_of=as_of_date)
    findings = check_keys(profile) + check_columns(profile) + check_freshness(profile, freshness_days=freshness_days)
    rule_columns = [r["column"] for r in rules if isinstance(r.get("column"), str)]
    scores = quality_scores(profile, freshness_days=freshness_days, extra_columns=[*rule_columns, *references])
    expectations = pd.DataFrame(columns=EXPECTATION_COLUMNS)
    result = StageResult(stage="quality", subject=table, verdict=quality_verdict(scores, findings),
                         score=round(scores.overall, 1), findings=findings,
                         metrics=_metrics(profile, scores, expectations, {}))
    return QualityReport(result=result, profile=profile, scores=scores, expectations=expectations, suite={})
