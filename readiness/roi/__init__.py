"""ROI stage: what each AI use case is worth, with its uncertainty, in money the owner understands.

:func:`assess_roi` is the one call the notebook makes. It validates the use cases' cost and
benefit inputs (:mod:`readiness.roi.inputs`), reads the feasibility results
(:mod:`readiness.roi.evidence`), builds yearly cash flows at the likely values (NPV with year 0
not discounted, IRR, payback in months, ROI %, risk-adjusted NPV), runs a seeded Monte Carlo over
every range (:mod:`readiness.roi.simulation`) and ranks the use cases.

A model-based use case whose feasibility result is missing or failed is a :class:`ConfigError`
naming the use case and the field: its value would otherwise be invented. One the feasibility
stage judged ``not_yet`` before fitting a model is assessed with no benefit (NPV = minus its
costs, verdict ``hold``) and a ``ROI_NOT_FEASIBLE`` warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from readiness.results import StageResult
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
from readiness.roi.evidence import P_SUCCESS_BY_VERDICT, P_SUCCESS_WITHOUT_EVIDENCE, Evidence, gather_evidence
from readiness.roi.finance import irr, npv, payback_months, risk_adjusted_npv, roi_pct
from readiness.roi.inputs import BENEFIT_SHAPES, Uncertain, UseCaseInputs, check_settings, parse_use_cases
from readiness.roi.report import RoiReport, use_case_findings
from readiness.roi.simulation import customer_lifetime_value, tornado
from readiness.roi.value import ConfusionCounts, break_even_threshold, expected_value_per_decision

__all__ = [
    "BENEFIT_SHAPES", "CODES", "P_SUCCESS_BY_VERDICT", "P_SUCCESS_WITHOUT_EVIDENCE", "RESULT_FILE", "VERDICT_ORDER",
    "ConfusionCounts", "Evidence", "RoiReport", "Uncertain", "UseCaseInputs", "UseCaseROI", "assess_roi",
    "assess_use_case", "break_even_threshold", "check_settings", "customer_lifetime_value",
    "expected_value_per_decision", "gather_evidence", "irr", "npv", "parse_use_cases", "payback_months",
    "risk_adjusted_npv", "roi_pct", "save_report", "tornado", "use_case_findings", "use_case_verdict",
    "ROI_COUNTS_FROM_INPUTS", "ROI_LIKELY_LOSS", "ROI_MAIN_DRIVER", "ROI_NEGATIVE_DECISION_VALUE", "ROI_NO_PAYBACK",
    "ROI_NOT_FEASIBLE", "ROI_P_SUCCESS_ASSUMED", "ROI_P_SUCCESS_FROM_VERDICT", "ROI_RISK_ADJUSTED_LOSS",
    "ROI_WIDE_UNCERTAINTY",
]

RESULT_FILE = "roi.json"  # one result per engagement: the run's roi.{ipynb,html,json}


def assess_roi(
    use_cases: Any,
    *,
    feasibility_dir: str | Path | None = None,
    horizon_years: int = 3,
    discount_rate: float = 0.08,
    currency: str = "EUR",
    draws: int = 10_000,
    seed: int = 42,
) -> RoiReport:
    """Assess the return of every use case of an engagement.

    Parameters
    ----------
    use_cases : list of dict
        One dict per use case: ``id``, ``title``, ``benefit`` and/or ``value``, ``costs``,
        optionally ``p_success`` and ``feasibility`` (see :mod:`readiness.roi.inputs`).
    feasibility_dir : path, optional
        Folder holding the feasibility stage's ``<use_case>.json``; None or "" when there is none.
    horizon_years : int
        Years of benefits and running costs counted (1-30).
    discount_rate : float
        Yearly rate in [0, 1) used for NPV (year 0 is not discounted) and customer lifetime value.
    currency : str
        Shown with every amount.
    draws : int
        Monte Carlo draws per use case.
    seed : int
        Drives every draw; use case ``k`` draws from the ``k``-th child of ``SeedSequence(seed)``.

    Returns
    -------
    RoiReport
        ``result`` is a StageResult(stage="roi", subject="portfolio") whose ``metrics["use_cases"]``
        holds, per use case id, ``npv``, ``irr``, ``payback_months``, ``roi_pct``,
        ``risk_adjusted_npv``, ``npv_p10``, ``npv_p50``, ``npv_p90``, ``prob_npv_positive`` and
        ``cash_flows``.

    Raises
    ------
    ConfigError
        A parameter or input is invalid, naming the use case and the field.

    Examples
    --------
    >>> case = {"id": "triage", "benefit": {"shape": "time_saved", "hours_saved_per_year": 100,
    ...         "hourly_rate": 30, "ramp_months": 0}, "costs": {"build": 2000}, "p_success": 0.9}
    >>> report = assess_roi([case], horizon_years=1, discount_rate=0.0, draws=100)
    >>> report.result.metrics["use_cases"]["triage"]["cash_flows"]
    [-2000.0, 3000.0]
    """
    check_settings(horizon_years=horizon_years, discount_rate=discount_rate, draws=draws, seed=seed)
    cases = parse_use_cases(use_cases)
    streams = np.random.SeedSequence(seed).spawn(len(cases))
    rois = [assess_use_case(case, feasibility_dir=str(feasibility_dir) if feasibility_dir else None,
                            horizon_years=horizon_years, discount_rate=float(discount_rate), draws=draws,
                            rng=np.random.default_rng(stream)) for case, stream in zip(cases, streams, strict=True)]
    findings = [f for r in rois for f in use_case_findings(r, horizon_years=horizon_years, currency=currency)]
    verdict = min((r.verdict for r in rois), key=VERDICT_ORDER.index)
    score = max(r.evidence.p_success * r.prob_npv_positive for r in rois) * 100
    result = StageResult(stage="roi", subject="portfolio", verdict=verdict, score=round(score, 1),
                         metrics=_metrics(rois, horizon_years=horizon_years, discount_rate=float(discount_rate),
                                          currency=currency, draws=draws, seed=seed),
                         findings=findings)
    return RoiReport(result=result, use_cases=rois, horizon_years=horizon_years, discount_rate=float(discount_rate),
                     currency=currency, draws=draws, seed=seed)


def _metrics(rois: list[UseCaseROI], **settings: Any) -> dict[str, Any]:
    ranked = sorted(rois, key=lambda r: -r.risk_adjusted_npv)
    return {
        "use_cases": {r.case.id: r.metrics() for r in rois},
        "verdicts": {r.case.id: r.verdict for r in rois},
        "titles": {r.case.id: r.case.title for r in rois},
        "p_success": {r.case.id: {"value": r.evidence.p_success, "source": r.evidence.p_success_source,
                                  "feasibility_verdict": r.evidence.verdict} for r in rois},
        "ranking": [r.case.id for r in ranked],
        "sentences": {r.case.id: r.sentence(settings["horizon_years"]) for r in rois},
        "p_success_by_verdict": dict(P_SUCCESS_BY_VERDICT),
        **settings,
    }


def save_report(report: RoiReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``roi.json`` (the stage result) into ``results_dir``.

    Returns
    -------
    dict
        ``{"result": path}``.
    """
    return {"result": report.result.save(Path(results_dir) / RESULT_FILE)}
