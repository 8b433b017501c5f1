"""The feasibility score (0-100) and verdict (go, pilot, not_yet), with the reasons as finding codes.

Score = 60 x skill + 15 x significance + 15 x sufficiency + 10 x hygiene, where

- **skill** (0-1) is how far the best model gets from the baseline towards a strong result:
  ROC-AUC from 0.5 to 0.9; macro-F1 from the baseline's to 0.9; for regression and forecasts the
  cut in mean absolute error against the baseline, full marks at 40 % (30 % against seasonal naive);
- **significance** is 1 when the lift's 95 % interval lies above zero and the permutation p-value
  is below 0.05, else 0;
- **sufficiency** is labelled rows over the minimum sample size (events per parameter, Riley et
  al.), or a year of history for a forecast, capped at 1;
- **hygiene** is the labelled share of rows, less a quarter for each leakage or duplicate finding.

Verdict: ``not_yet`` on a blocking finding, a suspected leak (a score too good to be real, see
:mod:`readiness.feasibility.suspects`), without a significant lift, or below 40; ``go`` with skill
of at least 0.5 (ROC-AUC 0.70), enough rows, a score of at least 70 and no error finding beside
it; ``pilot`` otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from readiness.feasibility import codes
from readiness.results import Finding, consistent_verdict

SKILL_FULL = {"binary": 0.9, "multiclass": 0.9, "text": 0.9, "regression": 0.4, "forecast": 0.3}
GO_SKILL = 0.5
GO_SCORE = 70.0
NOT_YET_SCORE = 40.0
ALPHA = 0.05
HYGIENE_CODES = frozenset({codes.FEAS_LABEL_LEAKAGE, codes.FEAS_POST_OUTCOME_FEATURE,
                           codes.FEAS_IDENTIFIER_ASSOCIATION, codes.FEAS_DUPLICATE_ROWS, codes.FEAS_LEAKAGE_SUSPECT})
SHORT_CODES = frozenset({codes.FEAS_TOO_FEW_EVENTS, codes.FEAS_SAMPLE_SIZE_SHORT})


@dataclass(frozen=True)
class ScoreParts:
    """The four parts of the feasibility score, each 0-1."""

    skill: float
    significance: float
    sufficiency: float
    hygiene: float

    @property
    def score(self) -> float:
        """0-100."""
        return round(60 * self.skill + 15 * self.significance + 15 * self.sufficiency + 10 * self.hygiene, 1)

    def as_dict(self) -> dict[str, float]:
        """JSON-able parts plus the total."""
        return {**asdict(self), "score": self.score}


def skill(task: str, *, value: float, baseline: float, relative: float | None) -> float:
    """Skill of the best model, 0-1 (see the module docstring).

    Examples
    --------
    >>> skill("binary", value=0.7, baseline=0.5, relative=None)
    0.5
    """
    if task in ("binary", "multiclass"):
        raw = (value - 0.5) / (SKILL_FULL[task] - 0.5)
    elif task == "text":
        raw = (value - baseline) / max(SKILL_FULL[task] - baseline, 1e-9)
    else:
        raw = (relative or 0.0) / SKILL_FULL[task]
    return round(float(min(1.0, max(0.0, raw))), 6)  # so ROC-AUC 0.70 is exactly skill 0.5


def is_significant(lift: dict, p_value: float | None) -> bool:
    """The lift interval lies above zero and the permutation p-value is below 0.05."""
    low = (lift.get("ci") or [None])[0]
    return low is not None and low > 0 and p_value is not None and p_value < ALPHA


def hygiene(findings: list[Finding], labelled_share: float) -> float:
    """Labelled share less a quarter per leakage or duplicate finding, 0-1."""
    hits = sum(f.code in HYGIENE_CODES for f in findings)
    return max(0.0, labelled_share * (1 - 0.25 * hits))


def evidence_findings(task: str, *, lift: dict, p_value: float | None, skill_value: float,
                      primary: str) -> list[Finding]:
    """FEAS_NO_LIFT, FEAS_WEAK_LIFT or FEAS_LIFT."""
    name = primary.removeprefix("neg_").replace("_", " ")
    shown = f"{name} {abs(lift['value']):.3f} against {abs(lift['baseline']):.3f} for the baseline"
    ci = lift.get("ci") or [None, None]
    evidence = {"metric": primary, "model": lift["model"], "value": lift["value"], "baseline": lift["baseline"],
                "lift": lift["mean"], "ci": ci, "p_value": p_value}
    if not is_significant(lift, p_value):
        p = "n/a" if p_value is None else f"{p_value:.3f}"
        found = [Finding("error", codes.FEAS_NO_LIFT, f"No model beats the baseline reliably ({shown}; p = {p}): "
                         "the data, as it is, does not support this use case.", None, evidence)]
    elif skill_value < GO_SKILL:
        found = [Finding("warning", codes.FEAS_WEAK_LIFT, f"The {lift['model']} model beats the baseline "
                         f"significantly but modestly ({shown}).", None, evidence)]
    else:
        found = [Finding("info", codes.FEAS_LIFT, f"The {lift['model']} model clearly beats the baseline ({shown}).",
                         None, evidence)]
    return found


def verdict(findings: list[Finding], parts: ScoreParts | None) -> str:
    """``go``, ``pilot`` or ``not_yet`` from the findings and the score parts (None when blocked)."""
    found = {f.code for f in findings}
    if (parts is None or found & codes.BLOCKING or codes.FEAS_NO_LIFT in found or codes.FEAS_LEAKAGE_SUSPECT in found
            or parts.score < NOT_YET_SCORE):
        return "not_yet"
    if parts.skill >= GO_SKILL and parts.score >= GO_SCORE and not found & SHORT_CODES:
        return consistent_verdict("go", findings)  # never go beside an error (a leak found and excluded)
    return "pilot"


REASONS = {
    codes.FEAS_NO_LABELS: "the outcome is not recorded",
    codes.FEAS_SINGLE_CLASS: "every recorded outcome is the same",
    codes.FEAS_TOO_FEW_ROWS: "there are too few labelled rows",
    codes.FEAS_TARGET_NOT_NUMERIC: "the target is not a number",
    codes.FEAS_NO_USABLE_FEATURES: "no usable feature describes the cases",
    codes.FEAS_TIME_UNPARSEABLE: "the time column does not hold dates",
    codes.FEAS_GROUP_COLUMN_DAMAGED: "the group column's ids were damaged by a spreadsheet",
    codes.FEAS_NO_LIFT: "no model beats the simple baseline reliably",
    codes.FEAS_WEAK_LIFT: "the models beat the baseline, but modestly",
    codes.FEAS_LIFT: "the best model clearly beats the baseline",
    codes.FEAS_LABEL_LEAKAGE: "a leaking feature was found and excluded",
    codes.FEAS_POST_OUTCOME_FEATURE: "a column recorded after the outcome was excluded",
    codes.FEAS_LEAKAGE_SUSPECT: "the score is too good to be real: a feature probably carries the outcome",
    codes.FEAS_TOO_FEW_EVENTS: "there are few outcomes per model parameter",
    codes.FEAS_SAMPLE_SIZE_SHORT: "the sample is below the recommended minimum size",
    codes.FEAS_MORE_DATA_HELPS: "more data should still help",
}
VERDICT_OPENING = {"go": "Go: the data supports this use case",
                   "pilot": "Pilot: worth a small, measured trial",
                   "not_yet": "Not yet: the data does not support this use case today"}


def headline(verdict_value: str, findings: list[Finding]) -> str:
    """The verdict and its reasons in one plain sentence."""
    seen = []
    for f in sorted(findings, key=lambda f: ("error", "warning", "info").index(f.severity)):
        reason = REASONS.get(f.code)
        if reason and reason not in seen:
            seen.append(reason)
    reasons = "; ".join(seen[:4])
    return f"{VERDICT_OPENING[verdict_value]}{': ' + reasons if reasons else ''}."
