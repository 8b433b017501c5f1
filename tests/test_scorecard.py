"""The summary built from fixture JSONs of every stage: index, portfolio, roadmap, risks, words, gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from readiness.findings import SUM_STAGE_FAILED, SUM_STAGE_MISSING, SUM_SURVEY_MISSING
from readiness.results import Finding, StageResult
from readiness.scorecard import (
    build_scorecard,
    index_scorecard,
    read_stage_results,
    roi_by_use_case,
    save_scorecard,
)
from readiness.survey import SUM_SELF_REPORT_GAP, load_questionnaire

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def write_fixture_run(folder: Path) -> Path:
    """A run folder with one result per stage, shaped as the stages write them (issues 3, 4 and 5)."""
    StageResult("quality", "customers", "needs_work", 80.0, {"rows": 100},
                [Finding("error", "DQ_DUPLICATE_KEY", "20 customer ids repeat.", "customer_id"),
                 Finding("warning", "DQ_MISSING_VALUES", "gender is blank in 3% of rows.", "gender")]
                ).save(folder / "quality" / "customers.json")
    StageResult("quality", "appointments", "ready", 90.0, {"rows": 500}).save(folder / "quality" / "appointments.json")
    (folder / "quality" / "appointments.gx-suite.json").write_text('{"name": "suite"}', encoding="utf-8")
    StageResult("feasibility", "no_show", "go", 82.0,
                {"kind": "classification", "table": "appointments", "title": "Predict appointment no-shows",
                 "models": {"hist_gradient_boosting": {"roc_auc": 0.81, "average_precision": 0.42}}},
                [Finding("warning", "FEAS_MORE_DATA_HELPS", "Twice the rows would lift ROC-AUC by 0.02.")]
                ).save(folder / "feasibility" / "no_show.json")
    StageResult("feasibility", "churn", "pilot", 50.0, {"kind": "classification", "table": "customers"}
                ).save(folder / "feasibility" / "churn.json")
    StageResult("feasibility", "ticket_triage", "not_yet", None, {"kind": "text_classification"}
                ).save(folder / "feasibility" / "ticket_triage.json")
    checklist = {"yes": 6, "no": 2, "n/a": 1, "unanswered": 2}  # 6 of 10 answerable items: 60
    StageResult("ethics", "no_show", "needs_work", 70.0, {"ai_act_tier": "minimal", "checklist": checklist},
                [Finding("warning", "ETH_CHECKLIST_NO", "Checklist S2 answered no.")]
                ).save(folder / "ethics" / "no_show.json")
    StageResult("ethics", "churn", "needs_work", None, {"ai_act": {"tier": "minimal"}, "checklist": checklist},
                [Finding("error", "ETH_PROXY", "home_site stands in for age_band."),
                 Finding("warning", "ETH_BASE_RATE_DISPARITY", "Base rates differ by age band.")]
                ).save(folder / "ethics" / "churn.json")
    StageResult("roi", "portfolio", "pilot", 74.0, {
        "currency": "EUR",
        "titles": {"churn": "Predict churn", "ticket_triage": "Route support tickets"},
        "use_cases": {
            "no_show": {"npv": 52000.0, "risk_adjusted_npv": 41000.0, "payback_months": 7.0,
                        "prob_npv_positive": 0.86},
            "churn": {"npv": 30000.0, "risk_adjusted_npv": 15000.0, "payback_months": 14.0,
                      "prob_npv_positive": 0.7},
            "ticket_triage": {"npv": -2000.0, "risk_adjusted_npv": -4000.0, "payback_months": None,
                              "prob_npv_positive": 0.3},
        }}).save(folder / "roi.json")
    return folder


def write_survey(path: Path, **answers: int | None) -> Path:
    """Every item answered 3 unless given."""
    q = load_questionnaire()
    data = {"questionnaire_version": q.version, "answers": {i: answers.get(i, 3) for i in q.item_ids}}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return write_fixture_run(tmp_path / "run")


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    return write_survey(tmp_path / "survey.yaml", tech_data_quality=5, org_governance=5)


def test_portfolio_copies_the_stage_numbers_and_names_quadrants(run_dir: Path, survey: Path) -> None:
    card = build_scorecard(run_dir, survey_path=survey, client="Test Clinic")
    rows = card.portfolio.set_index("use_case")
    assert rows.loc["no_show", "risk_adjusted_npv"] == 41000.0 and rows.loc["no_show", "feasibility"] == 82.0
    assert rows.loc["ticket_triage", "feasibility"] == 25.0  # no score: taken from the not_yet verdict
    assert dict(rows["quadrant"]) == {"churn": "strategic_bet", "no_show": "quick_win", "ticket_triage": "not_yet"}
    assert rows.loc["no_show", "ethics_risk"] == pytest.approx(30.0)  # 100 - score 70
    assert rows.loc["churn", "ethics_risk"] == pytest.approx(33.0)  # 25 per error + 8 per warning
    assert rows.loc["churn", "title"] == "Predict churn"  # title from roi.json
    assert card.currency == "EUR"


def test_evidence_is_measured_and_gaps_become_findings(run_dir: Path, survey: Path) -> None:
    card = build_scorecard(run_dir, survey_path=survey)
    assert card.result.metrics["evidence"] == {"quality_score": 85.0, "ethics_checklist": 60.0}
    gaps = {g["item"]: g for g in card.result.metrics["evidence_gaps"]}
    assert gaps["tech_data_quality"]["gap"] == pytest.approx(15.0) and not gaps["tech_data_quality"]["finding"]
    assert gaps["org_governance"]["gap"] == pytest.approx(40.0) and gaps["org_governance"]["finding"]
    flagged = [f.evidence["item"] for f in card.result.findings if f.code == SUM_SELF_REPORT_GAP]
    assert flagged == ["org_governance"]
    # the measured values replace the answers, so the index falls below the self-reported one
    assert card.result.metrics["readiness_index"] < card.result.metrics["self_reported_index"]


def test_index_tier_and_result_contract(run_dir: Path, survey: Path, tmp_path: Path) -> None:
    card = build_scorecard(run_dir, survey_path=survey)
    m = card.result.metrics
    assert card.result.stage == "summary" and card.result.subject == "readiness"
    assert card.result.score == round(m["readiness_index"], 1)
    assert m["tier"] == "exploring" and card.result.verdict == "not_ready"  # all 3s: about 50
    assert m["adopter_category"] == "early_majority"  # innovativeness exactly 50
    saved = save_scorecard(card, tmp_path / "out")
    assert saved.name == "summary.json"
    reread = json.loads(saved.read_text(encoding="utf-8"))
    assert reread["metrics"]["portfolio"][0]["use_case"] == "churn"
    view = index_scorecard(saved)
    assert view["readiness_index"] == m["readiness_index"] and view["tier"] == "Exploring"
    assert set(view["dimensions"]) == {"Technology", "Organisation", "Environment"}


def test_roadmap_pilots_the_best_quick_win_first(run_dir: Path, survey: Path) -> None:
    card = build_scorecard(run_dir, survey_path=survey)
    phases = {p["phase"]: p for p in card.roadmap}
    assert phases[0]["title"] == "Foundations"
    assert any("customers" in a and "DQ_DUPLICATE_KEY" in a for a in phases[0]["actions"])
    assert any("ETH_CHECKLIST_NO" in a for a in phases[0]["actions"])
    assert phases[1]["use_cases"] == ["no_show"] and "EUR 41,000" in phases[1]["why"]
    assert any(f.startswith("FEAS_MORE_DATA_HELPS") for f in phases[1]["fix_before"])
    assert phases[1]["kpis"] and phases[1]["training"]
    assert phases[2]["use_cases"] == ["churn"] and phases[3]["use_cases"] == ["ticket_triage"]


def test_executive_summary_is_built_from_the_numbers(run_dir: Path, survey: Path) -> None:
    card = build_scorecard(run_dir, survey_path=survey, client="Test Clinic")
    words = card.executive_summary
    index = card.result.metrics["readiness_index"]
    assert words[0].startswith(f"Test Clinic scores {index:.1f} out of 100")
    assert any("2 tables checked, average quality 85/100, 1 blocking issue" in w for w in words)
    assert any("3 assessed: 1 quick win, 1 strategic bet, 1 not yet" in w for w in words)
    assert any(w.startswith("Pilot first: Predict appointment no-shows") for w in words)


def test_top_risks_come_from_low_survey_scores(run_dir: Path, tmp_path: Path) -> None:
    low_security = write_survey(tmp_path / "s.yaml", tech_security_practices=1, tech_access_control=2)
    card = build_scorecard(run_dir, survey_path=low_security)
    assert card.risks[0]["risk"] == "security" and card.risks[0]["level"] == "high"
    assert card.risks[0]["score"] == pytest.approx(12.5)  # (0 + 25) / 2
    assert "two-factor" in card.risks[0]["mitigation"]


def test_missing_roi_is_reported_and_the_rest_still_scored(run_dir: Path, survey: Path) -> None:
    (run_dir / "roi.json").unlink()
    card = build_scorecard(run_dir, survey_path=survey)
    missing = [f for f in card.result.findings if f.code == SUM_STAGE_MISSING]
    assert [f.evidence["stage"] for f in missing] == ["roi"]
    assert set(card.portfolio["quadrant"]) == {"not_assessed"}
    assert card.result.metrics["readiness_index"] is not None
    assert any("roi" in w and "Not included" in w for w in card.executive_summary)


def test_expected_subject_without_result_is_named(run_dir: Path, survey: Path) -> None:
    card = build_scorecard(run_dir, survey_path=survey, expected={"ethics": ["no_show", "churn", "ticket_triage"]})
    missing = [f.evidence["subject"] for f in card.result.findings if f.code == SUM_STAGE_MISSING]
    assert missing == ["ticket_triage"]


def test_unreadable_result_is_a_failed_stage(run_dir: Path, survey: Path) -> None:
    (run_dir / "feasibility" / "churn.json").write_text("{not json", encoding="utf-8")
    card = build_scorecard(run_dir, survey_path=survey)
    failed = [f for f in card.result.findings if f.code == SUM_STAGE_FAILED]
    assert len(failed) == 1 and failed[0].evidence == {"stage": "feasibility", "subject": "churn"}
    assert card.portfolio.set_index("use_case").loc["churn", "quadrant"] == "not_assessed"


def test_no_survey_gives_no_index_but_a_summary(run_dir: Path) -> None:
    card = build_scorecard(run_dir, survey_path="")
    assert card.result.score is None and card.result.verdict == "incomplete"
    assert SUM_SURVEY_MISSING in [f.code for f in card.result.findings]
    assert "no readiness index" in card.executive_summary[0]
    assert len(card.portfolio) == 3


def test_gx_suite_files_are_not_results(run_dir: Path) -> None:
    subjects = [r.subject for r in read_stage_results(run_dir) if r.stage == "quality"]
    assert subjects == ["appointments", "customers"]


def test_roi_list_shape_is_accepted() -> None:
    rows = roi_by_use_case({"use_cases": [{"id": "a", "npv": 1.0, "risk_adjusted_npv": 0.5}]})
    assert rows == {"a": {"id": "a", "npv": 1.0, "risk_adjusted_npv": 0.5}}


@pytest.mark.slow
def test_summary_notebook_writes_its_result(run_dir: Path, survey: Path, tmp_path: Path) -> None:
    import papermill

    out = tmp_path / "summary_out"
    papermill.execute_notebook(
        str(PROJECT_ROOT / "notebooks" / "05_summary.ipynb"), str(tmp_path / "summary.ipynb"),
        parameters={"reports_dir": str(run_dir), "survey_path": str(survey), "results_dir": str(out),
                    "client": "Test Clinic"},
        kernel_name="python3", progress_bar=False, cwd=str(PROJECT_ROOT),
    )
    result = StageResult.load(out / "summary.json")
    assert result.stage == "summary" and result.subject == "readiness"
    assert result.metrics["portfolio"][1]["risk_adjusted_npv"] == 41000.0


@pytest.mark.slow
def test_sample_run_summary_matches_its_stage_results(request: pytest.FixtureRequest) -> None:
    """Every stage number in the summary equals the stage JSON it came from."""
    try:
        from readiness.planning import STAGES as registry
    except ImportError:  # the stage registry's older home
        from readiness.pipeline import STAGE_NOTEBOOKS as registry

    if "summary" not in registry:
        pytest.skip("the pipeline does not run the summary stage")
    sample_report_dir: Path = request.getfixturevalue("sample_report_dir")
    summary = StageResult.load(sample_report_dir / "summary.json")
    stages = summary.metrics["stages"]
    for path in sorted((sample_report_dir / "quality").glob("*.json")):
        if "." in path.stem:
            continue
        result = StageResult.load(path)
        assert stages["quality"][result.subject] == {"status": "ok", "verdict": result.verdict, "score": result.score}
    quality = [stages["quality"][s]["score"] for s in stages["quality"]]
    assert summary.metrics["evidence"]["quality_score"] == pytest.approx(sum(quality) / len(quality))
    roi_path = sample_report_dir / "roi.json"
    if roi_path.exists():
        money = roi_by_use_case(StageResult.load(roi_path).metrics)
        for row in summary.metrics["portfolio"]:
            assert row["risk_adjusted_npv"] == money[row["use_case"]]["risk_adjusted_npv"]
    for row in summary.metrics["portfolio"]:
        feas = sample_report_dir / "feasibility" / f"{row['use_case']}.json"
        if feas.exists() and StageResult.load(feas).score is not None:
            assert row["feasibility"] == StageResult.load(feas).score
    assert summary.score == (None if summary.metrics["readiness_index"] is None
                             else round(summary.metrics["readiness_index"], 1))


def test_portfolio_chart_draws_every_assessed_use_case(run_dir: Path, survey: Path) -> None:
    from readiness.charts import portfolio_bubbles

    card = build_scorecard(run_dir, survey_path=survey)
    fig = portfolio_bubbles(card.portfolio.to_dict("records"), title="Portfolio")
    sizes = fig.axes[0].collections[0].get_sizes()
    assert len(sizes) == 3  # ticket_triage has no ethics result (NaN risk) and is still drawn
    assert sorted(sizes) == pytest.approx([120.0, 120 + 12 * 30.0, 120 + 12 * 33.0])


def test_an_empty_questionnaire_gives_no_index_and_an_incomplete_verdict(run_dir: Path, tmp_path: Path) -> None:
    # measurements alone must not turn into a readiness index beside the survey's own error
    q = load_questionnaire()
    empty = write_survey(tmp_path / "empty.yaml", **dict.fromkeys(q.item_ids))
    card = build_scorecard(run_dir, survey_path=empty, client="Test", as_of="2026-06-30")
    assert card.result.verdict == "incomplete" and card.result.score is None
    assert card.result.metrics["readiness_index"] is None
    codes = {f.code: f.severity for f in card.result.findings}
    assert codes["SUM_SURVEY_EMPTY"] == "error" and SUM_SURVEY_MISSING not in codes


def test_a_failed_stage_caps_a_ready_summary(run_dir: Path, tmp_path: Path) -> None:
    q = load_questionnaire()
    high = write_survey(tmp_path / "high.yaml", **dict.fromkeys(q.item_ids, 5))
    assert build_scorecard(run_dir, survey_path=high).result.verdict == "ready"
    (run_dir / "quality" / "appointments.json").write_text("{not json", encoding="utf-8")
    card = build_scorecard(run_dir, survey_path=high)
    assert any(f.code == SUM_STAGE_FAILED and f.severity == "error" for f in card.result.findings)
    assert card.result.verdict == "needs_work"


def test_open_checklist_items_count_against_the_measured_checklist() -> None:
    from readiness.metrics import EthicsMetrics

    written = EthicsMetrics.model_validate({"checklist": {"items": 10, "yes": 6, "no": 1, "n/a": 1, "open": 2}})
    assert written.checklist.not_applicable == 1 and written.checklist.open == 2
    assert written.checklist_share_yes == pytest.approx(100 * 6 / 9)  # n/a left out, open items counted


def test_a_result_breaking_its_contract_is_not_written(tmp_path: Path) -> None:
    from pydantic import ValidationError

    bad = StageResult("feasibility", "x", "go", 80.0, {"confusion_matrix": {"tp": 1, "fp": -2, "fn": 0, "tn": 3}})
    with pytest.raises(ValidationError):
        bad.save(tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
