"""Would the whole table change the answer? The best model's learning curve read at all of its rows.

When the models ran on a sample of a larger table (the Spark engine brings a bounded sample to
pandas), the full table would give ``full_rows / sample_rows`` times the training rows. The
expected metric there is the cross-validated metric moved by the curve's change from the
sample's training rows to the full table's, so a table no larger than the sample reads back the
measured metric. Skill, the evidence findings and sufficiency are recomputed with it;
significance and hygiene stay as measured on the sample (more rows narrow the intervals, so
this is the cautious reading). The verdict follows :func:`readiness.feasibility.verdict.verdict`.
"""

from __future__ import annotations

from typing import Any

from readiness.feasibility import codes
from readiness.feasibility.learning_curve import LearningCurve
from readiness.feasibility.verdict import SHORT_CODES, ScoreParts, evidence_findings, hygiene, skill, verdict
from readiness.results import Finding

LABELS = {"roc_auc": "ROC-AUC", "roc_auc_ovr": "ROC-AUC", "f1_macro": "macro-F1",
          "mean_absolute_error": "mean absolute error"}
VERDICT_WORDS = {"go": "go", "pilot": "pilot", "not_yet": "not yet"}


def _expected(curve: LearningCurve, measured: float, n_sample: float, n_full: float) -> float:
    change = curve.at(n_full) - curve.at(n_sample)
    if curve.metric == "mean_absolute_error":
        return max(0.0, measured + change)
    return min(1.0, max(0.0, measured + change))


def full_data_reading(curve: LearningCurve | None, *, task: str, lift: dict, p_value: float | None,
                      findings: list[Finding], evidence: list[Finding], parts: ScoreParts, labelled: int,
                      labelled_share: float, min_rows: int, sample_rows: int, full_rows: int) -> tuple[dict, Finding]:
    """What the best model's learning curve expects on every row of the table, and the verdict it implies.

    Parameters
    ----------
    curve : LearningCurve or None
        The best model's curve, fitted on the sample (``n_today`` = the sample's training rows).
    task : str
        ``binary``, ``multiclass``, ``regression`` or ``text``.
    lift : dict
        The best model's lift on the sample (:func:`readiness.feasibility.models.lift`).
    p_value : float or None
        Its permutation p-value.
    findings : list of Finding
        Every finding the verdict on the sample saw, ``evidence`` included.
    evidence : list of Finding
        The findings of :func:`readiness.feasibility.verdict.evidence_findings` on the sample; they
        are recomputed with the expected metric.
    parts : ScoreParts
        The score parts on the sample.
    labelled, labelled_share : int, float
        Labelled rows of the sample and their share of its rows.
    min_rows : int
        The minimum sample size (``metrics["sample_size"]["min_rows"]``).
    sample_rows, full_rows : int
        Rows of the sample the models saw and of the whole table.

    Returns
    -------
    (dict, Finding)
        The figures (also the finding's evidence) and a :data:`~readiness.feasibility.codes.FEAS_FULL_DATA`
        info finding whose sentence gives the expected metric and the verdict on all rows.
    """
    primary = lift["metric"]
    verdict_sample = verdict(findings, parts)
    out: dict[str, Any] = {"rows": int(full_rows), "sample_rows": int(sample_rows), "score": parts.score,
                           "verdict": verdict_sample}
    if curve is None or curve.a is None or curve.at_today is None:
        out.update(metric=None if curve is None else curve.metric, expected=None, verdict_full=None, changes=None)
        why = "was not measured within the time budget" if curve is None else "could not be fitted"
        out["sentence"] = (f"The models ran on {sample_rows:,} of the table's {full_rows:,} rows and the learning "
                           f"curve {why}, so whether all rows would change the verdict "
                           f"({VERDICT_WORDS[verdict_sample]}) is unknown.")
        return out, _finding(out)
    factor = full_rows / sample_rows
    n_sample, n_full = curve.n_today, curve.n_today * factor
    measured = abs(lift["value"])
    expected = _expected(curve, measured, n_sample, n_full)
    sign = -1.0 if primary.startswith("neg_") else 1.0
    value = sign * expected
    relative = None if lift.get("relative") is None else \
        lift["relative"] + (value - lift["value"]) / (-lift["baseline"] if sign < 0 else 1 - lift["baseline"])
    lift_full = {**lift, "value": value, "relative": relative}
    skill_full = skill(task, value=value, baseline=lift["baseline"], relative=relative)
    kept = [f for f in findings if not any(f is e for e in evidence)]
    if labelled * factor >= min_rows:  # the whole table meets the minimum sample size
        kept = [f for f in kept if f.code not in SHORT_CODES]
    findings_full = kept + evidence_findings(task, lift=lift_full, p_value=p_value, skill_value=skill_full,
                                             primary=primary)
    parts_full = ScoreParts(skill_full, parts.significance, min(1.0, labelled * factor / max(1, min_rows)),
                            hygiene(findings_full, labelled_share))
    verdict_full = verdict(findings_full, parts_full)
    out.update(metric=curve.metric, training_rows_sample=n_sample, training_rows_full=n_full, on_sample=measured,
               expected=expected, curve_sample=curve.at(n_sample), curve_full=curve.at(n_full),
               score_full=parts_full.score, score_parts_full=parts_full.as_dict(), verdict_full=verdict_full,
               changes=verdict_full != verdict_sample)
    then = (f"stay {VERDICT_WORDS[verdict_sample]}" if verdict_full == verdict_sample else
            f"become {VERDICT_WORDS[verdict_full]} instead of {VERDICT_WORDS[verdict_sample]}")
    out["sentence"] = (f"On all {full_rows:,} rows the learning curve expects {LABELS[curve.metric]} {expected:.3f} "
                       f"against {measured:.3f} on the sample of {sample_rows:,}, so the verdict would {then} "
                       f"(score {parts_full.score:.0f} against {parts.score:.0f}).")
    return out, _finding(out)


def _finding(out: dict) -> Finding:
    return Finding("info", codes.FEAS_FULL_DATA, out["sentence"], None,
                   {k: v for k, v in out.items() if k != "sentence"})
