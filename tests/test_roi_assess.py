"""assess_roi end to end on hand-made use cases: figures, metrics keys, P(success), verdicts, findings, JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from readiness.results import StageResult
from readiness.roi import (
    P_SUCCESS_BY_VERDICT,
    ROI_LIKELY_LOSS,
    ROI_MAIN_DRIVER,
    ROI_NEGATIVE_DECISION_VALUE,
    ROI_NO_PAYBACK,
    ROI_P_SUCCESS_ASSUMED,
    ROI_P_SUCCESS_FROM_VERDICT,
    assess_roi,
    save_report,
    use_case_verdict,
)

METRIC_KEYS = {"npv", "irr", "payback_months", "roi_pct", "risk_adjusted_npv", "npv_p10", "npv_p50", "npv_p90",
               "prob_npv_positive", "cash_flows"}
TRIAGE = {"id": "triage", "title": "Ticket triage",
          "benefit": {"shape": "time_saved", "hours_saved_per_year": 100, "hourly_rate": 30, "ramp_months": 0},
          "costs": {"build": 2000, "licences": 500}, "p_success": 0.9}
NO_SHOW = {"id": "no_show", "title": "No-show prediction",
           "value": {"true_positive": 38, "false_positive": -2, "decisions_per_year": 1000},
           "benefit": {"shape": "model_decisions", "ramp_months": 0}, "costs": {"build": 1000}}
CHURN = {"id": "churn", "title": "Churn prediction",
         "benefit": {"shape": "revenue", "customers": 2400, "churn_reduction": [0.005, 0.01, 0.02],
                     "margin_per_customer": 120, "retention_rate": 0.5},
         "costs": {"build": [12000, 18000, 28000], "licences": 3600}, "p_success": 0.5}


def _feasibility(folder, case_id: str, verdict: str, counts: dict, **metrics) -> None:
    result = StageResult("feasibility", case_id, verdict, 70.0,
                         metrics={"confusion_matrix": counts, "rows": sum(counts.values()), **metrics})
    result.save(folder / f"{case_id}.json")


def test_time_saved_figures_by_hand() -> None:
    report = assess_roi([TRIAGE], horizon_years=2, discount_rate=0.1, draws=100)
    m = report.result.metrics["use_cases"]["triage"]
    assert set(m) == METRIC_KEYS
    assert m["cash_flows"] == [-2000.0, 2500.0, 2500.0]
    assert m["npv"] == pytest.approx(-2000 + 2500 / 1.1 + 2500 / 1.21, rel=1e-12)
    # -2000 + 2500 x + 2500 x^2 = 0 with x = 1 / (1 + r): x = (-1 + sqrt(4.2)) / 2
    assert m["irr"] == pytest.approx(2 / (np.sqrt(4.2) - 1) - 1, rel=1e-9)
    assert m["payback_months"] == pytest.approx(9.6)  # 2000 / (2500 / 12)
    assert m["roi_pct"] == pytest.approx(100.0)  # benefits 6000, costs 3000
    assert m["risk_adjusted_npv"] == pytest.approx(0.9 * m["npv"] - 0.1 * 2000, rel=1e-12)
    assert m["npv_p10"] == m["npv_p50"] == m["npv_p90"] == m["npv"]  # nothing uncertain
    assert m["prob_npv_positive"] == 1.0


def test_model_decisions_read_the_feasibility_result(tmp_path) -> None:
    _feasibility(tmp_path, "no_show", "go", {"tp": 10, "fp": 20, "fn": 5, "tn": 65}, threshold=0.2,
                 confusion_matrix_at_0_5={"tp": 4, "fp": 2, "fn": 11, "tn": 83})
    report = assess_roi([NO_SHOW], feasibility_dir=str(tmp_path), horizon_years=1, discount_rate=0.0, draws=50)
    m = report.result.metrics["use_cases"]["no_show"]
    # 3.4 per decision x 1000 decisions (the JSON keeps full precision: 0.1 x 38 is not exactly 3.8 in binary)
    assert m["cash_flows"] == pytest.approx([-1000.0, 3400.0], abs=1e-9)
    assert report.result.metrics["p_success"]["no_show"] == {
        "value": P_SUCCESS_BY_VERDICT["go"], "source": "feasibility verdict", "feasibility_verdict": "go"}
    assert ROI_P_SUCCESS_FROM_VERDICT in {f.code for f in report.result.findings}
    values = report.decision_value_frame().set_index("threshold")
    assert values.loc["at the chosen threshold", "value per decision"] == pytest.approx(3.4)
    assert values.loc["at 0.5", "value per decision"] == pytest.approx((4 * 38 - 2 * 2) / 100)
    assert values.loc["break-even p*", "probability"] == pytest.approx(0.05)


def test_a_feasibility_file_wins_over_the_inline_stand_in(tmp_path) -> None:
    _feasibility(tmp_path, "no_show", "pilot", {"tp": 10, "fp": 20, "fn": 5, "tn": 65})
    inline = dict(NO_SHOW, feasibility={"verdict": "go", "confusion_matrix": {"tp": 1, "fp": 0, "fn": 0, "tn": 0}})
    report = assess_roi([inline], feasibility_dir=str(tmp_path), horizon_years=1, discount_rate=0.0, draws=10)
    assert report.result.metrics["use_cases"]["no_show"]["cash_flows"] == pytest.approx([-1000.0, 3400.0], abs=1e-9)
    assert report.result.metrics["p_success"]["no_show"]["value"] == P_SUCCESS_BY_VERDICT["pilot"]


def test_given_p_success_wins_and_no_evidence_is_flagged(tmp_path) -> None:
    _feasibility(tmp_path, "triage", "not_yet", {"tp": 1, "fp": 1, "fn": 1, "tn": 1})
    report = assess_roi([TRIAGE, dict(TRIAGE, id="other", p_success=None)], feasibility_dir=str(tmp_path), draws=10)
    p = report.result.metrics["p_success"]
    assert p["triage"]["value"] == 0.9 and p["triage"]["source"] == "input"
    assert p["other"]["source"] == "no evidence"
    assert {f.code for f in report.result.findings if f.evidence.get("use_case") == "other"} >= {ROI_P_SUCCESS_ASSUMED}


def test_a_losing_model_is_an_error_finding(tmp_path) -> None:
    _feasibility(tmp_path, "no_show", "go", {"tp": 1, "fp": 30, "fn": 9, "tn": 60})  # 38 - 60 < 0
    report = assess_roi([NO_SHOW], feasibility_dir=str(tmp_path), draws=10)
    assert ROI_NEGATIVE_DECISION_VALUE in {f.code for f in report.result.findings}


def test_a_use_case_that_does_not_pay_back_is_on_hold() -> None:
    report = assess_roi([TRIAGE, CHURN], draws=2000, seed=1)
    churn = report.use_case("churn")
    assert churn.payback_months is None and churn.verdict == "hold"
    codes = {f.code for f in report.result.findings if f.evidence.get("use_case") == "churn"}
    assert {ROI_NO_PAYBACK, ROI_LIKELY_LOSS, ROI_MAIN_DRIVER} <= codes
    assert report.result.metrics["use_cases"]["churn"]["payback_months"] is None
    assert report.result.metrics["ranking"] == ["triage", "churn"]
    assert report.result.verdict == "invest"  # the portfolio takes its best use case
    assert "does not pay back within 3 years" in churn.sentence(3)


def test_sentences_read_like_the_answer_to_the_owner() -> None:
    report = assess_roi([TRIAGE], horizon_years=3, draws=100)
    assert report.sentences == ["Ticket triage: pays back in 10 months; 100% chance of positive NPV over 3 years."]


def test_verdict_rules() -> None:
    assert use_case_verdict(0.8, 1.0) == "invest"
    assert use_case_verdict(0.95, -1.0) == "pilot"
    assert use_case_verdict(0.3, 10.0) == "pilot"
    assert use_case_verdict(0.49, 0.0) == "hold"


def test_score_is_the_best_chance_of_working_and_paying_back() -> None:
    report = assess_roi([TRIAGE, CHURN], draws=500)
    expected = max(r.evidence.p_success * r.prob_npv_positive for r in report.use_cases) * 100
    assert report.result.score == pytest.approx(round(expected, 1))


def test_saved_json_round_trips_and_is_deterministic(tmp_path) -> None:
    first = save_report(assess_roi([TRIAGE, CHURN], draws=300, seed=9), tmp_path / "a")["result"]
    second = save_report(assess_roi([TRIAGE, CHURN], draws=300, seed=9), tmp_path / "b")["result"]
    assert first.name == "roi.json"
    assert first.read_text() == second.read_text()
    data = json.loads(first.read_text())
    assert data["stage"] == "roi" and data["subject"] == "portfolio"
    assert set(data["metrics"]["use_cases"]["churn"]) == METRIC_KEYS
    assert StageResult.load(first).metrics["horizon_years"] == 3


def test_tables_cover_every_use_case_and_assumption() -> None:
    report = assess_roi([TRIAGE, CHURN], draws=100)
    assumptions = report.assumptions_frame()
    churn_rows = assumptions[assumptions["use case"] == "Churn prediction"]
    expected = {"yearly retention rate", "build (one-off)", "licences (yearly)", "P(success)"}
    assert expected <= set(churn_rows["assumption"])
    build = churn_rows.set_index("assumption").loc["build (one-off)"]
    assert (build["low"], build["likely"], build["high"]) == (12000, 18000, 28000)
    cash = report.cash_flow_frame("triage")
    assert list(cash["running total"]) == pytest.approx(np.cumsum(cash["net"]))
    assert list(report.ranking_frame()["use case"]) == ["Ticket triage", "Churn prediction"]
