"""From the comparisons to ``PROG_*`` findings and the tally of changes for the better and the worse."""

from __future__ import annotations

from typing import Any

from readiness.findings import (
    PROG_BASELINE_NEWER,
    PROG_FINDING_NEW,
    PROG_FINDING_RESOLVED,
    PROG_LIGHT_CHANGED,
    PROG_MEASURE_BETTER,
    PROG_MEASURE_WORSE,
    PROG_ROI_MOVED,
    PROG_STILL_OPEN,
    PROG_UNMATCHED,
    PROG_WITHIN_NOISE,
)
from readiness.progress.changes import FindingChange
from readiness.progress.measures import MetricChange, ScoreChange, estimate_text, metric_label
from readiness.progress.money import FIGURES, RoiChange
from readiness.progress.report import ProgressReport
from readiness.results import Finding

CODES = (PROG_BASELINE_NEWER, PROG_FINDING_NEW, PROG_FINDING_RESOLVED, PROG_STILL_OPEN, PROG_MEASURE_BETTER,
         PROG_MEASURE_WORSE, PROG_WITHIN_NOISE, PROG_LIGHT_CHANGED, PROG_ROI_MOVED, PROG_UNMATCHED)
PLACE = {"quality": "table", "feasibility": "use case", "ethics": "use case", "roi": "use case",
         "summary": "summary"}


def _place(stage: str, subjects: str | list[str], column: str | None = None) -> str:
    """``table 'customers', column 'email'``, or ``use cases 'churn' and 'no_show'``."""
    names = [subjects] if isinstance(subjects, str) else subjects
    quoted = [f"'{name}'" for name in names]
    words = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    where = f"{PLACE.get(stage, stage)}{'s' if len(names) > 1 else ''} {words}"
    return f"{where}, column '{column}'" if column else where


def progress_findings(report: ProgressReport) -> tuple[list[Finding], dict[str, int]]:
    """The findings of a progress result and the tally its verdict and score come from.

    Returns
    -------
    (list of Finding, dict)
        The tally holds ``better`` and ``worse`` (changes counted each way), ``resolved`` and ``new``
        (warnings and errors), ``persisting`` (every finding in both runs) and ``still_open`` (errors).
    """
    tally = {"better": 0, "worse": 0, "resolved": 0, "new": 0, "persisting": 0, "still_open": 0}
    findings: list[Finding] = []
    before, after = report.baseline.record.as_of, report.later.record.as_of
    if before and after and before > after:
        findings.append(Finding("warning", PROG_BASELINE_NEWER, f"The baseline's data is judged as of {before}, "
                                f"after the later run's {after}: check that the earlier folder is given first."))
    since = report.baseline.label
    groups: dict[tuple[Any, ...], list[FindingChange]] = {}
    for change in report.findings:  # the same finding word for word in several use cases counts once
        key = (change.status, change.stage, change.code, change.column, change.detail, change.severity,
               change.message)
        groups.setdefault(key, []).append(change)
    for group in groups.values():
        findings += _finding_change(group, since, tally)
    for score in report.readiness[:1] + [q for q in report.quality if q.measure == "overall"]:
        findings += _score(score, report.material_points, tally)
    for metric in report.feasibility:
        findings += _metric(metric, tally)
    for light in report.lights:
        worse = light.direction == "worse"
        if light.direction in ("better", "worse"):
            tally[light.direction] += 1
        findings.append(Finding("warning" if worse else "info", PROG_LIGHT_CHANGED,
                                f"Use case '{light.use_case}': the ethics light '{light.check.replace('_', ' ')}' "
                                f"went from {light.before or 'not assessed'} to {light.after or 'not assessed'}.",
                                evidence={"use_case": light.use_case, "check": light.check,
                                          "before": light.before, "after": light.after}))
    for money in report.roi:
        findings += _roi(money, tally)
    for item in report.unmatched:
        findings.append(Finding("warning", PROG_UNMATCHED, f"{_place(item.stage, item.subject).capitalize()}: "
                                f"{item.reason}; it is left out of the comparison.", evidence=item.as_dict()))
    return findings, tally


def _finding_change(group: list[FindingChange], since: str, tally: dict[str, int]) -> list[Finding]:
    change = group[0]
    place = _place(change.stage, [c.subject for c in group], change.column)
    evidence = {k: v for k, v in change.as_dict().items() if k not in ("message", "subject") and v is not None}
    evidence["subjects"] = [c.subject for c in group]
    if change.status == "persisting":
        tally["persisting"] += len(group)
        if change.severity_after != "error":
            return []
        tally["still_open"] += 1
        return [Finding("warning", PROG_STILL_OPEN, f"{change.code} on {place} is still an error, as it was "
                        f"{since}: {change.message}", column=change.column, evidence=evidence)]
    if change.status == "resolved":
        if not change.counts:
            return []
        tally["resolved"] += 1
        tally["better"] += 1
        return [Finding("info", PROG_FINDING_RESOLVED, f"{change.code} on {place} is resolved (a "
                        f"{change.severity_before} {since}: {change.message})", column=change.column,
                        evidence=evidence)]
    if change.counts:
        tally["new"] += 1
        tally["worse"] += 1
    return [Finding(change.severity, PROG_FINDING_NEW, f"New since the assessment {since}: {change.code} on "
                    f"{place}: {change.message}", column=change.column, evidence=evidence)]


def _score(score: ScoreChange, material: float, tally: dict[str, int]) -> list[Finding]:
    if score.direction not in ("better", "worse"):
        return []
    tally[score.direction] += 1
    what = "The readiness index" if score.area == "readiness" else f"The data quality of table '{score.subject}'"
    verb = "rose" if score.direction == "better" else "fell"
    code = PROG_MEASURE_BETTER if score.direction == "better" else PROG_MEASURE_WORSE
    return [Finding("info" if score.direction == "better" else "warning", code,
                    f"{what} {verb} from {score.before:.1f} to {score.after:.1f} ({score.change:+.1f} points; a "
                    f"change counts from {material:g}).",
                    evidence={"area": score.area, "subject": score.subject, "before": score.before,
                              "after": score.after})]


def _metric(metric: MetricChange, tally: dict[str, int]) -> list[Finding]:
    direction = metric.direction
    if direction not in ("better", "worse", "within_noise"):
        return []
    label = metric_label(metric.metric)
    was, now = estimate_text(metric.metric, metric.before), estimate_text(metric.metric, metric.after)
    evidence: dict[str, Any] = {"use_case": metric.use_case, "metric": metric.metric, "before": metric.before[0],
                                "after": metric.after[0], "difference": metric.difference, "noise": metric.noise}
    where = f"Use case '{metric.use_case}': the best model's {label}"
    if direction == "within_noise":
        return [Finding("info", PROG_WITHIN_NOISE, f"{where} moved from {was} to {now}, within the noise "
                        f"(difference {abs(metric.difference or 0):.3g}, noise ±{metric.noise:.3g}): not counted.",
                        evidence=evidence)]
    tally[direction] += 1
    code, severity = (PROG_MEASURE_BETTER, "info") if direction == "better" else (PROG_MEASURE_WORSE, "warning")
    verb = "improved" if direction == "better" else "got worse"
    return [Finding(severity, code, f"{where} {verb} beyond the noise: {was} then, {now} now (difference "
                    f"{abs(metric.difference or 0):.3g} > noise ±{metric.noise:.3g}).", evidence=evidence)]


def money_text(figure: str, value: float | None, currency: str) -> str:
    """One ROI figure in words: ``EUR 12,771`` or ``76%``."""
    if value is None:
        return "n/a"
    return f"{value:.0%}" if figure == "prob_npv_positive" else f"{currency} {value:,.0f}"


def _roi(money: RoiChange, tally: dict[str, int]) -> list[Finding]:
    if not money.moved and money.valued[0] == money.valued[1]:
        return []
    direction = money.direction
    if direction in ("better", "worse"):
        tally[direction] += 1
    moves = "; ".join(f"{FIGURES[f]} {money_text(f, money.before[f], money.currency)} → "
                      f"{money_text(f, money.after[f], money.currency)}" for f in money.moved) or "valued differently"
    return [Finding("warning" if direction == "worse" else "info", PROG_ROI_MOVED,
                    f"Use case '{money.title}': {moves}; because: {'; '.join(money.causes)}.",
                    evidence={"use_case": money.use_case, "moved": list(money.moved), "causes": list(money.causes)})]
