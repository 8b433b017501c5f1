"""Review a pilot: realised metrics, value, calibration, drift and fairness, then the verdict.

:func:`assess_pilot` works on a read :class:`~readiness.pilot.log.PilotLog` and what the assessment
promised (the feasibility estimate, the ROI figures, the assessed extract); every file is read by
:mod:`readiness.pilot.entry`. Each check adds its findings; :mod:`readiness.pilot.verdict` turns
them into ``scale``, ``adjust`` or ``stop``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness.findings import (
    PILOT_BELOW_ESTIMATE,
    PILOT_DRIFT_MODERATE,
    PILOT_DRIFT_SIGNIFICANT,
    PILOT_ESTIMATE_HELD,
    PILOT_FAIRNESS_GAP,
    PILOT_FEW_OUTCOMES,
    PILOT_NEGATIVE_VALUE,
    PILOT_NO_BASELINE,
    PILOT_NO_ESTIMATE,
    PILOT_NO_GROUPS,
    PILOT_NO_OUTCOMES,
    PILOT_NO_SKILL,
    PILOT_NO_VALUE_INPUTS,
    PILOT_NOT_WORKING,
    PILOT_POOR_CALIBRATION,
    PILOT_SCORES_NOT_PROBABILITIES,
    PILOT_UNLABELLED_ROWS,
    PILOT_VALUE_BELOW_ESTIMATE,
)
from readiness.pilot.calibration import Calibration, assess_calibration
from readiness.pilot.drift import drift_table
from readiness.pilot.estimates import FeasibilityEstimate, RoiEstimate
from readiness.pilot.fairness import FAIRNESS_COLUMNS, fairness_table
from readiness.pilot.log import PilotLog
from readiness.pilot.realised import METRIC_LABELS, Resamples, ScoredDecisions, confusion_figures, realised_frame
from readiness.pilot.report import PilotReport
from readiness.pilot.value import OutcomeValues, RealisedValue, realised_value
from readiness.pilot.verdict import check_lights, headline, pilot_verdict, verdict_score
from readiness.privacy import safe_text
from readiness.results import Finding, StageResult, consistent_verdict, to_jsonable

__all__ = ["MIN_OUTCOMES", "Baseline", "assess_pilot"]

MIN_OUTCOMES = 30  # positive and negative outcomes each, below which the realised figures are too uncertain


@dataclass(frozen=True)
class Baseline:
    """The assessed extract, typed, and the features to compare with the pilot."""

    name: str
    frame: pd.DataFrame
    features: list[str]


@dataclass
class _Checks:
    findings: list[Finding]
    ran: dict[str, bool]

    def add(self, severity: str, code: str, message: str, *, column: str | None = None, **evidence) -> None:
        self.findings.append(Finding(severity, code, message, column=column, evidence=to_jsonable(evidence)))


def assess_pilot(log: PilotLog, *, use_case: str, title: str, estimate: FeasibilityEstimate | None = None,
                 roi: RoiEstimate | None = None, baseline: Baseline | None = None,
                 groups: list[str] | tuple[str, ...] = (), values: OutcomeValues | None = None,
                 currency: str = "EUR", bootstrap: int = 1000, min_group_size: int = 30, seed: int = 42) -> PilotReport:
    """Review one use case's pilot.

    Parameters
    ----------
    log : PilotLog
        The decision log (:func:`readiness.pilot.log.read_pilot_log`).
    use_case, title : str
        The use case's id and title.
    estimate : FeasibilityEstimate, optional
        The feasibility stage's estimate; without it the realised figures stand alone.
    roi : RoiEstimate, optional
        The ROI stage's figures for the use case, shown beside the realised value.
    baseline : Baseline, optional
        The assessed extract and the features to compare; without it drift is not measured.
    groups : list of str
        Log columns whose groups are compared for fairness.
    values : OutcomeValues, optional
        Value of each outcome; without them the value is not measured.
    currency : str
    bootstrap : int
        Resamples behind each interval.
    min_group_size : int
        Smaller groups are shown, not judged.
    seed : int
        Drives the resamples.

    Returns
    -------
    PilotReport
    """
    checks = _Checks([], {})
    labelled = log.labelled
    outcome, score, decision = log.outcome[labelled], log.score[labelled], log.decision[labelled]
    judgeable = _outcomes(checks, log, outcome)
    realised, value, calibration = _empty_realised(), None, None
    if judgeable:
        decisions = ScoredDecisions(outcome, score, decision)
        resamples = Resamples.draw(decisions, n=bootstrap, seed=seed)
        probabilities = bool(np.all((score >= 0) & (score <= 1)))
        realised = realised_frame(decisions, resamples, headline=_headline_metric(estimate),
                                  estimates=_estimates(estimate), probabilities=probabilities)
        _performance(checks, realised, estimate)
        value = _value(checks, decisions, resamples, values, estimate, realised, currency)
        calibration = _calibration(checks, outcome, score, probabilities)
    drift, bins = _drift(checks, log, baseline)
    fairness = _fairness(checks, log, groups, min_group_size) if judgeable else pd.DataFrame(columns=FAIRNESS_COLUMNS)
    lights = check_lights(checks.findings, checks.ran)
    verdict, reasons = pilot_verdict(checks.findings, lights)
    score_ = None if verdict == "incomplete" else verdict_score(lights)
    # stop on every error already; the cap is the project rule written down once more
    result = StageResult(stage="pilot", subject=use_case, verdict=consistent_verdict(verdict, checks.findings),
                         score=score_, findings=checks.findings)
    report = PilotReport(result=result, realised=realised, value=value, calibration=calibration, drift=drift,
                         drift_bins=bins, fairness=fairness, estimate=estimate, roi=roi, lights=lights,
                         reasons=reasons, currency=currency, assumed=list(log.assumed))
    result.metrics = _metrics(report, log, use_case=use_case, title=title, bootstrap=bootstrap, seed=seed)
    return report


# ------------------------------------------------------------------------------- performance

def _outcomes(checks: _Checks, log: PilotLog, outcome: np.ndarray) -> bool:
    """Findings on how many outcomes are known; False when there is nothing to judge."""
    scored, known = int(log.scored.sum()), len(outcome)
    positives, negatives = int(outcome.sum()), int(known - outcome.sum())
    checks.ran["performance"] = True
    if scored > known:
        share = 1 - known / scored if scored else 0.0
        checks.add("warning" if share >= 0.5 else "info", PILOT_UNLABELLED_ROWS,
                   f"{scored - known:,} of {scored:,} decisions ({share:.0%}) have no known outcome yet; they are "
                   "left out of the realised figures (drift still counts them).", unlabelled=scored - known)
    if positives == 0 or negatives == 0:
        side = "positive" if negatives == 0 else "negative"
        kind = "no outcome is known" if known == 0 else f"every known outcome is {side}"
        checks.add("error", PILOT_NO_OUTCOMES, f"Nothing can be judged yet: {kind} among {scored:,} decisions; "
                   f"fill in `{log.columns['outcome']}` as outcomes become known and run the review again.",
                   column=log.columns["outcome"], positives=positives, negatives=negatives)
        return False
    if min(positives, negatives) < MIN_OUTCOMES:
        checks.add("warning", PILOT_FEW_OUTCOMES, f"Only {positives:,} positive and {negatives:,} negative outcomes "
                   f"are known: the realised figures are uncertain; extend the pilot to at least {MIN_OUTCOMES} of "
                   "each.",
                   positives=positives, negatives=negatives)
    return True


def _headline_metric(estimate: FeasibilityEstimate | None) -> str:
    if estimate is not None and estimate.metric in METRIC_LABELS:
        return str(estimate.metric)
    return "roc_auc"


def _estimates(estimate: FeasibilityEstimate | None) -> dict[str, tuple[float | None, float | None, float | None]]:
    """Figure -> (estimate, low, high): the headline with its interval, precision and recall at the threshold."""
    if estimate is None or estimate.leakage_suspected:
        return {}
    out: dict[str, tuple[float | None, float | None, float | None]] = {}
    if estimate.confusion:
        for name, number in confusion_figures(estimate.confusion).items():
            out[name] = (number, None, None)
    if estimate.metric in METRIC_LABELS and estimate.mean is not None:
        out[str(estimate.metric)] = (estimate.mean, estimate.low, estimate.high)
    return out


def _performance(checks: _Checks, realised: pd.DataFrame, estimate: FeasibilityEstimate | None) -> None:
    head = realised.iloc[0]
    auc = realised.loc[realised["metric"] == "roc_auc"].iloc[0]
    if np.isfinite(auc["high"]) and auc["high"] <= 0.5:
        checks.add("error", PILOT_NO_SKILL, f"The scores rank cases no better than chance: realised ROC-AUC "
                   f"{auc['realised']:.3f} (95% interval {auc['low']:.3f} to {auc['high']:.3f}); stop and rebuild the "
                   "model before acting on it.", realised=auc["realised"], high=auc["high"])
    position = head["position"]
    if not isinstance(position, str):
        checks.add("info", PILOT_NO_ESTIMATE, _no_estimate_reason(estimate, head["figure"]))
        return
    where = f"{head['figure']} {head['realised']:.3f} (95% interval {head['low']:.3f} to {head['high']:.3f})"
    promised = (f"the feasibility interval {head['estimate_low']:.3f} to {head['estimate_high']:.3f} "
                f"(mean {head['estimate']:.3f})")
    evidence = {"metric": head["metric"], "realised": head["realised"], "estimate_low": head["estimate_low"],
                "estimate_high": head["estimate_high"], "position": position}
    if position == "below":
        checks.add("warning", PILOT_BELOW_ESTIMATE, f"Realised {where} is below {promised}: the model does worse on "
                   "live decisions than assessed.", **evidence)
    else:
        checks.add("info", PILOT_ESTIMATE_HELD, f"Realised {where} is {position} {promised}.", **evidence)


def _no_estimate_reason(estimate: FeasibilityEstimate | None, figure: str) -> str:
    if estimate is None:
        return (f"No feasibility result was given, so the realised {figure} stands alone; give -p feasibility_result "
                "REPORTS/feasibility/<use_case>.json to compare.")
    if estimate.leakage_suspected:
        return f"The feasibility stage suspected a leak in {estimate.source}, so its estimate is not compared."
    if estimate.metric not in METRIC_LABELS:
        return (f"The feasibility headline metric '{estimate.metric}' is not measured on yes/no decisions, so the "
                f"realised {figure} stands alone.")
    return f"{estimate.source} gives no interval for its headline metric, so the realised {figure} stands alone."


def _empty_realised() -> pd.DataFrame:
    return pd.DataFrame(columns=["metric", "figure", "headline", "realised", "low", "high", "estimate",
                                 "estimate_low", "estimate_high", "position"])


# ------------------------------------------------------------------------------------- value

def _value(checks: _Checks, decisions: ScoredDecisions, resamples: Resamples, values: OutcomeValues | None,
           estimate: FeasibilityEstimate | None, realised: pd.DataFrame, currency: str) -> RealisedValue | None:
    if values is None:
        checks.add("info", PILOT_NO_VALUE_INPUTS, "No outcome values were given, so the value of the decisions was "
                   "not measured; give -y \"value: {true_positive: ..., false_positive: ..., decisions_per_year: "
                   "...}\".")
        return None
    checks.ran["value"] = True
    usable = estimate is not None and not estimate.leakage_suspected
    value = realised_value(decisions.confusion(), resamples.confusion, values,
                           estimate_counts=estimate.confusion if usable else None)
    per = f"{currency} {value.per_decision:,.2f} per decision (95% interval {value.low:,.2f} to {value.high:,.2f})"
    below = realised.iloc[0]["position"] == "below"
    if value.per_decision <= 0 and below:
        checks.add("error", PILOT_NOT_WORKING, f"The model does worse than assessed and its decisions lose money: "
                   f"{per}; stop the pilot.", per_decision=value.per_decision)
    elif value.per_decision <= 0:
        checks.add("warning", PILOT_NEGATIVE_VALUE, f"The pilot's decisions were worth {per}: acting on them does not "
                   "pay at these outcome values; adjust the threshold or the action.", per_decision=value.per_decision)
    if value.below_estimate and value.per_decision > 0:
        checks.add("warning", PILOT_VALUE_BELOW_ESTIMATE, f"Realised value {per} is below the ROI estimate of "
                   f"{currency} {value.estimated_per_decision:,.2f} per decision.",
                   per_decision=value.per_decision, estimated=value.estimated_per_decision)
    return value


# ------------------------------------------------------------------------------- calibration

def _calibration(checks: _Checks, outcome: np.ndarray, score: np.ndarray, probabilities: bool) -> Calibration | None:
    if not probabilities:
        checks.add("info", PILOT_SCORES_NOT_PROBABILITIES, f"Scores run from {score.min():.3g} to {score.max():.3g}, "
                   "outside 0-1, so calibration was not measured.")
        return None
    checks.ran["calibration"] = True
    found = assess_calibration(outcome, score)
    if found.poor:
        worst = found.table.loc[found.table["gap"].abs().idxmax()]
        large = (f"{found.observed_to_expected:.2f} times as many positives happened as the scores expect "
                 f"(95% interval {found.ratio_low:.2f} to {found.ratio_high:.2f})")
        band = (f"in score band {int(worst['band'])} the mean score is {worst['mean_score']:.1%} but "
                f"{worst['observed_rate']:.1%} happened")
        checks.add("warning", PILOT_POOR_CALIBRATION, f"The scores are off as probabilities: {large}; expected "
                   f"calibration error {found.expected_calibration_error:.3f}; {band}. Recalibrate the scores "
                   "before reading them as chances.", ece=found.expected_calibration_error,
                   observed_to_expected=found.observed_to_expected, brier=found.brier)
    return found


# ------------------------------------------------------------------------------------- drift

def _drift(checks: _Checks, log: PilotLog, baseline: Baseline | None) -> tuple[pd.DataFrame, dict]:
    if baseline is None or not baseline.features:
        why = "no assessed extract was given (-p baseline_path EXTRACT)" if baseline is None else (
            f"no feature is in both {baseline.name} and the log")
        checks.add("info", PILOT_NO_BASELINE, f"Input drift was not measured: {why}.")
        return drift_table(pd.DataFrame(), pd.DataFrame(), [])[0], {}
    checks.ran["drift"] = True
    scored = log.frame.loc[log.scored]
    table, bins = drift_table(baseline.frame, scored, baseline.features)
    for row in table.itertuples(index=False):
        if row.band not in ("moderate", "significant"):
            continue
        moved = safe_text(row.moved_most)
        if row.band == "significant":
            checks.add("warning", PILOT_DRIFT_SIGNIFICANT, f"{row.feature} moved significantly between {baseline.name} "
                       f"and the pilot (PSI {row.psi:.2f}; {moved}): the model sees inputs unlike those it learned "
                       "from; retrain on recent data or adjust.", column=row.feature, psi=row.psi)
        else:
            checks.add("info", PILOT_DRIFT_MODERATE, f"{row.feature} moved moderately (PSI {row.psi:.2f}; {moved}); "
                       "watch it.", column=row.feature, psi=row.psi)
    return table, bins


# ---------------------------------------------------------------------------------- fairness

def _fairness(checks: _Checks, log: PilotLog, groups: list[str] | tuple[str, ...], min_group_size: int) -> pd.DataFrame:
    if not groups:
        checks.add("info", PILOT_NO_GROUPS, "No group column was given or found, so fairness during the pilot was not "
                   "measured; give -p group_columns '[\"gender\", \"age_band\"]'.")
        return pd.DataFrame(columns=FAIRNESS_COLUMNS)
    checks.ran["fairness"] = True
    labelled = log.labelled
    table = fairness_table(log.outcome[labelled], log.decision[labelled],
                           {g: log.frame.loc[labelled, g] for g in groups}, min_group_size=min_group_size)
    for attribute, rows in table[table["gap"]].groupby("attribute", sort=False):
        shown = "; ".join(f"{safe_text(r.group)}: selection rate ratio {r.disparate_impact:.2f}, TPR ratio "
                          f"{r.tpr_ratio:.2f}" for r in rows.itertuples(index=False))
        reference = safe_text(table.loc[(table["attribute"] == attribute) & table["reference"], "group"].iloc[0])
        checks.add("warning", PILOT_FAIRNESS_GAP, f"During the pilot, against the largest {attribute} group "
                   f"({reference}), {shown}: outside 0.8-1.25; check why before scaling.", column=str(attribute),
                   groups=len(rows))
    return table


# ----------------------------------------------------------------------------------- metrics

def _metrics(report: PilotReport, log: PilotLog, *, use_case: str, title: str, bootstrap: int, seed: int) -> dict:
    period = log.period
    realised = {row["metric"]: {k: row[k] for k in ("metric", "figure", "realised", "low", "high", "estimate",
                                                   "estimate_low", "estimate_high", "position")}
                for row in report.realised.to_dict("records")}
    head = next(iter(realised.values()), None)
    drift = dict(zip(report.drift["feature"], report.drift["psi"], strict=True))
    finite = [v for v in drift.values() if v is not None and np.isfinite(v)]
    value = report.value
    metrics = {
        "use_case": use_case, "title": title, "decisions": log.rows, "judged": int(log.scored.sum()),
        "labelled": int(log.labelled.sum()), "positives": int(np.nansum(log.outcome[log.labelled])),
        "period": None if period is None else {"start": period[0], "end": period[1]},
        "columns": log.columns, "positive_label": log.positive_label,
        "headline": headline(report.result.shown_verdict, report.reasons, report.lights),
        "headline_metric": head, "realised": realised,
        "estimate": None if report.estimate is None else {
            "source": report.estimate.source, "verdict": report.estimate.verdict, "metric": report.estimate.metric,
            "model": report.estimate.model, "mean": report.estimate.mean, "low": report.estimate.low,
            "high": report.estimate.high, "threshold": report.estimate.threshold},
        "value": None if value is None else {
            "per_decision": value.per_decision, "per_decision_low": value.low, "per_decision_high": value.high,
            "estimated_per_decision": value.estimated_per_decision, "per_year": value.per_year,
            "estimated_per_year": value.estimated_per_year, "decisions_per_year": value.values.decisions_per_year,
            "adoption": value.values.adoption, "counts": value.counts, "currency": report.currency},
        "roi": None if report.roi is None else {
            "source": report.roi.source, "verdict": report.roi.verdict, "npv": report.roi.npv,
            "risk_adjusted_npv": report.roi.risk_adjusted_npv, "prob_npv_positive": report.roi.prob_npv_positive},
        "calibration": None if report.calibration is None else {
            "brier": report.calibration.brier, "brier_reference": report.calibration.brier_reference,
            "expected_calibration_error": report.calibration.expected_calibration_error,
            "observed_to_expected": report.calibration.observed_to_expected,
            "observed_to_expected_interval": [report.calibration.ratio_low, report.calibration.ratio_high],
            "table": report.calibration.table.to_dict("records")},
        "drift": drift, "drift_bands": dict(zip(report.drift["feature"], report.drift["band"], strict=True)),
        "max_psi": max(finite) if finite else None,
        "fairness_gaps": report.fairness.loc[report.fairness["gap"].astype(bool),
                                             ["attribute", "group", "disparate_impact", "tpr_ratio"]].assign(
            group=lambda f: f["group"].map(safe_text)).to_dict("records"),
        "checks": report.lights, "reasons": report.reasons, "bootstrap": bootstrap, "seed": seed,
    }
    return to_jsonable(metrics)
