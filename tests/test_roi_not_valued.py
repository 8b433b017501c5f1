"""Use cases the ROI stage cannot value: listed with what to add, left out of the figures, never a failed stage."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy_financial as npf
import pytest

from readiness.errors import ConfigError
from readiness.results import StageResult
from readiness.roi import (
    INCOMPLETE,
    ROI_NOT_VALUED,
    RoiParams,
    assess_from_params,
    assess_roi,
    engagement_use_cases,
    save_report,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENGAGEMENT = PROJECT_ROOT / "sample_data" / "harbour_physio" / "engagement.yaml"
TRIAGE = {"id": "triage", "title": "Ticket triage",
          "benefit": {"shape": "time_saved", "hours_saved_per_year": [80, 100, 150], "hourly_rate": [26, 30, 35],
                      "ramp_months": 3},
          "costs": {"build": [1500, 2000, 3000], "licences": 500}, "p_success": 0.9}
NO_SHOW = {"id": "no_show", "title": "No-show prediction",
           "value": {"true_positive": [30, 38, 45], "false_positive": -2, "decisions_per_year": 1000},
           "benefit": {"shape": "model_decisions", "ramp_months": 0}, "costs": {"build": [800, 1000, 1500]}}
BARE = {"id": "churn", "title": "Churn prediction", "table": "customers", "target": "churned"}  # no ROI inputs
SETTINGS = {"horizon_years": 3, "discount_rate": 0.08, "draws": 500, "seed": 11}
COUNTS = {"tp": 10, "fp": 20, "fn": 5, "tn": 65}


def _feasibility(folder: Path, case_id: str, verdict: str = "go", **metrics) -> str:
    StageResult("feasibility", case_id, verdict, 80.0, metrics={"confusion_matrix": COUNTS, **metrics}
                ).save(folder / f"{case_id}.json")
    return str(folder)


# ---------------------------------------------------------------- a portfolio with some not valued


def test_a_not_valued_use_case_leaves_the_others_as_valued_alone() -> None:
    alone = assess_roi([TRIAGE], **SETTINGS)
    # the use case that cannot be valued comes first, so it would shift the others' draws if it took a stream
    mixed = assess_roi([BARE, TRIAGE], **SETTINGS)
    m, m_alone = mixed.result.metrics, alone.result.metrics
    assert m["use_cases"] == m_alone["use_cases"]  # every figure, at full precision
    assert (mixed.result.verdict, mixed.result.score) == (alone.result.verdict, alone.result.score)
    assert [f for f in mixed.result.findings if f.code != ROI_NOT_VALUED] == alone.result.findings
    assert m["ranking"] == ["triage"] and list(m["p_success"]) == ["triage"]
    assert m["verdicts"] == {"churn": "not_valued", "triage": m_alone["verdicts"]["triage"]}
    assert m["titles"] == {"churn": "Churn prediction", "triage": "Ticket triage"}
    assert m["not_valued"] == {"churn": {
        "title": "Churn prediction",
        "reason": "neither `benefit` nor `value` is given, and no `costs` are given",
        "to_add": "add benefit: {shape: time_saved | revenue | model_decisions, ...} (or value: {true_positive: ..., "
                  "decisions_per_year: ...} for model decisions) and costs: {build: [low, likely, high], "
                  "run_per_year: [low, likely, high]}"}}
    flagged = [f for f in mixed.result.findings if f.code == ROI_NOT_VALUED]
    assert len(flagged) == 1 and flagged[0].severity == "warning"
    assert flagged[0].evidence == {"use_case": "churn", "reason": m["not_valued"]["churn"]["reason"],
                                   "to_add": m["not_valued"]["churn"]["to_add"]}


def test_views_read_sensibly_with_some_not_valued() -> None:
    report = assess_roi([BARE, TRIAGE], **SETTINGS)
    triage = report.use_case("triage")
    assert report.headline.startswith(f"1 of 2 use cases valued; {int(triage.verdict == 'invest')} worth funding now")
    assert report.headline.endswith("; not valued: Churn prediction.")
    assert report.cards["Use cases"] == 2 and report.cards["Not valued"] == 1
    assert sum(report.cards[v] for v in ("Invest", "Pilot", "Hold")) == 1
    answers = report.answers_frame()
    assert list(answers["verdict"]) == ["not valued", triage.verdict]
    assert answers.loc[0, "answer"].startswith("Churn prediction is not valued: neither `benefit` nor `value`")
    assert "add benefit: {shape:" in answers.loc[0, "answer"]
    assert list(report.ranking_frame()["use case"]) == ["Ticket triage"]
    assert set(report.assumptions_frame()["use case"]) == {"all", "Ticket triage"}
    assert list(report.not_valued_frame()["id"]) == ["churn"]
    with pytest.raises(KeyError, match="not valued"):
        report.use_case("churn")


def test_no_use_case_valued_is_incomplete_with_no_score(tmp_path: Path) -> None:
    report = assess_roi([BARE, NO_SHOW], **SETTINGS)  # no_show: no feasibility result to value its decisions
    result = report.result
    assert (result.verdict, result.score) == (INCOMPLETE, None)
    assert result.metrics["use_cases"] == {} and result.metrics["ranking"] == []
    assert result.metrics["verdicts"] == {"churn": "not_valued", "no_show": "not_valued"}
    assert [f.code for f in result.findings] == [ROI_NOT_VALUED, ROI_NOT_VALUED]
    assert report.headline.startswith("No use case could be valued: Churn prediction, No-show prediction need")
    assert report.cards["Best risk-adjusted NPV"] == "n/a" and report.cards["Not valued"] == 2
    assert report.ranking_frame().empty and "risk-adjusted NPV" in report.ranking_frame().columns
    assert report.decision_value_frame().empty and report.p_success_frame().empty
    saved = json.loads(save_report(report, tmp_path)["result"].read_text(encoding="utf-8"))
    assert (saved["verdict"], saved["score"]) == ("incomplete", None)


def test_entry_with_no_use_case_valued_succeeds() -> None:
    report = assess_from_params(RoiParams(use_cases=[BARE], draws=50))
    assert (report.result.verdict, report.result.score) == (INCOMPLETE, None)
    assert [a.parameter for a in report.assumed] == ["feasibility_dir"]  # the use cases were given
    assert report.result.metrics["assumed"][0]["value"] == "none"


# ---------------------------------------------------------------- feasibility evidence


def test_leak_suspected_by_feasibility_is_not_valued(tmp_path: Path) -> None:
    folder = _feasibility(tmp_path, "no_show", leakage_suspected=True)
    result = assess_roi([NO_SHOW, TRIAGE], feasibility_dir=folder, **SETTINGS).result
    assert result.metrics["not_valued"]["no_show"]["reason"] == ("the feasibility stage suspects a leak, so its "
                                                                 "predictions cannot be valued")
    assert result.metrics["not_valued"]["no_show"]["to_add"] == "fix the leak and rerun feasibility"
    assert "no_show" not in result.metrics["use_cases"] and "triage" in result.metrics["use_cases"]
    message = next(f.message for f in result.findings if f.code == ROI_NOT_VALUED)
    assert message.endswith("is not valued: the feasibility stage suspects a leak, so its predictions cannot be "
                            "valued; fix the leak and rerun feasibility.")


@pytest.mark.parametrize("flag", [False, None])
def test_no_leak_suspected_is_valued(tmp_path: Path, flag) -> None:
    folder = _feasibility(tmp_path, "no_show", leakage_suspected=flag)
    result = assess_roi([NO_SHOW], feasibility_dir=folder, **SETTINGS).result
    assert result.metrics["not_valued"] == {} and result.verdict != INCOMPLETE


def test_a_suspected_leak_stops_any_use_case_that_rests_on_the_model(tmp_path: Path) -> None:
    # a time-saved use case is valued from its own inputs, but its P(success) and its model rest on the leaky run
    StageResult("feasibility", "triage", "go", 90.0, metrics={"leakage_suspected": True}).save(tmp_path / "triage.json")
    result = assess_roi([TRIAGE], feasibility_dir=str(tmp_path), **SETTINGS).result
    assert result.metrics["verdicts"] == {"triage": "not_valued"} and result.verdict == INCOMPLETE


def test_an_inline_stand_in_can_suspect_a_leak_and_a_malformed_flag_is_an_error() -> None:
    leaky = dict(NO_SHOW, feasibility={"verdict": "go", "confusion_matrix": COUNTS, "leakage_suspected": True})
    assert assess_roi([leaky], **SETTINGS).result.metrics["verdicts"]["no_show"] == "not_valued"
    with pytest.raises(ConfigError, match=r"no_show.*leakage_suspected"):
        assess_roi([dict(leaky, feasibility={**leaky["feasibility"], "leakage_suspected": "yes"})], **SETTINGS)


def test_an_inline_stand_in_without_counts_or_verdict_is_not_valued() -> None:
    case = dict(NO_SHOW, feasibility={"threshold": 0.2})
    entry = assess_roi([case], **SETTINGS).result.metrics["not_valued"]["no_show"]
    assert "has no confusion matrix although it gives no verdict" in entry["reason"]


def test_not_yet_without_counts_keeps_its_costs_only_verdict(tmp_path: Path) -> None:
    StageResult("feasibility", "no_show", "not_yet", 0.0, metrics={"confusion_matrix": None}
                ).save(tmp_path / "no_show.json")
    result = assess_roi([NO_SHOW], feasibility_dir=str(tmp_path), **SETTINGS).result
    assert result.metrics["verdicts"] == {"no_show": "hold"} and result.metrics["not_valued"] == {}


# ---------------------------------------------------------------- malformed inputs are still errors


@pytest.mark.parametrize(("change", "expected"), [
    ({"p_sucess": 0.9}, "'p_success'"),  # a typo with a close match
    ({"benefit": {"shape": "time_saved", "hours_saved_per_year": [300, 100, 200], "hourly_rate": 30}},
     "low 300 is above high 200"),
    ({"benefit": {"shape": "time_saved", "hours_saved_per_year": 100, "hourly_rate": 30, "adoption": 1.2}},
     "benefit.adoption"),
    ({"benefit": {"shape": "time_save"}}, "'time_saved'"),
    ({"value": {"true_positive": 38, "decisions_per_year": 100}}, None),  # the costs below decide
])
def test_malformed_inputs_are_errors_even_when_something_is_missing_too(change, expected) -> None:
    case = {"id": "x", "title": "X", **change}  # no costs: it would be not valued if nothing were wrong
    if expected is None:
        case["costs"] = {"build": -100}
        expected = "costs.build"
    with pytest.raises(ConfigError) as caught:
        assess_roi([case], **SETTINGS)
    assert "'x'" in str(caught.value) and expected in str(caught.value)


@pytest.mark.parametrize(("benefit", "expected"), [
    ({"hours_saved_per_year": 100, "adoption": 1.5}, "benefit.adoption"),  # no shape, and a share above 1
    ({"hours_saved_per_yaer": 100}, "'hours_saved_per_year'"),  # no shape, and a typo
    ({"shape": "revenue", "customers": -5, "margin_rate": 0.3}, "benefit.customers"),  # no uplift, and negative
])
def test_what_is_given_is_checked_even_when_the_shape_or_variant_is_missing(benefit, expected) -> None:
    with pytest.raises(ConfigError) as caught:
        assess_roi([{"id": "x", "benefit": benefit, "costs": {"build": 100}}], **SETTINGS)
    assert "'x'" in str(caught.value) and expected in str(caught.value)


def test_benefit_without_a_shape_is_not_valued_but_an_unknown_shape_is_an_error() -> None:
    case = {"id": "x", "benefit": {"hours_saved_per_year": 100}, "costs": {"build": 100}}
    entry = assess_roi([case], **SETTINGS).result.metrics["not_valued"]["x"]
    assert entry["reason"] == "`benefit.shape` is not given"
    assert entry["to_add"] == "add benefit.shape: model_decisions | time_saved | revenue"
    with pytest.raises(ConfigError, match="unknown benefit shape"):
        assess_roi([dict(case, benefit={"shape": "savings"})], **SETTINGS)


# ---------------------------------------------------------------- full precision in the JSON


def test_json_keeps_full_precision_irr_as_numpy_financial(tmp_path: Path) -> None:
    churn = {"id": "churn", "benefit": {"shape": "revenue", "customers": 2400, "churn_reduction": 0.03,
                                        "margin_per_customer": 120, "retention_rate": 0.5, "ramp_months": 4},
             "costs": {"build": 5000, "licences": 700}, "p_success": 0.6}
    uneven = copy.deepcopy(TRIAGE)
    uneven["id"], uneven["costs"]["build"] = "uneven", 2100
    report = assess_roi([TRIAGE, churn, uneven], **SETTINGS)
    saved = json.loads(save_report(report, tmp_path)["result"].read_text(encoding="utf-8"))["metrics"]
    for case_id in ("triage", "churn", "uneven"):
        m = saved["use_cases"][case_id]
        expected = float(npf.irr(m["cash_flows"]))
        assert abs(m["irr"] - expected) < 1e-9
        assert m["irr"] != round(m["irr"], 4)  # not rounded to 4 decimals any more
        assert m["npv"] == pytest.approx(float(npf.npv(0.08, m["cash_flows"])), rel=1e-12)
    roi = report.use_case("triage")
    assert saved["use_cases"]["triage"]["npv_p10"] == roi.percentiles[0]
    assert saved["use_cases"]["triage"]["prob_npv_positive"] == roi.prob_npv_positive


def test_payback_is_not_rounded_in_the_json(tmp_path: Path) -> None:
    case = {"id": "t", "benefit": {"shape": "time_saved", "hours_saved_per_year": 100, "hourly_rate": 30,
                                   "ramp_months": 0}, "costs": {"build": 2100, "licences": 500}, "p_success": 0.9}
    report = assess_roi([case], horizon_years=2, discount_rate=0.1, draws=10)
    saved = json.loads(save_report(report, tmp_path)["result"].read_text(encoding="utf-8"))["metrics"]["use_cases"]["t"]
    assert saved["payback_months"] == pytest.approx(2100 / (2500 / 12), rel=1e-12)  # 10.08, once rounded to 10.1
    assert saved["roi_pct"] == pytest.approx((6000 - 3100) / 3100 * 100, rel=1e-12)  # 93.548..., once 93.5
    assert report.ranking_frame().loc[1, "payback months"] == 11  # reports still show whole months


# ---------------------------------------------------------------- reading an engagement file


def test_engagement_file_use_cases_are_those_the_pipeline_passes(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement
    from readiness.planning import plan_jobs

    from_file, path = engagement_use_cases(ENGAGEMENT)
    job = next(j for j in plan_jobs(load_engagement(ENGAGEMENT), results_root=tmp_path) if j.stage == "roi")
    assert path == ENGAGEMENT
    assert from_file == job.parameters["use_cases"]


def test_default_parameters_value_the_sample_engagement_from_any_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = assess_from_params(RoiParams(draws=200))
    m = report.result.metrics
    assert list(m["verdicts"]) == ["no_show", "churn", "demand_forecast", "ticket_triage"]
    assert set(m["not_valued"]) == {"no_show"}
    assert "`feasibility_dir` is empty" in m["not_valued"]["no_show"]["reason"]
    assert [(a.parameter, a.value) for a in report.assumed] == [("use_cases", "4 from engagement.yaml"),
                                                                 ("feasibility_dir", "none")]
    assert m["assumed"] == [a.as_dict() for a in report.assumed]
    assert report.result.verdict in ("invest", "pilot", "hold") and report.result.score is not None


def test_a_yaml_list_of_use_cases_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("- {id: triage, title: Ticket triage, table: tickets, engine: pandas,\n"
                    "   benefit: {shape: time_saved, hours_saved_per_year: 100, hourly_rate: 30},\n"
                    "   costs: {build: 2000}}\n- {id: churn}\n", encoding="utf-8")
    report = assess_from_params(RoiParams(data_path=str(path), feasibility_dir=str(tmp_path), draws=50))
    assert report.result.metrics["verdicts"]["churn"] == "not_valued"
    assert report.result.metrics["use_cases"]["triage"]["cash_flows"][0] == -2000.0
    assert [(a.parameter, a.value) for a in report.assumed] == [("use_cases", "2 from cases.yaml")]


@pytest.mark.parametrize(("text", "expected"), [
    ("client: Acme\n", "holds no use cases"),
    ("use_cases: []\n", "holds no use cases"),
    ("use_cases: [unclosed\n", "cannot be read as YAML"),
])
def test_an_engagement_file_without_use_cases_is_an_error_naming_it(tmp_path: Path, text, expected) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        assess_from_params(RoiParams(data_path=str(path)))
    assert "data_path" in str(caught.value) and "acme.yaml" in str(caught.value) and expected in str(caught.value)


def test_a_missing_engagement_file_or_none_at_all_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"data_path.*nowhere\.yaml.*no such file"):
        assess_from_params(RoiParams(data_path=str(tmp_path / "nowhere.yaml")))
    with pytest.raises(ConfigError, match="`use_cases` and `data_path` are both empty"):
        assess_from_params(RoiParams(data_path=""))


# ---------------------------------------------------------------- the summary reads not-valued use cases


def test_the_summary_lists_a_not_valued_use_case_with_no_value(tmp_path: Path) -> None:
    from readiness.scorecard import build_portfolio, build_scorecard, read_stage_results, roi_by_use_case

    run = tmp_path / "run"
    StageResult("feasibility", "no_show", "go", 85.0, metrics={"kind": "classification"}
                ).save(run / "feasibility" / "no_show.json")
    StageResult("feasibility", "triage", "go", 90.0, metrics={"kind": "text_classification"}
                ).save(run / "feasibility" / "triage.json")
    # no_show's result has no counts: the ROI stage cannot value it
    report = assess_roi([NO_SHOW, TRIAGE], feasibility_dir=run / "feasibility", **SETTINGS)
    save_report(report, run)
    money = roi_by_use_case(StageResult.load(run / "roi.json").metrics)
    assert money["no_show"]["risk_adjusted_npv"] is None and money["no_show"]["title"] == "No-show prediction"
    assert "no confusion matrix" in money["no_show"]["not_valued"]
    assert money["triage"]["risk_adjusted_npv"] == report.use_case("triage").risk_adjusted_npv
    rows = build_portfolio(read_stage_results(run)).set_index("use_case")
    assert rows.loc["no_show", "quadrant"] == "not_assessed"  # as for any missing value: never a quick win
    assert math.isnan(rows.loc["no_show", "risk_adjusted_npv"])
    assert rows.loc["no_show", "roi_not_valued"] == money["no_show"]["not_valued"]
    assert rows.loc["triage", "quadrant"] == "quick_win" and rows.loc["triage", "roi_not_valued"] is None
    card = build_scorecard(run, survey_path="")
    assert len(card.portfolio) == 2


def test_the_summary_reads_an_incomplete_roi_result(tmp_path: Path) -> None:
    from readiness.scorecard import build_scorecard

    run = tmp_path / "run"
    StageResult("feasibility", "churn", "pilot", 55.0).save(run / "feasibility" / "churn.json")
    save_report(assess_roi([BARE], **SETTINGS), run)
    card = build_scorecard(run, survey_path="")
    row = card.portfolio.set_index("use_case").loc["churn"]
    assert row["quadrant"] == "not_assessed" and row["title"] == "Churn prediction"
    assert row["roi_not_valued"].startswith("neither `benefit` nor `value` is given")
    roi = next(r for r in card.records if r.stage == "roi")
    assert roi.status == "ok" and roi.result.verdict == "incomplete"
