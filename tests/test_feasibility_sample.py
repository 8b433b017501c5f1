"""Real and sample data: telco churn, the sample client's no-show leak and churn label, the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import PROJECT_ROOT, SAMPLE_DIR
from readiness.feasibility import FEAS_LABEL_LEAKAGE, FEAS_MISSING_FEATURE_VALUES, assess_feasibility
from readiness.tables import load_table

pytestmark = pytest.mark.slow

TELCO = Path(__file__).parents[2] / "shared/data/telco_customer_churn.csv"
PLANTED = yaml.safe_load((SAMPLE_DIR / "planted.yaml").read_text())


@pytest.mark.skipif(not TELCO.exists(), reason="shared/data/telco_customer_churn.csv is not present")
def test_telco_churn_is_a_go() -> None:
    report = assess_feasibility(load_table(TELCO), use_case="churn", target="Churn", seed=42)
    m = report.result.metrics
    assert 0.80 <= m["models"][m["best_model"]]["roc_auc"]["mean"] <= 0.88
    assert m["lift"]["ci"][0] > 0 and m["p_value"] < 0.01
    assert report.result.verdict == "go"
    assert m["positive_label"] == "Yes" and m["positive_rate"] == pytest.approx(1869 / 7043, abs=1e-4)
    blanks = [f for f in report.result.findings if f.code == FEAS_MISSING_FEATURE_VALUES]
    assert [(f.column, f.evidence["rows"]) for f in blanks] == [("TotalCharges", 11)]


def test_sample_no_show_leak_is_flagged_and_excluded_by_the_notebook(tmp_path: Path) -> None:
    import papermill

    # the engagement's choices, given as an analyst types them (the target is detected)
    parameters = {"results_dir": str(tmp_path), "time_column": "starts_at", "group_column": "customer_id",
                  "value": {"true_positive": 38, "false_positive": -2, "decisions_per_year": 42000}}
    papermill.execute_notebook(str(PROJECT_ROOT / "notebooks" / "02_feasibility.ipynb"), str(tmp_path / "out.ipynb"),
                               parameters=parameters, cwd=str(PROJECT_ROOT), kernel_name="python3", progress_bar=False)
    result = json.loads((tmp_path / "no_show.json").read_text())
    planted = next(d for d in PLANTED["defects"] if d["stage"] == "feasibility")
    leaks = [f for f in result["findings"] if f["code"] == planted["code"]]
    assert [f["column"] for f in leaks] == [planted["column"]] == ["late_cancel_fee_eur"]
    m = result["metrics"]
    assert planted["column"] not in m["features"] and m["excluded"][planted["column"]] == "leak"
    assert result["stage"] == "feasibility" and result["verdict"] in ("go", "pilot", "not_yet")
    assert m["cv"]["method"] == "time" and set(m["confusion_matrix"]) == {"tp", "fp", "fn", "tn"}
    assert m["value_at_tuned"]["per_decision"] >= m["value_at_0_5"]["per_decision"]
    assert 0 < m["threshold"] < 1 and m["learning_curve"]["at_2x"] is not None
    predictions = pd.read_parquet(tmp_path / "no_show.predictions.parquet")
    assert list(predictions.columns[:4]) == ["row_id", "row", "y_true", "score"]
    assert predictions["row_id"].str.fullmatch(r"A\d{6}").all()
    assert len(predictions) == sum(m["confusion_matrix"].values())


def test_sample_churn_label_is_learnable() -> None:
    report = assess_feasibility(load_table(SAMPLE_DIR / "customers.csv"), use_case="churn", target="churned",
                                positive_label="true")
    m = report.result.metrics
    assert m["rows_labelled"] == 4265 and m["positive_rate"] == pytest.approx(624 / 4265)
    assert {"visits_12m", "months_registered"} <= set(m["features"])
    assert not {"email", "phone", "full_name", "date_of_birth"} & set(m["features"])
    assert m["models"][m["best_model"]]["roc_auc"]["mean"] > 0.72
    assert FEAS_LABEL_LEAKAGE not in {f.code for f in report.result.findings}
