"""assess_ethics end to end on hand-made frames, bad input, the planted sample client and real data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_DIR, SHARED_DATA
from readiness.errors import ConfigError, DataError
from readiness.ethics import assess_ethics, save_report
from readiness.sources.pandas import load_tables
from readiness.tables import load_table


def _frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gender = rng.choice(["F", "M"], n)
    churned = np.where(rng.random(n) < np.where(gender == "F", 0.2, 0.4), "yes", "no")
    return pd.DataFrame({
        "id": [f"K{i:04d}" for i in range(n)], "gender": gender, "site": rng.choice(["a", "b"], n),
        "visits": rng.integers(1, 9, n).astype(float), "churned": churned,
        "flagged": np.where(rng.random(n) < np.where(gender == "M", 0.5, 0.2), "yes", "no"),
    })


def _codes(report) -> set[str]:
    return {f.code for f in report.result.findings}


def test_data_level_only_by_default_and_metric_names() -> None:
    report = assess_ethics(_frame(), use_case="churn", protected=["gender"], target="churned",
                           positive_label="yes", domain="churn_prediction", reference_groups={"gender": "F"},
                           n_boot=50)
    m = report.result.metrics
    assert report.result.stage == "ethics" and report.result.subject == "churn"
    assert "ETH_NO_PREDICTIONS" in _codes(report) and not report.model_level
    assert m["checks"]["model_fairness"] is None and m["demographic_parity_difference"] == {}
    rates = report.group_rates.set_index("group")
    frame = _frame()
    rate = {g: (frame.churned[frame.gender == g] == "yes").mean() for g in ("F", "M")}
    assert rates.loc["M", "base_rate"] == pytest.approx(rate["M"])
    assert m["disparate_impact"]["gender"]["M"] == pytest.approx(rate["M"] / rate["F"])
    assert m["statistical_parity_difference"]["gender"]["M"] == pytest.approx(rate["M"] - rate["F"])
    assert m["statistical_parity_difference"]["gender"]["F"] == 0.0 and m["reference_groups"] == {"gender": "F"}


def test_model_level_from_a_prediction_column() -> None:
    report = assess_ethics(_frame(), use_case="churn", protected=["gender"], target="churned",
                           positive_label="yes", prediction_column="flagged", domain="churn_prediction", n_boot=50)
    m = report.result.metrics
    assert report.model_level and m["checks"]["model_fairness"] in ("green", "amber", "red")
    assert set(m["demographic_parity_difference"]) == {"gender"}
    assert set(m["fpr_disparity"]["gender"]) == {"F", "M"} and set(m) >= {"fnr_disparity", "fdr_disparity",
                                                                          "for_disparity", "pprev_disparity"}
    ref = m["reference_groups"]["gender"]
    assert m["pprev_disparity"]["gender"][ref] == 1.0
    assert "ETH_MODEL_DISPARITY" in _codes(report)  # selection rate 0.5 vs 0.2 is far outside the band


def test_group_rates_counted_on_the_full_table_replace_the_samples() -> None:
    from readiness.ethics.bias import rates_from_counts

    n = 400  # a sample in which both genders churn at 30%
    sample = pd.DataFrame({"gender": ["F", "M"] * (n // 2), "visits": np.arange(n) % 7 + 1.0,
                           "churned": np.where((np.arange(n) // 2) % 10 < 3, "yes", "no")})
    options = {"use_case": "churn", "protected": ["gender"], "target": "churned", "positive_label": "yes",
               "n_boot": 50}
    own = assess_ethics(sample, **options)
    assert "ETH_BASE_RATE_DISPARITY" not in _codes(own) and own.lights["data_bias"] == "green"
    # on the whole table M churns at twice F's rate
    full = rates_from_counts(pd.DataFrame({"group": ["F", "M"], "rows": [6_000, 4_000], "positives": [900, 1_200]}),
                             attribute="gender", n_boot=50)
    report = assess_ethics(sample, **options, group_rates=full)
    pd.testing.assert_frame_equal(report.group_rates, full)
    assert "ETH_BASE_RATE_DISPARITY" in _codes(report) and report.lights["data_bias"] == "amber"
    m = report.result.metrics
    assert m["disparate_impact"]["gender"]["M"] == 2.0 and m["group_size"]["gender"] == {"F": 6_000, "M": 4_000}
    assert m["positive_rate"] == 2_100 / 10_000 and own.result.metrics["positive_rate"] == 0.3
    assert [r["rows"] for r in report.rates_records("gender")] == [6_000, 4_000]
    with pytest.raises(ConfigError, match="`group_rates` lacks the columns di_low"):
        assess_ethics(sample, **options, group_rates=full.drop(columns=["di_low"]))


def test_score_is_the_mean_of_the_lights(tmp_path: Path) -> None:
    frame = pd.DataFrame({"visits": [1.0, 2.0, 3.0]})
    answers = tmp_path / "a.yaml"
    from readiness.ethics.checklist import checklist_items

    answers.write_text("".join(f"{i}: yes\n" for i in checklist_items()["id"]))
    clean = assess_ethics(frame, use_case="u", domain="scheduling", checklist_path=str(answers))
    assert clean.lights == {"personal_data": "green", "data_bias": None, "proxies": None, "model_fairness": None,
                            "regulation": "green", "checklist": "green"}
    assert (clean.result.verdict, clean.result.score) == ("green", 100.0)
    open_list = assess_ethics(frame, use_case="u", domain="scheduling")
    assert (open_list.result.verdict, open_list.result.score) == ("amber", pytest.approx(83.3))
    banned = assess_ethics(frame, use_case="u", domain="social_scoring")
    assert banned.result.verdict == "red" and banned.result.score == pytest.approx(50.0)
    saved = save_report(clean, tmp_path)["result"]
    assert saved.name == "u.json" and json.loads(saved.read_text())["verdict"] == "green"


def test_same_seed_same_result() -> None:
    a = assess_ethics(_frame(), use_case="c", protected=["gender"], target="churned", positive_label="yes", seed=3)
    b = assess_ethics(_frame(), use_case="c", protected=["gender"], target="churned", positive_label="yes", seed=3)
    assert a.result.to_dict() == b.result.to_dict()


# ------------------------------------------------------------------------------ bad input

def test_absent_protected_attribute_names_close_columns() -> None:
    with pytest.raises(DataError, match="`protected` names column 'gendr'.*closest are: gender"):
        assess_ethics(_frame(), use_case="c", protected=["gendr"])


def test_all_null_protected_attribute_is_a_finding() -> None:
    frame = _frame().assign(ethnicity=None)
    report = assess_ethics(frame, use_case="c", protected=["ethnicity", "gender"], target="churned",
                           positive_label="yes", n_boot=20)
    empty = [f for f in report.result.findings if f.code == "ETH_PROTECTED_EMPTY"]
    assert len(empty) == 1 and empty[0].column == "ethnicity" and empty[0].severity == "error"
    assert set(report.group_rates["attribute"]) == {"gender"}


def test_a_group_of_one_row_is_shown_and_marked() -> None:
    frame = _frame()
    frame.loc[0, "gender"] = "X"
    report = assess_ethics(frame, use_case="c", protected=["gender"], target="churned", positive_label="yes",
                           n_boot=20)
    rates = report.group_rates.set_index("group")
    assert rates.loc["X", "rows"] == 1 and rates.loc["X", "small"]
    small = [f for f in report.result.findings if f.code == "ETH_SMALL_GROUP"]
    assert small and small[0].evidence["groups"] == {"X": 1}
    assert "X" not in json.dumps([f.evidence for f in report.result.findings if f.code == "ETH_BASE_RATE_DISPARITY"])


def test_numeric_age_is_banded_with_a_finding() -> None:
    frame = _frame().assign(age=np.linspace(18, 80, 400).round())
    report = assess_ethics(frame, use_case="c", protected=["age"], target="churned", positive_label="yes", n_boot=20)
    binned = [f for f in report.result.findings if f.code == "ETH_PROTECTED_BINNED"]
    assert binned and "18-24, 25-34, 35-44, 45-64, 65+" in binned[0].message
    assert set(report.group_rates["group"]) == {"18-24", "25-34", "35-44", "45-64", "65+"}


def test_predictions_of_the_wrong_length_or_ids(tmp_path: Path) -> None:
    frame = _frame(50)
    path = tmp_path / "c.predictions.parquet"
    pd.DataFrame({"decision": [1, 0, 1]}).to_parquet(path)
    kw = dict(use_case="c", protected=["gender"], target="churned", positive_label="yes", n_boot=10)
    with pytest.raises(DataError, match="3 predictions for 50 data rows"):
        assess_ethics(frame, predictions_path=str(path), **kw)
    pd.DataFrame({"row_id": ["K0001", "Q0002"], "decision": [1, 0]}).to_parquet(path)
    with pytest.raises(DataError, match="key values not in the data"):
        assess_ethics(frame, predictions_path=str(path), key="id", **kw)
    pd.DataFrame({"row_id": [0, 1], "y_true": [frame.churned[0] != "yes", frame.churned[1] == "yes"],
                  "decision": [1, 0]}).to_parquet(path)
    with pytest.raises(DataError, match="y_true disagrees with 'churned' on 1 of 2 rows"):
        assess_ethics(frame, predictions_path=str(path), **kw)


def test_bad_parameters() -> None:
    kw = dict(use_case="c", protected=["gender"])
    with pytest.raises(ConfigError, match="reference_groups"):
        assess_ethics(_frame(), reference_groups={"site": "a"}, **kw)
    with pytest.raises(ConfigError, match="decision_effect"):
        assess_ethics(_frame(), decision_effect="harsh", **kw)
    with pytest.raises(DataError, match="`target` names column 'churn'"):
        assess_ethics(_frame(), target="churn", **kw)


def test_personal_data_never_reaches_the_result() -> None:
    frame = pd.DataFrame({"note": ["Please ring me back on 087 555 1234 about the invoice, thanks a lot"] * 3
                          + ["My email is maeve.walsh@example.ie if that is easier for you today"] * 3})
    report = assess_ethics(frame, use_case="c", text_columns=["note"])
    text = json.dumps(report.result.to_dict())
    assert "ETH_PII_IN_TEXT" in text and "555 1234" not in text and "maeve" not in text


# -------------------------------------------------------------------------- sample client

@pytest.fixture(scope="module")
def sample_report():
    others = load_tables({"customers": str(SAMPLE_DIR / "customers.csv"),
                          "support_tickets": str(SAMPLE_DIR / "support_tickets.csv")})
    return assess_ethics(load_table(SAMPLE_DIR / "appointments.csv", name="appointments"), use_case="no_show",
                         table="appointments", protected=["gender", "age_band"], target="no_show",
                         positive_label="true", domain="scheduling", other_tables=others, key="appointment_id",
                         checklist_path=str(SAMPLE_DIR / "ethics_checklist_answers.yaml"), n_boot=100, seed=42)


PLANTED = yaml.safe_load((SAMPLE_DIR / "planted.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("defect", [d for d in PLANTED["defects"] if d["stage"] == "ethics"], ids=lambda d: d["id"])
def test_planted_ethics_defects_are_found(sample_report, defect: dict) -> None:
    hits = [f for f in sample_report.result.findings if f.code == defect["code"] and f.column == defect["column"]]
    assert hits, f"{defect['code']} on {defect['table']}.{defect['column']} not found"
    if defect["code"] == "ETH_PROXY":
        assert hits[0].evidence["table"] == defect["table"] and hits[0].evidence["attribute"] == "gender"


def test_planted_age_gap_and_pii_in_ticket_text(sample_report) -> None:
    age = next(f for f in sample_report.result.findings
               if f.code == "ETH_BASE_RATE_DISPARITY" and f.column == "age_band")
    assert age.evidence["reference"] == "45-64"
    assert age.evidence["groups"]["18-24"]["rows"] == 8441
    assert age.evidence["groups"]["18-24"]["disparate_impact"] == pytest.approx(2.17, abs=0.01)
    planted = next(d for d in PLANTED["defects"] if d["id"] == "pii_in_ticket_text")
    text = [f for f in sample_report.result.findings if f.code == "ETH_PII_IN_TEXT" and f.column == "body"]
    assert {f.evidence["table"] for f in text} == {"support_tickets"}
    assert sum(f.evidence["rows"] for f in text) == planted["count"]
    dumped = json.dumps(sample_report.result.to_dict())
    assert not [v for v in PLANTED["personal_values"] if v in dumped]


def test_sample_lights_and_clean_columns(sample_report) -> None:
    assert sample_report.lights["proxies"] == "amber" and sample_report.lights["data_bias"] == "amber"
    assert sample_report.lights["regulation"] == "green" and sample_report.result.verdict == "amber"
    errors = {(f.column) for f in sample_report.result.findings if f.severity == "error"}
    assert not errors & set(PLANTED["clean_columns"]["appointments"])


ADULT = SHARED_DATA / "adult.csv"


@pytest.mark.skipif(not ADULT.exists(), reason="shared UCI Adult data not present")
def test_adult_through_assess_ethics() -> None:
    report = assess_ethics(load_table(ADULT), use_case="income", protected=["sex"], target="ltgt50k",
                           positive_label=">50K", n_boot=50)
    m = report.result.metrics
    assert round(m["disparate_impact"]["sex"]["Female"], 4) == 0.3580
    assert round(m["statistical_parity_difference"]["sex"]["Female"], 4) == -0.1963
    assert [(p["feature"], p["attribute"]) for p in m["strong_proxies"]] == [("relationship", "sex")]
    proxy = next(f for f in report.result.findings if f.code == "ETH_PROXY")
    assert proxy.column == "relationship" and proxy.evidence["association"] > 0.6


def test_predictions_for_a_multiclass_target_only_run_data_checks(tmp_path: Path) -> None:
    frame = _frame(60).assign(plan=lambda f: np.resize(["basic", "plus", "pro"], len(f)))
    path = tmp_path / "plan.predictions.parquet"
    pd.DataFrame({"row_id": range(60), "decision": frame["plan"]}).to_parquet(path)
    report = assess_ethics(frame, use_case="plan", protected=["gender"], target="plan", predictions_path=str(path))
    assert not report.model_level and "ETH_NO_BINARY_TARGET" in _codes(report)
    note = next(f for f in report.result.findings if f.code == "ETH_NO_PREDICTIONS")
    assert "no binary target" in note.message


def test_a_sample_reports_the_full_tables_rows() -> None:
    frame = pd.DataFrame({"gender": ["F", "M"] * 30, "no_show": [True, False, False] * 20})
    report = assess_ethics(frame, use_case="no_show", table="appointments", protected=["gender"], target="no_show",
                           positive_label="true", full_rows=6_000)
    assert (report.result.metrics["rows"], report.result.metrics["sample_rows"]) == (6_000, 60)
    assert report.cards["Rows"] == 6_000
    assert report.cards["Score"] == f"{report.result.score:.1f} / 100"
    with pytest.raises(ConfigError, match="full_rows is 10, fewer than the 60 rows"):
        assess_ethics(frame, use_case="no_show", table="appointments", protected=["gender"], full_rows=10)
