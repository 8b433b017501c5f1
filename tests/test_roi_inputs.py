"""ROI inputs: a wrong one is a ConfigError naming the use case and the field; a missing one makes it not valued."""

from __future__ import annotations

import copy
import json

import pytest

from readiness.errors import ConfigError
from readiness.roi import ROI_NOT_VALUED, assess_roi, parse_use_cases
from readiness.roi.inputs import Uncertain, parse_uncertain

TRIAGE = {"id": "ticket_triage", "title": "Ticket triage",
          "benefit": {"shape": "time_saved", "hours_saved_per_year": [100, 150, 250], "hourly_rate": 30},
          "costs": {"build": [1000, 2000, 4000], "licences": 900}}
NO_SHOW = {"id": "no_show", "value": {"true_positive": 38, "false_positive": -2, "decisions_per_year": 30000},
           "costs": {"build": [8000, 12000, 20000], "run_per_year": [2400, 3600, 6000]}}


def _with(case: dict, path: str, value) -> dict:
    changed = copy.deepcopy(case)
    *parents, last = path.split(".")
    target = changed
    for key in parents:
        target = target[key]
    target[last] = value
    return changed


def _error(use_cases, **kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        assess_roi(use_cases, draws=10, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize(("path", "value", "field"), [
    ("costs.build", [4000, 2000, 1000], "costs.build"),
    ("benefit.hours_saved_per_year", [300, 150, 250], "benefit.hours_saved_per_year"),
    ("benefit.hourly_rate", {"low": 40, "likely": 30, "high": 35}, "benefit.hourly_rate"),
])
def test_low_above_high_or_likely_outside(path, value, field) -> None:
    message = _error([_with(TRIAGE, path, value)])
    assert "ticket_triage" in message and field in message


@pytest.mark.parametrize(("path", "value", "field"), [
    ("benefit.hours_saved_per_year", [-10, 150, 250], "benefit.hours_saved_per_year"),
    ("costs.licences", -900, "costs.licences"),
    ("benefit.adoption", [0.5, 0.8, 1.2], "benefit.adoption"),
    ("benefit.rework_share", -0.1, "benefit.rework_share"),
])
def test_negative_volumes_and_rates(path, value, field) -> None:
    message = _error([_with(TRIAGE, path, value)])
    assert "ticket_triage" in message and field in message


def test_negative_decisions_per_year() -> None:
    message = _error([_with(NO_SHOW, "value.decisions_per_year", -5)])
    assert "no_show" in message and "value.decisions_per_year" in message


@pytest.mark.parametrize("rate", [-0.01, 1.0, 1.5, "8%"])
def test_discount_rate_outside_zero_one(rate) -> None:
    assert "discount_rate" in _error([TRIAGE], discount_rate=rate)


@pytest.mark.parametrize("years", [0, -1, 2.5, True])
def test_horizon_zero_or_not_whole(years) -> None:
    assert "horizon_years" in _error([TRIAGE], horizon_years=years)


def _not_valued(use_cases, case_id: str, **kwargs) -> dict:
    """What the report says about a use case it could not value (it must not raise)."""
    result = assess_roi(use_cases, draws=10, **kwargs).result
    assert result.metrics["verdicts"][case_id] == "not_valued"
    assert case_id not in result.metrics["use_cases"] and case_id not in result.metrics["ranking"]
    flagged = [f for f in result.findings if f.code == ROI_NOT_VALUED and f.evidence["use_case"] == case_id]
    assert len(flagged) == 1 and flagged[0].severity == "warning"
    entry = result.metrics["not_valued"][case_id]
    assert flagged[0].evidence == {"use_case": case_id, "reason": entry["reason"], "to_add": entry["to_add"]}
    return entry


def test_model_based_use_case_without_feasibility_result(tmp_path) -> None:
    entry = _not_valued([NO_SHOW], "no_show", feasibility_dir=str(tmp_path))
    assert entry["reason"] == ("its model decisions are valued from the feasibility result's confusion matrix, but "
                               f"there is no no_show.json in the feasibility folder '{tmp_path.name}'")
    assert str(tmp_path.parent) not in entry["reason"]  # no run-specific path in the result
    assert entry["to_add"] == ("run the feasibility notebook for it first, or give feasibility: {confusion_matrix: "
                               "{tp, fp, fn, tn}}")
    entry = _not_valued([NO_SHOW], "no_show", feasibility_dir="")
    assert "`feasibility_dir` is empty" in entry["reason"]
    assert entry["to_add"].startswith("run the feasibility notebook for it first")


@pytest.mark.parametrize("verdict", ["go", "pilot"])
@pytest.mark.parametrize("metrics", [{"rows": 10}, {"rows": 10, "confusion_matrix": None}])
def test_model_based_use_case_with_a_failed_feasibility_result(tmp_path, verdict, metrics) -> None:
    # only a not_yet verdict explains a missing matrix; any other verdict without one is a failed run
    (tmp_path / "no_show.json").write_text(json.dumps(
        {"stage": "feasibility", "subject": "no_show", "verdict": verdict, "metrics": metrics}))
    entry = _not_valued([NO_SHOW], "no_show", feasibility_dir=str(tmp_path))
    assert entry["reason"] == (f"its feasibility result (feasibility/no_show.json) has no confusion matrix although "
                               f"its verdict is '{verdict}': the feasibility run failed or stopped early")
    assert entry["to_add"].startswith("fix and rerun the feasibility notebook for it")


def test_malformed_counts_in_a_feasibility_result_are_still_an_error(tmp_path) -> None:
    (tmp_path / "no_show.json").write_text(json.dumps(
        {"stage": "feasibility", "subject": "no_show", "verdict": "go", "metrics": {"confusion_matrix": {"tp": 3}}}))
    message = _error([NO_SHOW], feasibility_dir=str(tmp_path))
    assert "no_show" in message and "metrics.confusion_matrix" in message


def test_feasibility_result_with_an_unknown_verdict(tmp_path) -> None:
    (tmp_path / "ticket_triage.json").write_text(json.dumps({"verdict": "maybe", "metrics": {}}))
    message = _error([TRIAGE], feasibility_dir=str(tmp_path))
    assert "ticket_triage" in message and "verdict" in message


def test_feasibility_dir_that_is_not_a_folder(tmp_path) -> None:
    assert "feasibility_dir" in _error([TRIAGE], feasibility_dir=str(tmp_path / "nowhere"))


def test_unknown_benefit_shape_names_the_closest() -> None:
    message = _error([_with(TRIAGE, "benefit.shape", "time_save")])
    assert "ticket_triage" in message and "benefit.shape" in message and "'time_saved'" in message


def test_unknown_cost_and_input_names_suggest_the_closest() -> None:
    message = _error([_with(TRIAGE, "costs.licenses", 100)])
    assert "costs.licenses" in message and "'licences'" in message
    message = _error([_with(TRIAGE, "benefit.hourly_rte", 30)])
    assert "benefit.hourly_rte" in message and "'hourly_rate'" in message


def test_missing_required_input_and_costs() -> None:
    case = copy.deepcopy(TRIAGE)
    del case["benefit"]["hourly_rate"]
    entry = _not_valued([case], "ticket_triage")
    assert entry["reason"] == "its time_saved benefit lacks `benefit.hourly_rate`"
    assert entry["to_add"] == ("add benefit.hourly_rate (loaded hourly rate, money per hour), a number or "
                               "[low, likely, high]")
    case = copy.deepcopy(TRIAGE)
    del case["costs"]
    entry = _not_valued([case], "ticket_triage")
    assert entry["reason"] == "no `costs` are given"
    assert entry["to_add"] == "add costs: {build: [low, likely, high], run_per_year: [low, likely, high]}"
    assert _not_valued([dict(TRIAGE, costs={})], "ticket_triage") == entry


def test_revenue_needs_exactly_one_of_uplift_or_churn() -> None:
    churn = {"id": "churn", "benefit": {"shape": "revenue", "customers": 2000, "margin_per_customer": 120},
             "costs": {"build": 1000}}
    entry = _not_valued([churn], "churn")
    assert "churn_reduction" in entry["reason"] and "uplift" in entry["reason"]
    assert entry["to_add"].startswith("add benefit.uplift (with customers and margin_rate)")
    both = _with(churn, "benefit.uplift", 5)
    both["benefit"]["churn_reduction"] = 0.01
    assert "found both" in _error([both])


def test_typo_in_a_top_level_key_is_caught_other_stages_keys_are_ignored() -> None:
    typo = dict(TRIAGE, p_sucess=0.9)
    assert "p_sucess" in _error([typo]) and "'p_success'" in _error([typo])
    other = dict(TRIAGE, table="support_tickets", target="category", kind="text_classification")
    assert parse_use_cases([other])[0].id == "ticket_triage"


def test_p_success_outside_zero_one_and_duplicate_ids() -> None:
    assert "p_success" in _error([dict(TRIAGE, p_success=1.5)])
    assert "already used" in _error([TRIAGE, TRIAGE])


def test_value_with_a_non_model_shape_is_refused() -> None:
    assert "`value`" in _error([dict(TRIAGE, value={"true_positive": 3})])


def test_parse_uncertain_forms() -> None:
    assert parse_uncertain(5, where="x") == Uncertain(5.0, 5.0, 5.0)
    assert parse_uncertain([1, 2, 3], where="x") == Uncertain(1.0, 2.0, 3.0, "pert")
    assert parse_uncertain({"low": 1, "likely": 2, "high": 3, "distribution": "triangular"}, where="x").distribution \
        == "triangular"
    for bad in ([1, 2], "10", None, [1, "a", 3], {"low": 1, "high": 3}):
        with pytest.raises(ConfigError):
            parse_uncertain(bad, where="x")


def test_defaults_fill_optional_inputs() -> None:
    case = parse_use_cases([TRIAGE])[0]
    assert case.inputs["benefit.adoption"] == Uncertain(1.0, 1.0, 1.0)
    assert case.inputs["benefit.rework_share"] == Uncertain(0.0, 0.0, 0.0)
    assert "benefit.adoption" not in case.given and "costs.build" in case.given
    assert case.ramp_months == 6.0
