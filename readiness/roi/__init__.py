"""ROI stage: what each AI use case is worth, with its uncertainty, in money the owner understands.

:func:`assess_from_params` is the one call the notebook makes; :func:`assess_roi` values a list of
use cases directly. The stage validates the use cases' cost and benefit inputs
(:mod:`readiness.roi.inputs`), reads the feasibility results (:mod:`readiness.roi.evidence`),
builds yearly cash flows at the likely values (NPV with year 0 not discounted, IRR, payback in
months, ROI %, risk-adjusted NPV), runs a seeded Monte Carlo over every range
(:mod:`readiness.roi.simulation`) and ranks the use cases (:mod:`readiness.roi.portfolio`).

A use case that cannot be valued (no benefit or value inputs, no costs, a required input
missing; a model-based one without a usable feasibility result; any whose feasibility result
suspects a leak) is :class:`NotValued`: listed with what to add, a ``ROI_NOT_VALUED`` warning,
left out of every money figure; the others are still valued. One the feasibility stage judged
``not_yet`` before fitting a model is assessed with no benefit (NPV = minus its costs, verdict
``hold``) and a ``ROI_NOT_FEASIBLE`` warning. An input given wrongly is a :class:`ConfigError`
naming the use case and the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.faces import lazy_face

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.roi.assess import (
        CODES,
        ROI_COUNTS_FROM_INPUTS,
        ROI_LIKELY_LOSS,
        ROI_MAIN_DRIVER,
        ROI_NEGATIVE_DECISION_VALUE,
        ROI_NO_PAYBACK,
        ROI_NOT_FEASIBLE,
        ROI_P_SUCCESS_ASSUMED,
        ROI_P_SUCCESS_FROM_VERDICT,
        ROI_RISK_ADJUSTED_LOSS,
        ROI_WIDE_UNCERTAINTY,
        VERDICT_ORDER,
        UseCaseROI,
        assess_use_case,
        use_case_verdict,
    )
    from readiness.roi.entry import assess_from_params, engagement_use_cases
    from readiness.roi.evidence import P_SUCCESS_BY_VERDICT, P_SUCCESS_WITHOUT_EVIDENCE, Evidence, gather_evidence
    from readiness.roi.finance import irr, npv, payback_months, risk_adjusted_npv, roi_pct
    from readiness.roi.inputs import BENEFIT_SHAPES, Uncertain, UseCaseInputs, check_settings, parse_use_cases
    from readiness.roi.not_valued import ROI_NOT_VALUED, NotValued
    from readiness.roi.params import RoiParams
    from readiness.roi.portfolio import INCOMPLETE, assess_roi
    from readiness.roi.report import RESULT_FILE, RoiReport, save_report, use_case_findings
    from readiness.roi.simulation import customer_lifetime_value, tornado
    from readiness.roi.value import ConfusionCounts, break_even_threshold, expected_value_per_decision

__all__ = [
    "BENEFIT_SHAPES", "CODES", "INCOMPLETE", "P_SUCCESS_BY_VERDICT", "P_SUCCESS_WITHOUT_EVIDENCE", "RESULT_FILE",
    "VERDICT_ORDER", "ConfusionCounts", "Evidence", "NotValued", "RoiParams", "RoiReport", "Uncertain",
    "UseCaseInputs", "UseCaseROI", "assess_from_params", "assess_roi", "assess_use_case", "break_even_threshold",
    "check_settings", "customer_lifetime_value", "engagement_use_cases", "expected_value_per_decision",
    "gather_evidence", "irr", "npv", "parse_use_cases", "payback_months", "risk_adjusted_npv", "roi_pct",
    "save_report", "tornado", "use_case_findings", "use_case_verdict",
    "ROI_COUNTS_FROM_INPUTS", "ROI_LIKELY_LOSS", "ROI_MAIN_DRIVER", "ROI_NEGATIVE_DECISION_VALUE", "ROI_NO_PAYBACK",
    "ROI_NOT_FEASIBLE", "ROI_NOT_VALUED", "ROI_P_SUCCESS_ASSUMED", "ROI_P_SUCCESS_FROM_VERDICT",
    "ROI_RISK_ADJUSTED_LOSS", "ROI_WIDE_UNCERTAINTY",
]

__getattr__, __dir__ = lazy_face(__name__)
