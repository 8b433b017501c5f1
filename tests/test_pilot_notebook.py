"""The pilot review notebook: thin, with typed parameters; on the sample pilot it reports the planted drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import papermill
import pytest
import yaml

from conftest import SAMPLE_DIR
from readiness.notebooks import NOTEBOOKS_DIR
from readiness.pilot import PilotParams
from readiness.render import render_notebook
from readiness.results import StageResult
from readiness.sync import notebook_parameters_source

NOTEBOOK = NOTEBOOKS_DIR / "06_pilot_review.ipynb"
PILOT_DIR = SAMPLE_DIR / "pilot"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_parameters_cell_is_the_models_and_the_notebook_is_thin() -> None:
    assert notebook_parameters_source(NOTEBOOK) == PilotParams.parameters_cell()
    assert list(papermill.inspect_notebook(str(NOTEBOOK))) == list(PilotParams.model_fields)
    code = ["".join(c["source"]) for c in _cells() if c["cell_type"] == "code"]
    assert "params = PilotParams.from_namespace(globals())" in code[1]
    assert code[2] == "report = assess_from_params(params)\nsaved = save_report(report, params.results_dir)"
    assert all(len(source.splitlines()) <= 6 for source in code[1:])  # glue only, no logic
    assert "display.assumptions_table(report.assumed)" in code


def test_committed_notebook_has_no_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb["cells"]
               if c["cell_type"] == "code")


def _planted() -> dict:
    path = PILOT_DIR / "planted.yaml"
    if not path.exists():
        pytest.skip("the sample pilot (sample_data/harbour_physio/pilot/) is not generated")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_sample_pilots_planted_drift_is_reported(tmp_path: Path) -> None:
    """``papermill notebooks/06_pilot_review.ipynb`` on the sample pilot against the assessed extract."""
    planted = _planted()
    out = tmp_path / "no_show.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
        parameters={"data_path": str(PILOT_DIR / "no_show_pilot.csv"), "use_case": "no_show",
                    "baseline_path": str(SAMPLE_DIR / "appointments.csv"), "group_columns": ["gender", "age_band"],
                    "value": {"true_positive": [12, 30, 45], "false_positive": [-5, -2.5, -1],
                              "decisions_per_year": 30000, "adoption": [0.4, 0.6, 0.85]},
                    "bootstrap": 300, "results_dir": str(tmp_path)})
    result = StageResult.load(tmp_path / "no_show.json")
    drift = result.metrics["drift"]
    for feature, expected in planted["drift"]["features"].items():
        assert drift[feature] == pytest.approx(expected["psi"], abs=5e-5), feature
        assert result.metrics["drift_bands"][feature] == expected["band"], feature
    significant = {f.column for f in result.findings if f.code == "PILOT_DRIFT_SIGNIFICANT"}
    assert significant == {f for f, e in planted["drift"]["features"].items() if e["band"] == "significant"}
    assert "channel" in significant and "channel" in set(planted["drift"]["planted"])
    assert {f.column for f in result.findings if f.code == "PILOT_DRIFT_MODERATE"} >= {"age_band"}
    outcome = planted["outcome"]
    assert result.metrics["realised"]["roc_auc"]["realised"] == pytest.approx(outcome["auc"], abs=5e-4)
    assert result.metrics["realised"]["precision"]["realised"] == pytest.approx(outcome["precision"], abs=5e-4)
    assert result.metrics["calibration"]["brier"] == pytest.approx(outcome["brier"], abs=5e-4)
    assert result.metrics["calibration"]["observed_to_expected"] == pytest.approx(outcome["observed_to_expected"],
                                                                                  abs=5e-4)
    assert result.verdict == "adjust" and result.metrics["checks"]["drift"] == "amber"
    html = render_notebook(out, tmp_path / "no_show.html", title="Pilot review: no_show",
                           generated_on="2027-04-01").read_text(encoding="utf-8")
    assert "PILOT_DRIFT_SIGNIFICANT" in html and "Population stability index per feature" in html
    ids = re.compile(r"\b[AC]0\d{4,5}\b")  # appointment and customer ids of the log
    assert not ids.search(html) and not ids.search((tmp_path / "no_show.json").read_text(encoding="utf-8"))
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)


@pytest.mark.slow
def test_bare_run_reviews_the_sample_pilot(tmp_path: Path) -> None:
    """``papermill notebooks/06_pilot_review.ipynb out.ipynb`` with no parameter, from another folder."""
    _planted()
    papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3",
                               progress_bar=False, cwd=str(tmp_path), parameters={"bootstrap": 100})
    result = StageResult.load(tmp_path / "no_show_pilot.json")
    assumed = {a["parameter"]: a["value"] for a in result.metrics["assumed"]}
    assert assumed["outcome_column"] == "no_show" and assumed["date_column"] == "decided_at"
    assert {"PILOT_NO_ESTIMATE", "PILOT_NO_BASELINE", "PILOT_NO_VALUE_INPUTS"} <= {f.code for f in result.findings}


@pytest.mark.slow
def test_a_run_whose_use_case_names_a_pilot_log_reviews_it(later_report_dir: Path) -> None:
    """``readiness run`` on the later extract with ``pilot: {log: ...}`` added to its no-show use case."""
    _planted()
    report = later_report_dir / "pilot"
    result = StageResult.load(report / "no_show.json")
    assert (report / "no_show.html").exists()
    m = result.metrics
    assert m["estimate"]["source"] == "no_show.json" and m["headline_metric"]["position"] is not None
    assert m["roi"]["source"] == "roi.json" and m["value"]["adoption"] == 0.6
    assert "channel" in {f.column for f in result.findings if f.code == "PILOT_DRIFT_SIGNIFICANT"}
