"""A model-based use case the feasibility stage judged not_yet before fitting a model: assessed with no benefit."""

from __future__ import annotations

import json

import pytest

from readiness.results import StageResult
from readiness.roi import (
    P_SUCCESS_BY_VERDICT,
    ROI_LIKELY_LOSS,
    ROI_MAIN_DRIVER,
    ROI_NO_PAYBACK,
    ROI_NOT_FEASIBLE,
    assess_roi,
    save_report,
)

TRIAGE = {"id": "triage", "title": "Ticket triage",
          "benefit": {"shape": "time_saved", "hours_saved_per_year": [80, 100, 150], "hourly_rate": 30,
                      "ramp_months": 0},
          "costs": {"build": 2000, "licences": 500}, "p_success": 0.9}
NO_SHOW = {"id": "no_show", "title": "No-show prediction",
           "value": {"true_positive": [30, 38, 45], "false_positive": -2, "decisions_per_year": 1000},
           "benefit": {"shape": "model_decisions", "ramp_months": 0}, "costs": {"build": [800, 1000, 1500]}}
CHURN = {"id": "churn", "title": "Churn prediction",
         "benefit": {"shape": "revenue", "customers": 2400, "churn_reduction": [0.005, 0.01, 0.02],
                     "margin_per_customer": 120, "retention_rate": 0.5},
         "costs": {"build": [12000, 18000, 28000], "licences": 3600}, "p_success": 0.5}
# the feasibility stage stopped before fitting a model for this one
REBOOKING = {"id": "rebooking", "title": "Rebooking prediction",
             "value": {"true_positive": [20, 38, 50], "false_positive": -2, "decisions_per_year": 1000},
             "benefit": {"shape": "model_decisions", "ramp_months": 0},
             "costs": {"build": [800, 1000, 1500], "run_per_year": 200}}
SETTINGS = {"horizon_years": 2, "discount_rate": 0.1, "draws": 400, "seed": 7}


def _feasibility_folder(folder, *, matrix_key: bool = True):
    """no_show fitted a model (go); rebooking stopped early (not_yet, confusion matrix null or absent)."""
    StageResult("feasibility", "no_show", "go", 80.0,
                metrics={"confusion_matrix": {"tp": 10, "fp": 20, "fn": 5, "tn": 65}, "threshold": 0.2}
                ).save(folder / "no_show.json")
    blocked = {"rows": 12, "threshold": None, **({"confusion_matrix": None} if matrix_key else {})}
    StageResult("feasibility", "rebooking", "not_yet", 0.0, metrics=blocked).save(folder / "rebooking.json")
    return str(folder)


@pytest.mark.parametrize("matrix_key", [True, False])
def test_not_yet_without_a_model_counts_costs_only(tmp_path, matrix_key) -> None:
    folder = _feasibility_folder(tmp_path, matrix_key=matrix_key)
    report = assess_roi([TRIAGE, NO_SHOW, CHURN, REBOOKING], feasibility_dir=folder, **SETTINGS)
    m = report.result.metrics["use_cases"]["rebooking"]
    costs = 1000 + 200 / 1.1 + 200 / 1.1 ** 2  # build today, then 200 a year discounted at 10%
    assert m["cash_flows"] == [-1000.0, -200.0, -200.0]
    assert m["npv"] == pytest.approx(-costs, rel=1e-12)
    assert m["prob_npv_positive"] == 0.0
    assert m["npv_p90"] < 0  # every draw is costs only, whatever the outcome values drawn
    assert m["risk_adjusted_npv"] == pytest.approx(0.3 * -costs - 0.7 * 1000, rel=1e-12)
    assert report.result.metrics["verdicts"]["rebooking"] == "hold"
    assert report.result.metrics["p_success"]["rebooking"] == {
        "value": P_SUCCESS_BY_VERDICT["not_yet"], "source": "feasibility verdict", "feasibility_verdict": "not_yet"}


def test_not_feasible_finding_and_sentence(tmp_path) -> None:
    report = assess_roi([REBOOKING], feasibility_dir=_feasibility_folder(tmp_path), **SETTINGS)
    mine = [f for f in report.result.findings if f.evidence.get("use_case") == "rebooking"]
    flagged = [f for f in mine if f.code == ROI_NOT_FEASIBLE]
    assert len(flagged) == 1 and flagged[0].severity == "warning"
    assert "rebooking" in flagged[0].message and "no usable model" in flagged[0].message
    # the money findings would only restate that no benefit is counted
    assert not {ROI_NO_PAYBACK, ROI_LIKELY_LOSS, ROI_MAIN_DRIVER} & {f.code for f in mine}
    assert report.sentences == ["Rebooking prediction is not assessable: the feasibility stage found no usable "
                                "model yet."]
    assert report.result.verdict == "hold"
    assert report.decision_value_frame().empty  # no model, no value per decision to show


def test_other_use_cases_are_unaffected(tmp_path) -> None:
    folder = _feasibility_folder(tmp_path)
    without = assess_roi([TRIAGE, NO_SHOW, CHURN], feasibility_dir=folder, **SETTINGS).result
    # appended last, so the others keep their random streams
    with_it = assess_roi([TRIAGE, NO_SHOW, CHURN, REBOOKING], feasibility_dir=folder, **SETTINGS).result
    for case in ("triage", "no_show", "churn"):
        assert with_it.metrics["use_cases"][case] == without.metrics["use_cases"][case]
        assert with_it.metrics["verdicts"][case] == without.metrics["verdicts"][case]
        assert with_it.metrics["sentences"][case] == without.metrics["sentences"][case]
    assert without.metrics["use_cases"]["no_show"]["cash_flows"] == pytest.approx([-1000.0, 3400.0, 3400.0], abs=1e-9)
    assert [f for f in with_it.findings if f.evidence.get("use_case") != "rebooking"] == without.findings
    assert [c for c in with_it.metrics["ranking"] if c != "rebooking"] == without.metrics["ranking"]
    assert (with_it.verdict, with_it.score) == (without.verdict, without.score)


def test_an_inline_not_yet_stand_in_without_counts_is_treated_alike() -> None:
    inline = dict(REBOOKING, feasibility={"verdict": "not_yet"})
    report = assess_roi([inline], **SETTINGS)
    assert report.use_case("rebooking").evidence.no_usable_model
    assert report.result.metrics["use_cases"]["rebooking"]["prob_npv_positive"] == 0.0


def test_not_yet_with_a_fitted_model_still_uses_its_counts(tmp_path) -> None:
    StageResult("feasibility", "rebooking", "not_yet", 30.0,
                metrics={"confusion_matrix": {"tp": 10, "fp": 20, "fn": 5, "tn": 65}}).save(tmp_path / "rebooking.json")
    report = assess_roi([REBOOKING], feasibility_dir=str(tmp_path), **SETTINGS)
    # 10% true positives at 38 and 20% false positives at -2: 3.4 a decision, 1000 decisions, minus 200 running
    assert report.result.metrics["use_cases"]["rebooking"]["cash_flows"] == pytest.approx([-1000.0, 3200.0, 3200.0],
                                                                                          abs=1e-9)
    assert ROI_NOT_FEASIBLE not in {f.code for f in report.result.findings}


def test_saved_json_holds_the_not_feasible_case(tmp_path) -> None:
    folder = _feasibility_folder(tmp_path / "feasibility")
    path = save_report(assess_roi([TRIAGE, REBOOKING], feasibility_dir=folder, **SETTINGS), tmp_path)["result"]
    data = json.loads(path.read_text())
    assert data["metrics"]["verdicts"]["rebooking"] == "hold"
    assert ROI_NOT_FEASIBLE in {f["code"] for f in data["findings"]}
