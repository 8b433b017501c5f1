"""Pilot review stage: did the model deliver on live decisions what the assessment promised?

:func:`assess_from_params` is the one call the notebook makes. It reads the pilot's decision log
(:mod:`~readiness.pilot.log`), the feasibility and ROI results (:mod:`~readiness.pilot.estimates`)
and the assessed extract, then measures the realised metrics with bootstrap intervals
(:mod:`~readiness.pilot.realised`), the value of the decisions (:mod:`~readiness.pilot.value`),
calibration (:mod:`~readiness.pilot.calibration`), input drift as the population stability index
(:mod:`~readiness.pilot.drift`) and fairness by group (:mod:`~readiness.pilot.fairness`), and
concludes ``scale``, ``adjust`` or ``stop`` (:mod:`~readiness.pilot.verdict`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.faces import lazy_face

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.pilot.assess import MIN_OUTCOMES, Baseline, assess_pilot
    from readiness.pilot.calibration import (
        POOR_ECE,
        Calibration,
        assess_calibration,
        expected_calibration_error,
        reliability_table,
    )
    from readiness.pilot.drift import (
        EPSILON,
        MODERATE,
        PSI_BINS,
        SIGNIFICANT,
        drift_band,
        drift_table,
        population_stability_index,
        psi_bins,
    )
    from readiness.pilot.entry import assess_from_params
    from readiness.pilot.estimates import FeasibilityEstimate, RoiEstimate, read_feasibility, read_roi
    from readiness.pilot.fairness import BAND, fairness_table, group_fairness, group_labels
    from readiness.pilot.log import PilotLog, as_yes_no, read_pilot_log
    from readiness.pilot.params import PilotParams
    from readiness.pilot.realised import METRIC_LABELS, Resamples, ScoredDecisions, position_in_interval
    from readiness.pilot.report import PilotReport, save_report
    from readiness.pilot.value import OutcomeValues, RealisedValue, parse_values, realised_value, value_per_decision
    from readiness.pilot.verdict import CHECKS, INCOMPLETE, VERDICTS, check_lights, pilot_verdict, verdict_score

__all__ = [
    "BAND", "CHECKS", "EPSILON", "INCOMPLETE", "METRIC_LABELS", "MIN_OUTCOMES", "MODERATE", "POOR_ECE", "PSI_BINS",
    "SIGNIFICANT", "VERDICTS", "Baseline", "Calibration", "FeasibilityEstimate", "OutcomeValues", "PilotLog",
    "PilotParams", "PilotReport", "RealisedValue", "Resamples", "RoiEstimate", "ScoredDecisions", "as_yes_no",
    "assess_calibration", "assess_from_params", "assess_pilot", "check_lights", "drift_band", "drift_table",
    "expected_calibration_error", "fairness_table", "group_fairness", "group_labels", "parse_values",
    "pilot_verdict", "population_stability_index", "position_in_interval", "psi_bins", "read_feasibility",
    "read_pilot_log", "read_roi", "realised_value", "reliability_table", "save_report", "value_per_decision",
    "verdict_score",
]

__getattr__, __dir__ = lazy_face(__name__)
