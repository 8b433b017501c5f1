"""The ROI notebook: its parameters are the scripted interface; it runs standalone and from feasibility results."""

from __future__ import annotations

import json
from pathlib import Path

import papermill
import pytest

from readiness.notebooks import NOTEBOOKS_DIR
from readiness.render import render_notebook
from readiness.results import StageResult

NOTEBOOK = NOTEBOOKS_DIR / "04_roi.ipynb"
INTERFACE = ["use_cases", "feasibility_dir", "horizon_years", "discount_rate", "currency", "draws", "seed",
             "client", "results_dir"]


def test_parameters_are_the_scripted_interface_with_help() -> None:
    params = papermill.inspect_notebook(str(NOTEBOOK))
    assert sorted(params) == sorted(INTERFACE)
    assert all(p["help"] for p in params.values())
    assert params["draws"]["default"] == "10000" and params["horizon_years"]["default"] == "3"


def test_committed_notebook_has_no_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def _run(tmp_path: Path, **parameters) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "roi.ipynb"),
                               parameters={"results_dir": str(tmp_path), "draws": 2000, **parameters},
                               kernel_name="python3", progress_bar=False)
    return json.loads((tmp_path / "roi.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_default_notebook_assesses_the_sample_client(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert (result["stage"], result["subject"]) == ("roi", "portfolio")
    assert set(result["metrics"]["use_cases"]) == {"no_show", "ticket_triage", "demand_forecast", "churn"}
    assert result["metrics"]["verdicts"]["churn"] == "hold"  # the sample holds one use case that does not pay
    assert result["metrics"]["use_cases"]["churn"]["payback_months"] is None
    assert result["metrics"]["use_cases"]["no_show"]["prob_npv_positive"] > 0.5
    html = render_notebook(tmp_path / "roi.ipynb", tmp_path / "roi.html", title="Return on investment",
                           generated_on="2026-06-30").read_text(encoding="utf-8")
    assert "No-show prediction: pays back in" in html and "data:image/png;base64" in html
    assert "assess_roi(" not in html  # no code in the report


@pytest.mark.slow
def test_notebook_reads_the_feasibility_folder(tmp_path: Path) -> None:
    feasibility = tmp_path / "feasibility"
    StageResult("feasibility", "no_show", "go", 80.0,
                metrics={"confusion_matrix": {"tp": 10, "fp": 20, "fn": 5, "tn": 65}, "threshold": 0.2,
                         "rows": 100}).save(feasibility / "no_show.json")
    case = {"id": "no_show", "title": "Predict appointment no-shows", "table": "appointments", "target": "no_show",
            "value": {"true_positive": 38, "false_positive": -2, "false_negative": 0, "true_negative": 0,
                      "decisions_per_year": 1000},
            "benefit": {"ramp_months": 0}, "costs": {"build": 1000}}
    result = _run(tmp_path / "out", use_cases=[case], feasibility_dir=str(feasibility), horizon_years=1,
                  discount_rate=0.0)
    assert result["metrics"]["use_cases"]["no_show"]["cash_flows"] == [-1000.0, 3400.0]
    assert result["metrics"]["p_success"]["no_show"]["source"] == "feasibility verdict"
