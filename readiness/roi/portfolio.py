"""Value a portfolio of use cases: parse, read the evidence, assess each, then verdict, score and metrics.

Portfolio verdict: the best verdict of the valued use cases; ``incomplete`` (score None) when no
use case can be valued. Score (0-100): 100 x the highest P(success) x P(NPV > 0) over the valued
use cases. A use case that cannot be valued (:class:`~readiness.roi.not_valued.NotValued`) is
listed with what to add, gets a ``ROI_NOT_VALUED`` warning and is left out of every money figure;
the others are valued exactly as they would be without it (the ``k``-th valued use case draws
from the ``k``-th child of ``SeedSequence(seed)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from readiness.results import StageResult, consistent_verdict
from readiness.roi.assess import VERDICT_ORDER, UseCaseROI, assess_use_case
from readiness.roi.evidence import P_SUCCESS_BY_VERDICT, Evidence, check_feasibility_dir, gather_evidence
from readiness.roi.inputs import UseCaseInputs, check_settings, parse_use_cases
from readiness.roi.not_valued import NotValued
from readiness.roi.report import RoiReport, use_case_findings

__all__ = ["INCOMPLETE", "assess_roi"]
INCOMPLETE = "incomplete"  # the portfolio verdict when no use case can be valued
NOT_VALUED = "not_valued"  # a use case's entry in metrics["verdicts"] when it cannot be valued


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
        Drives every draw; the ``k``-th valued use case draws from the ``k``-th child of
        ``SeedSequence(seed)``.

    Returns
    -------
    RoiReport
        ``result`` is a StageResult(stage="roi", subject="portfolio") whose ``metrics["use_cases"]``
        holds, per valued use case id, ``npv``, ``irr``, ``payback_months``, ``roi_pct``,
        ``risk_adjusted_npv``, ``npv_p10``, ``npv_p50``, ``npv_p90``, ``prob_npv_positive`` and
        ``cash_flows`` at full precision; ``metrics["not_valued"]`` holds, per use case that
        cannot be valued, its ``title``, ``reason`` and ``to_add``.

    Raises
    ------
    ConfigError
        A parameter or a given input is invalid, naming the use case and the field.

    Examples
    --------
    >>> case = {"id": "triage", "benefit": {"shape": "time_saved", "hours_saved_per_year": 100,
    ...         "hourly_rate": 30, "ramp_months": 0}, "costs": {"build": 2000}, "p_success": 0.9}
    >>> report = assess_roi([case, {"id": "churn"}], horizon_years=1, discount_rate=0.0, draws=100)
    >>> report.result.metrics["use_cases"]["triage"]["cash_flows"], report.result.metrics["verdicts"]["churn"]
    ([-2000.0, 3000.0], 'not_valued')
    """
    check_settings(horizon_years=horizon_years, discount_rate=discount_rate, draws=draws, seed=seed)
    check_feasibility_dir(feasibility_dir)
    folder = str(feasibility_dir) if feasibility_dir else None
    items = [case if isinstance(case, NotValued) else _with_evidence(case, folder)
             for case in parse_use_cases(use_cases)]
    valued = [item for item in items if not isinstance(item, NotValued)]
    settings = {"horizon_years": horizon_years, "discount_rate": float(discount_rate)}
    streams = np.random.SeedSequence(seed).spawn(len(valued))
    rois = [assess_use_case(case, evidence, draws=draws, rng=np.random.default_rng(stream), **settings)
            for (case, evidence), stream in zip(valued, streams, strict=True)]
    not_valued = [item for item in items if isinstance(item, NotValued)]
    order = [item.id if isinstance(item, NotValued) else item[0].id for item in items]
    by_id, missing = {r.case.id: r for r in rois}, {nv.id: nv for nv in not_valued}
    findings = [f for case_id in order for f in ([missing[case_id].finding()] if case_id in missing else
                                                  use_case_findings(by_id[case_id], horizon_years=horizon_years,
                                                                    currency=currency))]
    verdict, score = _verdict_and_score(rois)
    verdict = consistent_verdict(verdict, findings)  # never invest beside an error (decisions that lose money)
    metrics = _metrics(rois, not_valued, order, **settings, currency=currency, draws=draws, seed=seed)
    result = StageResult(stage="roi", subject="portfolio", verdict=verdict, score=score, metrics=metrics,
                         findings=findings)
    return RoiReport(result=result, use_cases=rois, not_valued=not_valued, order=order, currency=currency,
                     draws=draws, seed=seed, **settings)


def _with_evidence(case: UseCaseInputs, folder: str | None) -> tuple[UseCaseInputs, Evidence] | NotValued:
    evidence = gather_evidence(case, folder)
    return evidence if isinstance(evidence, NotValued) else (case, evidence)


def _verdict_and_score(rois: list[UseCaseROI]) -> tuple[str, float | None]:
    """The best verdict and the best chance of working and paying back; ``incomplete`` and None without any."""
    if not rois:
        return INCOMPLETE, None
    verdict = min((r.verdict for r in rois), key=VERDICT_ORDER.index)
    return verdict, round(max(r.evidence.p_success * r.prob_npv_positive for r in rois) * 100, 1)


def _metrics(rois: list[UseCaseROI], not_valued: list[NotValued], order: list[str], **settings: Any) -> dict[str, Any]:
    ranked = sorted(rois, key=lambda r: -r.risk_adjusted_npv)
    missing = {nv.id: nv for nv in not_valued}
    by_id = {r.case.id: r for r in rois}
    return {
        "use_cases": {r.case.id: r.metrics() for r in rois},
        "verdicts": {i: by_id[i].verdict if i in by_id else NOT_VALUED for i in order},
        "titles": {i: by_id[i].case.title if i in by_id else missing[i].title for i in order},
        "p_success": {r.case.id: {"value": r.evidence.p_success, "source": r.evidence.p_success_source,
                                  "feasibility_verdict": r.evidence.verdict} for r in rois},
        "ranking": [r.case.id for r in ranked],
        "sentences": {i: by_id[i].sentence(settings["horizon_years"]) if i in by_id else missing[i].sentence()
                      for i in order},
        "not_valued": {nv.id: nv.as_dict() for nv in not_valued},
        "p_success_by_verdict": dict(P_SUCCESS_BY_VERDICT),
        **settings,
    }
