"""Reading a run's stage results: the records, the measured evidence and the use-case portfolio.

Stages meet only through their JSON files, read through the typed contracts of
:mod:`readiness.metrics`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.errors import ConfigError
from readiness.metrics import EthicsMetrics, FeasibilityMetrics, NotValuedInfo, RoiMetrics
from readiness.results import StageResult

STAGES = ("quality", "feasibility", "ethics", "roi")
FEASIBILITY_CUT = 60.0  # feasibility score (0-100) from which a valuable use case is a quick win
VALUE_CUT = 0.0  # risk-adjusted NPV above which a use case is worth doing
# Feasibility score assumed from the verdict when a feasibility result carries no score.
VERDICT_FEASIBILITY = {"go": 80.0, "pilot": 55.0, "not_yet": 25.0}
QUADRANTS = {
    "quick_win": "Quick win",
    "strategic_bet": "Strategic bet",
    "not_yet": "Not yet",
    "not_assessed": "Not assessed",
}


@dataclass
class StageRecord:
    """One stage result file as found in the report folder."""

    stage: str
    subject: str
    status: str  # "ok", "failed" or "missing"
    result: StageResult | None = None
    error: str | None = None



# ---------------------------------------------------------------- reading the stage results


def read_stage_results(reports_dir: str | Path, *, expected: Mapping[str, list[str]] | None = None
                       ) -> list[StageRecord]:
    """Every stage result in a report folder, plus a ``missing`` record for each absent one.

    Parameters
    ----------
    reports_dir : path
        The run folder holding ``quality/``, ``feasibility/``, ``ethics/`` and ``roi.json``.
    expected : mapping, optional
        Stage -> subjects the run planned (e.g. ``{"feasibility": ["no_show"]}``); a planned
        subject without a result is reported missing. Without it, a stage with no result at all
        is reported missing.

    Returns
    -------
    list of StageRecord
        In stage order, then by subject.
    """
    folder = Path(reports_dir)
    if not folder.is_dir():
        raise ConfigError(f"reports_dir: folder {folder} does not exist; pass the run folder that holds the "
                          "stage results (quality/, feasibility/, ethics/, roi.json)")
    records = []
    for stage in STAGES:
        paths = [folder / "roi.json"] if stage == "roi" else sorted((folder / stage).glob("*.json"))
        found = [_read_one(stage, p) for p in paths if p.exists() and "." not in p.stem]
        subjects = {r.subject for r in found}
        planned = list((expected or {}).get(stage, []))
        missing = [s for s in planned if s not in subjects] if expected and stage in expected else []
        if not found and not (expected and stage in expected):
            missing = ["(all)"]
        records += found + [StageRecord(stage, s, "missing") for s in missing]
    return records


def _read_one(stage: str, path: Path) -> StageRecord:
    try:
        result = StageResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return StageRecord(stage, path.stem, "failed", error=f"{path.name} cannot be read ({type(exc).__name__})")
    if result.verdict in ("failed", "error"):
        return StageRecord(stage, result.subject, "failed", result, error=f"{path.name} reports verdict "
                           f"{result.verdict!r}")
    return StageRecord(stage, result.subject, "ok", result)


def ok_results(records: list[StageRecord], stage: str) -> list[StageResult]:
    """The readable results of one stage."""
    return [r.result for r in records if r.stage == stage and r.status == "ok" and r.result is not None]


def measured_evidence(records: list[StageRecord]) -> dict[str, float]:
    """Measured values the survey's self-assessment is checked against.

    ``quality_score``: mean score of the data-quality results. ``ethics_checklist``: share of
    ethics checklist items answered yes, 0-100, over the items that apply (``n/a`` left out, open
    items counted), from each ethics result's checklist counts.
    """
    evidence: dict[str, float] = {}
    scores = [float(r.score) for r in ok_results(records, "quality") if r.score is not None]
    if scores:
        evidence["quality_score"] = sum(scores) / len(scores)
    shares = [r.metrics_as(EthicsMetrics).checklist_share_yes for r in ok_results(records, "ethics")]
    checklist = [s for s in shares if s is not None]
    if checklist:
        evidence["ethics_checklist"] = sum(checklist) / len(checklist)
    return evidence


# ---------------------------------------------------------------- the portfolio


def roi_by_use_case(metrics: Mapping[str, Any] | RoiMetrics) -> dict[str, dict[str, Any]]:
    """ROI figures per use case from ``roi.json`` metrics (:class:`readiness.metrics.RoiMetrics`).

    Each valued use case gives its money figures with its ``title``; a use case the ROI stage
    could not value is kept with no money figures (``npv`` and ``risk_adjusted_npv`` None) and
    ``not_valued`` saying why and what to add.
    """
    roi = metrics if isinstance(metrics, RoiMetrics) else RoiMetrics.model_validate(metrics)
    rows = {case: money.model_dump(exclude_unset=True) for case, money in roi.use_cases.items()}
    for case, info in roi.not_valued.items():
        rows.setdefault(case, _not_valued_row(info))
    for case, row in rows.items():
        if case in roi.titles and not row.get("title"):
            row["title"] = roi.titles[case]
    return rows


def _not_valued_row(info: NotValuedInfo) -> dict[str, Any]:
    why = "; ".join(str(part) for part in (info.reason, info.to_add) if part) or "the ROI stage could not value it"
    return {"title": info.title, "npv": None, "risk_adjusted_npv": None, "payback_months": None,
            "prob_npv_positive": None, "not_valued": why}


def ethics_risk(result: StageResult | None) -> tuple[float | None, str | None]:
    """Ethics risk 0-100 of one use case and its EU AI Act tier.

    The risk is ``100 - score`` when the ethics result has a score, otherwise 25 per error and 8
    per warning (capped at 100); a high-risk tier raises it to at least 70, a prohibited one to 100.
    """
    if result is None:
        return None, None
    tier = result.metrics_as(EthicsMetrics).tier
    counts = result.count_by_severity()
    risk = 100.0 - float(result.score) if result.score is not None else min(
        100.0, 25.0 * counts["error"] + 8.0 * counts["warning"])
    tier = None if tier is None else str(tier)
    if tier and "prohibit" in tier:
        risk = 100.0
    elif tier and "high" in tier:
        risk = max(risk, 70.0)
    return risk, tier


def build_portfolio(records: list[StageRecord], *, feasibility_cut: float = FEASIBILITY_CUT,
                    value_cut: float = VALUE_CUT) -> pd.DataFrame:
    """One row per use case: feasibility, risk-adjusted NPV, ethics risk and quadrant.

    Quadrants: ``quick_win`` (worth more than ``value_cut`` and feasibility at least
    ``feasibility_cut``), ``strategic_bet`` (worth it, harder to build), ``not_yet`` (not worth it
    yet, a feasibility verdict of ``not_yet`` with no value, or prohibited), ``not_assessed``
    (feasibility or ROI result missing, or a use case the ROI stage could not value: its
    ``roi_not_valued`` says why and what to add). Numbers are copied from the stage JSONs unchanged.
    """
    feas = {r.subject: r for r in ok_results(records, "feasibility")}
    ethics = {r.subject: r for r in ok_results(records, "ethics")}
    roi_results = ok_results(records, "roi")
    roi = roi_by_use_case(roi_results[0].metrics) if roi_results else {}
    rows = []
    for case in sorted(set(feas) | set(roi)):
        result, money = feas.get(case), roi.get(case, {})
        f = result.metrics_as(FeasibilityMetrics) if result else None
        feasibility = _feasibility_score(result)
        risk, tier = ethics_risk(ethics.get(case))
        ra_npv = money.get("risk_adjusted_npv")
        rows.append({
            "use_case": case, "title": _title(case, f, money), "kind": f.kind if f else None,
            "table": f.table if f else None, "feasibility_verdict": result.verdict if result else None,
            "feasibility": feasibility, "risk_adjusted_npv": ra_npv, "npv": money.get("npv"),
            "payback_months": money.get("payback_months"), "prob_npv_positive": money.get("prob_npv_positive"),
            "ethics_risk": risk, "ai_act_tier": tier,
            "quadrant": _quadrant(feasibility, ra_npv, result.verdict if result else None, tier, feasibility_cut,
                                  value_cut),
            "roi_not_valued": money.get("not_valued"),
        })
    columns = ["use_case", "title", "kind", "table", "feasibility_verdict", "feasibility", "risk_adjusted_npv", "npv",
               "payback_months", "prob_npv_positive", "ethics_risk", "ai_act_tier", "quadrant", "roi_not_valued"]
    return pd.DataFrame(rows, columns=columns)


def _feasibility_score(result: StageResult | None) -> float | None:
    if result is None:
        return None
    if result.score is not None:
        return float(result.score)
    return VERDICT_FEASIBILITY.get(result.verdict)


def _title(case: str, feas: FeasibilityMetrics | None, money: Mapping[str, Any]) -> str:
    title = (feas.title if feas else None) or money.get("title")
    return str(title) if title else case.replace("_", " ").capitalize()


def _quadrant(feasibility: float | None, ra_npv: Any, verdict: str | None, tier: str | None, feasibility_cut: float,
              value_cut: float) -> str:
    if tier and "prohibit" in tier:
        return "not_yet"
    if feasibility is None or not isinstance(ra_npv, (int, float)):
        return "not_assessed"
    if ra_npv <= value_cut:
        return "not_yet"
    return "quick_win" if feasibility >= feasibility_cut and verdict != "not_yet" else "strategic_bet"

