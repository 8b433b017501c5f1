"""The ROI notebook: its parameters are the scripted interface; it runs standalone and from feasibility results."""

from __future__ import annotations

import json
from pathlib import Path

import papermill
import pytest

from readiness.notebooks import NOTEBOOKS_DIR
from readiness.render import render_notebook
from readiness.results import StageResult
from readiness.roi import RoiParams
from readiness.sync import notebook_parameters_source

NOTEBOOK = NOTEBOOKS_DIR / "04_roi.ipynb"
INTERFACE = ["data_path", "use_cases", "feasibility_dir", "horizon_years", "discount_rate", "currency", "draws", "seed",
             "client", "results_dir"]


def test_parameters_are_the_scripted_interface_with_help() -> None:
    params = papermill.inspect_notebook(str(NOTEBOOK))
    assert sorted(params) == sorted(INTERFACE)
    assert all(p["help"] for p in params.values())
    assert params["draws"]["default"] == "10000" and params["horizon_years"]["default"] == "3"
    assert params["data_path"]["default"] == '"sample_data/harbour_physio/engagement.yaml"'
    assert notebook_parameters_source(NOTEBOOK) == RoiParams.parameters_cell()


def test_notebook_calls_the_entry_and_shows_what_was_assumed_and_not_valued() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert "params = RoiParams.from_namespace(globals())" in code[1]
    assert "report = assess_from_params(params)" in code[2]
    assert "display.assumptions_table(report.assumed)" in code
    assert "views.not_valued_view(report)" in code
    headings = [c["source"][0].strip() for c in cells if c["cell_type"] == "markdown"]
    assert headings.index("## What was assumed") < headings.index("## Use cases not valued") < \
        headings.index("## Ranking")


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
def test_bare_run_values_the_sample_engagement(tmp_path: Path) -> None:
    """``papermill notebooks/04_roi.ipynb out.ipynb`` with no parameter at all, from another folder."""
    papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3",
                               progress_bar=False, cwd=str(tmp_path))
    result = json.loads((tmp_path / "roi.json").read_text(encoding="utf-8"))
    m = result["metrics"]
    assert (result["stage"], result["subject"]) == ("roi", "portfolio")
    # the engagement's model-based use case has no feasibility result in a bare run
    assert list(m["verdicts"]) == ["no_show", "churn", "demand_forecast", "ticket_triage"]
    assert m["verdicts"]["no_show"] == "not_valued" and set(m["not_valued"]) == {"no_show"}
    assert set(m["use_cases"]) == {"churn", "demand_forecast", "ticket_triage"} == set(m["ranking"])
    assert m["verdicts"]["churn"] == "hold"  # the sample holds one use case that does not pay
    assert m["use_cases"]["churn"]["payback_months"] is None
    assert [a["parameter"] for a in m["assumed"]] == ["use_cases", "feasibility_dir"]
    assert m["assumed"][0]["value"] == "4 from engagement.yaml"


@pytest.mark.slow
def test_default_notebook_assesses_the_sample_client(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert (result["stage"], result["subject"]) == ("roi", "portfolio")
    assert set(result["metrics"]["use_cases"]) == {"ticket_triage", "demand_forecast", "churn"}
    assert result["metrics"]["verdicts"]["no_show"] == "not_valued"
    assert result["metrics"]["use_cases"]["ticket_triage"]["prob_npv_positive"] > 0.5
    html = render_notebook(tmp_path / "roi.ipynb", tmp_path / "roi.html", title="Return on investment",
                           generated_on="2026-06-30").read_text(encoding="utf-8")
    assert "Route support tickets by category: pays back in" in html and "data:image/png;base64" in html
    assert "Predict appointment no-shows is not valued" in html and "Use cases not valued" in html
    assert "4 from engagement.yaml" in html  # what was assumed
    assert "assess_from_params(" not in html  # no code in the report


@pytest.mark.slow
def test_notebook_with_no_valued_use_case_is_incomplete(tmp_path: Path) -> None:
    result = _run(tmp_path, use_cases=[{"id": "triage", "title": "Ticket triage"}])
    assert (result["verdict"], result["score"]) == ("incomplete", None)
    assert result["metrics"]["use_cases"] == {} and list(result["metrics"]["not_valued"]) == ["triage"]
    html = render_notebook(tmp_path / "roi.ipynb", tmp_path / "roi.html", title="Return on investment",
                           generated_on="2026-06-30").read_text(encoding="utf-8")
    assert "No use case could be valued" in html


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
    assert result["metrics"]["use_cases"]["no_show"]["cash_flows"] == pytest.approx([-1000.0, 3400.0], abs=1e-9)
    assert result["metrics"]["p_success"]["no_show"]["source"] == "feasibility verdict"
