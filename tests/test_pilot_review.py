"""The pilot review on synthetic pilots: the log's checks, each verdict, the saved result, the engagement and plan."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pilot_data import baseline_extract, feasibility_result, pilot_log

from readiness.errors import ConfigError, DataError
from readiness.findings import codes_of
from readiness.metrics import PilotMetrics
from readiness.pilot import PilotParams, assess_from_params, read_pilot_log, save_report
from readiness.results import StageResult, consistent_verdict

VALUE = {"true_positive": 30, "false_positive": -2.5, "decisions_per_year": 30000, "adoption": 0.6}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pilot")
    baseline_extract().to_csv(path / "appointments.csv", index=False)
    pilot_log().to_csv(path / "steady.csv", index=False)
    pilot_log(web_share=0.85, unknown=300).to_csv(path / "drifted.csv", index=False)
    return path


def _review(folder: Path, log: str, **given):
    defaults = {"data_path": str(folder / log), "baseline_path": str(folder / "appointments.csv"),
                "bootstrap": 200, "value": VALUE, "group_columns": ["gender"]}
    return assess_from_params(PilotParams(**{**defaults, **given}))


def _codes(report) -> set[str]:
    return {f.code for f in report.result.findings}


def test_a_steady_pilot_within_its_estimate_scales(folder: Path) -> None:
    feasibility = feasibility_result(folder / "wide.json", mean=0.62, low=0.5, high=0.75)
    report = _review(folder, "steady.csv", feasibility_result=str(feasibility))
    assert report.result.verdict == "scale", report.reasons
    assert report.lights == {"performance": "green", "value": "green", "calibration": "green", "drift": "green",
                             "fairness": "green"}
    assert report.result.score == 100.0
    assert "PILOT_ESTIMATE_HELD" in _codes(report) and not _codes(report) & {"PILOT_DRIFT_SIGNIFICANT"}
    head = report.result.metrics["headline_metric"]
    assert head["metric"] == "roc_auc" and head["position"] == "within" and head["low"] < head["realised"]


def test_the_planted_drift_is_found_and_asks_for_an_adjustment(folder: Path) -> None:
    report = _review(folder, "drifted.csv", feasibility_result=str(feasibility_result(folder / "f.json")))
    drifted = [f for f in report.result.findings if f.code == "PILOT_DRIFT_SIGNIFICANT"]
    assert [f.column for f in drifted] == ["channel"]
    assert report.result.metrics["drift"]["channel"] > 0.25 > max(
        v for k, v in report.result.metrics["drift"].items() if k != "channel")
    assert report.result.verdict == "adjust" and report.lights["drift"] == "amber"
    assert any("channel" in reason for reason in report.reasons)
    unlabelled = next(f for f in report.result.findings if f.code == "PILOT_UNLABELLED_ROWS")
    assert unlabelled.severity == "info" and unlabelled.evidence["unlabelled"] == 300


def test_worse_than_assessed_and_losing_money_stops(folder: Path) -> None:
    feasibility = feasibility_result(folder / "promised.json", mean=0.9, low=0.88, high=0.92)
    report = _review(folder, "steady.csv", feasibility_result=str(feasibility),
                     value={"true_positive": 1, "false_positive": -20, "decisions_per_year": 30000})
    assert report.result.verdict == "stop"
    assert {"PILOT_NOT_WORKING", "PILOT_BELOW_ESTIMATE"} <= _codes(report)
    assert report.lights["value"] == "red" and report.result.metrics["value"]["per_decision"] < 0


def test_scores_no_better_than_chance_stop(tmp_path: Path) -> None:
    frame = pilot_log()
    frame["score"] = (1 - frame["score"]).round(4)  # the model ranks the wrong way round
    frame.to_csv(tmp_path / "inverted.csv", index=False)
    report = assess_from_params(PilotParams(data_path=str(tmp_path / "inverted.csv"), bootstrap=200))
    assert report.result.metrics["headline_metric"]["high"] < 0.5
    assert report.result.verdict == "stop" and "PILOT_NO_SKILL" in _codes(report)
    assert report.lights["performance"] == "red"


def test_no_known_outcome_is_incomplete(tmp_path: Path) -> None:
    pilot_log(rows=200, unknown=200).to_csv(tmp_path / "early.csv", index=False)
    report = assess_from_params(PilotParams(data_path=str(tmp_path / "early.csv"), bootstrap=50))
    assert report.result.verdict == "incomplete" and report.result.score is None
    assert "PILOT_NO_OUTCOMES" in _codes(report)
    assert report.realised.empty and report.calibration is None


def test_scale_is_never_shown_beside_an_error() -> None:
    from readiness.results import Finding

    error = [Finding("error", "PILOT_NO_SKILL", "no better than chance")]
    assert consistent_verdict("scale", error) == "adjust"
    assert StageResult("pilot", "x", "scale", 90.0, findings=error).to_dict()["verdict"] == "adjust"


def test_miscalibrated_scores_and_few_outcomes_are_warnings(tmp_path: Path) -> None:
    pilot_log(rows=400, score_shift=0.25).to_csv(tmp_path / "shifted.csv", index=False)
    report = assess_from_params(PilotParams(data_path=str(tmp_path / "shifted.csv"), bootstrap=100))
    assert "PILOT_POOR_CALIBRATION" in _codes(report)
    assert report.calibration.expected_calibration_error > 0.2
    pilot_log(rows=120).to_csv(tmp_path / "short.csv", index=False)
    short = assess_from_params(PilotParams(data_path=str(tmp_path / "short.csv"), bootstrap=100))
    assert "PILOT_FEW_OUTCOMES" in _codes(short) and short.result.verdict == "adjust"


def test_what_was_not_given_is_said(folder: Path) -> None:
    report = assess_from_params(PilotParams(data_path=str(folder / "steady.csv"), bootstrap=50, group_columns=[]))
    assert {"PILOT_NO_ESTIMATE", "PILOT_NO_BASELINE", "PILOT_NO_VALUE_INPUTS"} <= _codes(report)
    assumed = {a.parameter: a.value for a in report.assumed}
    assert assumed["score_column"] == "score" and assumed["decision_column"] == "decision"
    assert assumed["outcome_column"] == "actual" and assumed["date_column"] == "scored_at"
    assert assumed["id_column"] == "booking_id" and assumed["use_case"] == "steady"
    assert assumed["group_columns"] == "age_band, gender"  # detected by name
    assert report.lights["drift"] is None and report.lights["value"] is None


def test_saved_result_keeps_the_contract_and_shows_no_ids(folder: Path, tmp_path: Path) -> None:
    report = _review(folder, "drifted.csv", feasibility_result=str(feasibility_result(folder / "g.json")))
    path = save_report(report, tmp_path)["result"]
    assert path.name == "no_show.json"
    text = path.read_text(encoding="utf-8")
    assert "B000" not in text  # the log's ids are never written
    data = json.loads(text)
    assert data["stage"] == "pilot" and data["subject"] == "no_show"
    metrics = StageResult.load(path).metrics_as(PilotMetrics)
    assert metrics.decisions == 3000 and metrics.labelled == 2700 and metrics.max_psi > 0.25
    assert metrics.value.estimated_per_decision == pytest.approx((300 * 30 - 700 * 2.5) / 4000)
    assert {f["code"] for f in data["findings"]} <= set(codes_of("pilot"))


# ---------------------------------------------------------------------------------- the log's checks


def test_a_column_given_but_absent_names_the_file_and_the_parameter(folder: Path) -> None:
    with pytest.raises(DataError, match=r"steady.csv: column 'probability' given as `score_column` is not in the "
                                        r"file; its columns are: booking_id, scored_at, score.*-p score_column"):
        read_pilot_log(folder / "steady.csv", score_column="probability")


def test_a_score_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    frame = pilot_log(rows=50)
    frame["score"] = frame["score"].astype(str)
    frame.loc[3, "score"] = "high"
    frame.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(DataError, match=r"log.csv: column 'score' is the score but 1 of its values are not numbers "
                                        r"\(e.g. 'high'\); set -p score_column"):
        read_pilot_log(tmp_path / "log.csv")


def test_an_outcome_with_three_values_is_refused_and_a_missing_role_asks_for_its_column(tmp_path: Path) -> None:
    frame = pilot_log(rows=50)
    frame.loc[:2, "actual"] = ["maybe", "true", "false"]
    frame.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(DataError, match=r"column 'actual' holds 3 distinct values.*-p outcome_column"):
        read_pilot_log(tmp_path / "log.csv", outcome_column="actual")
    frame.drop(columns=["decision"]).to_csv(tmp_path / "nodecision.csv", index=False)
    with pytest.raises(ConfigError, match=r"nodecision.csv: no column found for the decision taken.*"
                                          r"-p decision_column COLUMN"):
        read_pilot_log(tmp_path / "nodecision.csv")


def test_decisions_as_numbers_and_labels_other_than_the_outcomes(tmp_path: Path) -> None:
    frame = pilot_log(rows=60)
    frame["decision"] = (frame["decision"] == "true").astype(int)
    frame["actual"] = frame["actual"].map({"true": "no-show", "false": "attended"})
    frame.to_csv(tmp_path / "log.csv", index=False)
    log = read_pilot_log(tmp_path / "log.csv", positive_label="no-show")
    assert log.positive_label == "no-show" and set(log.outcome) <= {0.0, 1.0}
    assert log.decision.tolist() == (frame["decision"] == 1).astype(float).tolist()


def test_bad_parameters_are_one_line(folder: Path) -> None:
    with pytest.raises(ConfigError, match=r"`bootstrap` \(0\) and `min_group_size` \(30\) must be at least 1"):
        assess_from_params(PilotParams(data_path=str(folder / "steady.csv"), bootstrap=0))
    with pytest.raises(ConfigError, match=r"`feasibility_result` is '.*nowhere.json': no such file"):
        assess_from_params(PilotParams(data_path=str(folder / "steady.csv"), feasibility_result="nowhere.json"))
    with pytest.raises(DataError, match=r"pilot parameter `features`: colour not in both"):
        assess_from_params(PilotParams(data_path=str(folder / "steady.csv"), features=["colour"],
                                       baseline_path=str(folder / "appointments.csv")))


def test_roi_figures_are_read_for_the_use_case(folder: Path, tmp_path: Path) -> None:
    roi = {"stage": "roi", "subject": "portfolio", "verdict": "pilot", "score": 45.0, "findings": [],
           "metrics": {"currency": "EUR", "use_cases": {"no_show": {"npv": 35284.6, "risk_adjusted_npv": 12770.7,
                                                                    "prob_npv_positive": 0.76}},
                       "verdicts": {"no_show": "pilot"}, "not_valued": {}}}
    (tmp_path / "roi.json").write_text(json.dumps(roi), encoding="utf-8")
    report = _review(folder, "steady.csv", feasibility_result=str(feasibility_result(folder / "h.json")),
                     roi_result=str(tmp_path / "roi.json"))
    assert report.roi.npv == 35284.6 and report.roi.verdict == "pilot"
    table = report.roi_table().set_index("figure")["value"]
    assert table["NPV"] == "EUR 35,285" and table["P(NPV > 0)"] == "76%"


# ------------------------------------------------------------------------------ engagement and plan


def _engagement(tmp_path: Path, pilot: str) -> Path:
    folder = tmp_path / "client"
    (folder / "pilot").mkdir(parents=True)
    baseline_extract(rows=300).to_csv(folder / "appointments.csv", index=False)
    pilot_log(rows=200).to_csv(folder / "pilot" / "log.csv", index=False)
    (folder / "engagement.yaml").write_text(f"""client: Test Clinic
as_of: 2026-06-30
currency: EUR
tables:
  appointments: {{path: appointments.csv, key: appointment_id}}
use_cases:
  - id: no_show
    title: Predict no-shows
    table: appointments
    target: no_show
    positive: "true"
    protected: [gender, age_band]
    value: {{true_positive: [12, 30, 45], false_positive: -2.5, decisions_per_year: 30000}}
    benefit: {{shape: model_decisions, adoption: [0.4, 0.6, 0.85]}}
{pilot}""", encoding="utf-8")
    return folder / "engagement.yaml"


def test_an_engagement_pilot_section_plans_one_review(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement
    from readiness.planning import plan_jobs

    engagement = load_engagement(_engagement(tmp_path, "    pilot: {log: pilot/log.csv, score_column: score}\n"))
    pilot = engagement.use_cases[0].pilot
    assert pilot is not None and pilot.log == tmp_path / "client" / "pilot" / "log.csv"
    assert "pilot" not in engagement.use_cases[0].extra  # the ROI stage never sees it
    jobs = [job for job in plan_jobs(engagement, results_root=tmp_path / "run") if job.stage == "pilot"]
    assert len(jobs) == 1 and jobs[0].rel_base == "pilot/no_show" and jobs[0].wave == 2
    params = jobs[0].parameters
    assert params["data_path"] == str(pilot.log) and params["score_column"] == "score"
    assert params["baseline_path"] == str(tmp_path / "client" / "appointments.csv")
    assert params["feasibility_result"] == str(tmp_path / "run" / "feasibility" / "no_show.json")
    assert params["group_columns"] == ["gender", "age_band"] and params["positive_label"] == "true"
    assert params["value"]["adoption"] == [0.4, 0.6, 0.85]
    assert jobs[0].optional_inputs == ("feasibility_result", "roi_result")
    summary = next(job for job in plan_jobs(engagement, results_root=tmp_path / "run") if job.stage == "summary")
    assert summary.parameters["expected"]["pilot"] == ["no_show"]


def test_no_pilot_section_plans_no_review(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement
    from readiness.planning import plan_jobs

    engagement = load_engagement(_engagement(tmp_path, ""))
    assert not [job for job in plan_jobs(engagement, results_root=tmp_path / "run") if job.stage == "pilot"]


@pytest.mark.parametrize(("pilot", "message"), [
    ("    pilot: {log: pilot/log.csv, score_colum: score}\n",
     r"use_cases\[0\].pilot.score_colum: unknown key; did you mean 'score_column'\?"),
    ("    pilot: {logs: pilot/log.csv}\n", r"use_cases\[0\].pilot.log: missing required key; write the decision log"),
    ("    pilot: {log: ../../elsewhere.csv}\n", r"use_cases\[0\].pilot.log: '../../elsewhere.csv' lies outside"),
])
def test_a_wrong_pilot_section_is_one_line(tmp_path: Path, pilot: str, message: str) -> None:
    from readiness.engagement import load_engagement

    with pytest.raises(ConfigError, match=message):
        load_engagement(_engagement(tmp_path, pilot))


def test_the_planned_review_runs_on_what_the_engagement_gives(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement
    from readiness.planning import plan_jobs

    engagement = load_engagement(_engagement(tmp_path, "    pilot: {log: pilot/log.csv}\n"))
    job = next(j for j in plan_jobs(engagement, results_root=tmp_path / "run") if j.stage == "pilot")
    params = {**job.without_missing_inputs().parameters, "bootstrap": 50}
    assert params["feasibility_result"] == "" and params["roi_result"] == ""  # the earlier stages wrote nothing
    report = assess_from_params(PilotParams.from_mapping(params))
    assert report.result.subject == "no_show" and report.value.values.adoption == 0.6
    assert set(pd.unique(report.fairness["attribute"])) == {"gender", "age_band"}


def test_readiness_check_names_a_missing_pilot_log(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement
    from readiness.engagement.usecases import use_case_problems

    engagement = load_engagement(_engagement(tmp_path, "    pilot: {log: pilot/gone.csv}\n"))
    problems = use_case_problems(engagement, {})
    assert problems == [f"engagement.yaml: use_cases[0] (no_show).pilot.log: no file at "
                        f"{tmp_path / 'client' / 'pilot' / 'gone.csv'}; copy the pilot's decision log there or fix "
                        "the path"]


def test_rows_without_a_score_or_decision_are_left_out_and_said(tmp_path: Path) -> None:
    frame = pilot_log(rows=80)
    frame.loc[:4, "score"] = None
    frame.to_csv(tmp_path / "log.csv", index=False)
    log = read_pilot_log(tmp_path / "log.csv")
    assert int(log.scored.sum()) == 75
    assert next(a for a in log.assumed if a.parameter == "rows left out").value == "5 of 80"
