"""The pilot review's report: the result that ``<use_case>.json`` holds and the tables the notebook shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.display import verdict_word
from readiness.params import Assumption
from readiness.pilot.calibration import Calibration
from readiness.pilot.estimates import FeasibilityEstimate, RoiEstimate
from readiness.pilot.value import RealisedValue
from readiness.results import StageResult

__all__ = ["PilotReport", "save_report"]

REALISED_SHOWN = {"figure": "figure", "realised": "realised", "low": "95% low", "high": "95% high",
                  "estimate": "feasibility estimate", "estimate_low": "estimate low", "estimate_high": "estimate high",
                  "position": "against the estimate"}


@dataclass
class PilotReport:
    """Everything the pilot review notebook shows; ``result`` is what ``<use_case>.json`` holds.

    Attributes
    ----------
    result : StageResult
        ``stage="pilot"``, ``subject`` the use case, ``verdict`` scale / adjust / stop / incomplete.
    realised : DataFrame
        One row per realised figure with its interval, the estimate and where it stands.
    value : RealisedValue or None
        None without outcome values.
    calibration : Calibration or None
        None when the scores are not probabilities or no outcome is known.
    drift : DataFrame
        One row per feature compared with the baseline, most drifted first.
    drift_bins : dict
        Feature -> its bins' shares in the baseline and the pilot.
    fairness : DataFrame
        One row per group of each attribute.
    estimate, roi : FeasibilityEstimate or None, RoiEstimate or None
        What the assessment promised.
    lights : dict
        Check -> green / amber / red, None when the check did not run.
    reasons : list of str
        Why the verdict is what it is.
    assumed : list of Assumption
        Choices made for the analyst.
    """

    result: StageResult
    realised: pd.DataFrame
    value: RealisedValue | None
    calibration: Calibration | None
    drift: pd.DataFrame
    drift_bins: dict[str, pd.DataFrame]
    fairness: pd.DataFrame
    estimate: FeasibilityEstimate | None
    roi: RoiEstimate | None
    lights: dict[str, str | None]
    reasons: list[str]
    currency: str = "EUR"
    assumed: list[Assumption] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The use case in words."""
        return str(self.result.metrics.get("title") or self.result.subject)

    @property
    def headline(self) -> str:
        """The verdict and its first reason in one sentence."""
        return str(self.result.metrics.get("headline", ""))

    @property
    def cards(self) -> dict[str, Any]:
        """Headline figures: decisions, outcomes known, the headline metric, value, largest PSI."""
        m = self.result.metrics
        cards: dict[str, Any] = {"Decisions logged": m.get("decisions", 0), "Outcomes known": m.get("labelled", 0)}
        if m.get("period"):
            cards["Period"] = f"{str(m['period']['start'])[:10]} to {str(m['period']['end'])[:10]}"
        head = m.get("headline_metric")
        if head and head.get("realised") is not None:
            cards[f"Realised {head['figure']}"] = f"{head['realised']:.3f}"
        if head and head.get("estimate") is not None:
            cards["Feasibility estimate"] = f"{head['estimate']:.3f}"
        if self.value is not None:
            cards["Value per decision"] = f"{self.currency} {self.value.per_decision:,.2f}"
        if m.get("max_psi") is not None:
            cards["Largest PSI"] = f"{m['max_psi']:.2f}"
        return cards

    def reasons_frame(self) -> pd.DataFrame:
        """The verdict's reasons, one per line."""
        return pd.DataFrame({"why " + verdict_word(self.result.shown_verdict).lower(): self.reasons})

    def realised_table(self) -> pd.DataFrame:
        """The realised figures for display: headline first, interval, estimate and position."""
        return self.realised[list(REALISED_SHOWN)].rename(columns=REALISED_SHOWN)

    def value_table(self) -> pd.DataFrame:
        """Realised against estimated value, per decision and a year."""
        return pd.DataFrame() if self.value is None else self.value.frame(self.currency)

    def counts_table(self) -> pd.DataFrame:
        """The pilot's decisions by outcome, with each outcome's value."""
        if self.value is None:
            return pd.DataFrame()
        names = {"tp": "true_positive", "fp": "false_positive", "fn": "false_negative", "tn": "true_negative"}
        return pd.DataFrame([{"outcome": name.replace("_", " "), "decisions": int(self.value.counts[key]),
                              f"value each ({self.currency})": self.value.values.of(name)}
                             for key, name in names.items()])

    def roi_table(self) -> pd.DataFrame:
        """The ROI stage's figures for this use case, when its result was given."""
        if self.roi is None:
            return pd.DataFrame()
        r = self.roi
        rows = [("ROI verdict", r.verdict or "not valued"), ("NPV", r.npv), ("risk-adjusted NPV", r.risk_adjusted_npv),
                ("P(NPV > 0)", r.prob_npv_positive)]
        if r.not_valued_reason:
            rows.append(("why not valued", r.not_valued_reason))
        return pd.DataFrame([{"figure": k, "value": _shown(v, r.currency or self.currency, k)} for k, v in rows])

    def drift_table(self) -> pd.DataFrame:
        """PSI per feature, most drifted first."""
        return self.drift.rename(columns={"psi": "PSI", "baseline_rows": "baseline rows", "pilot_rows": "pilot rows",
                                          "moved_most": "bin that moved most"})

    def drifted_features(self) -> list[str]:
        """Features whose PSI is moderate or significant, most drifted first."""
        return [f for f, band in zip(self.drift["feature"], self.drift["band"], strict=True)
                if band in ("moderate", "significant")]

    def fairness_table(self) -> pd.DataFrame:
        """Rates by group and their ratios to the reference group."""
        return self.fairness.rename(columns={"selection_rate": "selection rate", "tpr": "TPR", "fpr": "FPR",
                                             "disparate_impact": "disparate impact", "tpr_ratio": "TPR ratio"})


def _shown(value: Any, currency: str, label: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0%}" if label.startswith("P(") else f"{currency} {value:,.0f}"
    return str(value)


def save_report(report: PilotReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``<use_case>.json`` (the stage result) into ``results_dir``.

    Returns
    -------
    dict
        ``{"result": path}``.
    """
    return {"result": report.result.save(Path(results_dir) / f"{report.result.subject}.json")}
