"""The runner: parallel notebooks, atomic output, failures isolated and reported."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from readiness import pipeline, planning
from readiness.engagement import load_engagement

pytestmark = pytest.mark.slow


def make_engagement(folder: Path) -> Path:
    frame = pd.DataFrame({"id": [f"A{i}" for i in range(30)], "amount": [str(i + 1) for i in range(30)]})
    frame.to_csv(folder / "a.csv", index=False)
    frame.head(10).to_csv(folder / "b.csv", index=False)
    doc = {
        "client": "Rerun Client",
        "as_of": "2026-06-30",
        "currency": "EUR",
        "tables": {"items": {"path": "a.csv", "key": "id"}, "more": {"path": "b.csv", "key": "id"}},
    }
    (folder / "engagement.yaml").write_text(yaml.safe_dump(doc))
    return folder / "engagement.yaml"


def failing_notebook(folder: Path, *, fail_for: str) -> Path:
    """A stand-in stage notebook that fails for one table and writes a valid result for others."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('table = ""\nresults_dir = "."')
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "from readiness.results import StageResult\n"
        f"if table == {fail_for!r}:\n"
        "    raise ValueError('stage broke on purpose')\n"
        "StageResult('quality', table, 'ready', 90.0).save(f'{results_dir}/{table}.json')"
    )
    nb.cells = [params, body]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "failing.ipynb"
    nbformat.write(nb, path)
    return path


def test_plan_jobs_translates_engagement_into_direct_parameters(tmp_path: Path) -> None:
    engagement = load_engagement(make_engagement(tmp_path))
    jobs = pipeline.plan_jobs(engagement, results_root=tmp_path / "work")
    assert [(j.stage, j.subject, j.rel_base) for j in jobs] == [
        ("quality", "items", "quality/items"),
        ("quality", "more", "quality/more"),
    ]
    params = jobs[0].parameters
    assert params["data_path"] == str((tmp_path / "a.csv").resolve())
    assert params["key"] == "id" and params["as_of"] == "2026-06-30"
    assert params["results_dir"] == str(tmp_path / "work" / "quality")
    json.dumps(params)  # papermill needs plain JSON values


def test_failed_notebook_is_reported_and_earlier_report_kept(tmp_path: Path, monkeypatch) -> None:
    engagement = make_engagement(tmp_path)
    out = tmp_path / "out"
    lines: list[str] = []
    first = pipeline.run_engagement(engagement, out=out, jobs=2, echo=lines.append)
    assert first.ok and first.report_dir == out / "rerun-client"
    assert len(lines) == 2 and all(": ok in " in line for line in lines)
    good_index = (first.report_dir / "index.html").read_text()

    broken = str(failing_notebook(tmp_path, fail_for="items"))
    stand_in = dataclasses.replace(planning.STAGES["quality"], notebook=broken)
    monkeypatch.setitem(planning.STAGES, "quality", stand_in)
    lines.clear()
    second = pipeline.run_engagement(engagement, out=out, jobs=2, echo=lines.append)
    assert [o.subject for o in second.failed] == ["items"]
    assert "ValueError: stage broke on purpose" in second.failed[0].error
    assert any("FAILED" in line for line in lines) and any(": ok in " in line for line in lines)
    # the earlier good report is untouched; the failed run is kept beside it for inspection
    assert (out / "rerun-client" / "index.html").read_text() == good_index
    assert second.report_dir == out / "rerun-client.failed"
    failed_page = (second.report_dir / "quality" / "items.html").read_text()
    assert "stage broke on purpose" in failed_page
    index = (second.report_dir / "index.html").read_text()
    assert "failed" in index.lower()
    record = json.loads((second.report_dir / "run.json").read_text())
    assert record["status"] == "failed"
    assert [n["status"] for n in record["notebooks"]] == ["failed", "ok"]
