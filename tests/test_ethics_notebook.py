"""The ethics notebook runs with its sample defaults and writes the stage result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT, SAMPLE_DIR

NOTEBOOK = PROJECT_ROOT / "notebooks" / "03_ethics.ipynb"


def test_parameters_are_documented() -> None:
    papermill = pytest.importorskip("papermill")
    params = papermill.inspect_notebook(str(NOTEBOOK))
    expected = {"data_path", "protected", "target", "positive_label", "prediction_column", "predictions_path",
                "domain", "reference_groups", "text_columns", "checklist_path", "results_dir", "use_case", "title",
                "sheet", "client"}
    assert expected <= set(params)
    assert all(p["help"] for p in params.values())


@pytest.mark.slow
def test_notebook_runs_on_the_sample_client(tmp_path: Path) -> None:
    """A bare run reads the sample's appointments alone and detects what the engagement would state."""
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "no_show.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"results_dir": str(tmp_path)},
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    result = json.loads((tmp_path / "no_show.json").read_text(encoding="utf-8"))
    assert result["stage"] == "ethics" and result["verdict"] in ("green", "amber", "red")
    assert 0 <= result["score"] <= 100
    assert result["metrics"]["protected"] == ["age_band", "gender"]  # what the engagement states, detected
    assumed = {a["parameter"]: a["value"] for a in result["metrics"]["assumed"]}
    assert assumed["target"] == "no_show" and assumed["use_case"] == "no_show"
    codes = {f["code"] for f in result["findings"]}
    assert {"ETH_BASE_RATE_DISPARITY", "ETH_NO_PREDICTIONS"} <= codes
    # no other table of the sample is scanned unless named
    assert {p["table"] for p in result["metrics"]["personal_data"]} <= {"appointments"}
    text = out.read_text(encoding="utf-8")
    personal = yaml.safe_load((SAMPLE_DIR / "planted.yaml").read_text(encoding="utf-8"))["personal_values"]
    assert not [v for v in personal if v in text]
    assert '"output_type": "error"' not in text
