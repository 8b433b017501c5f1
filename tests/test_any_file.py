"""Every notebook runs on a file it has never seen, with only what an analyst would type.

The minimal calls of the README's "Run one notebook on any file" on the four real public extracts
in ``../shared/data``: data quality with the file alone, feasibility and ethics with a target.
The notebooks detect the rest and say what they assumed.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from readiness.kernels import limit_threads
from readiness.notebooks import NOTEBOOKS_DIR, NotebookJob, execute_job

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (SHARED_DATA / "adult.csv").exists(), reason="shared real data absent")]

FILES = {"telco": "telco_customer_churn.csv", "adult": "adult.csv", "bank": "bank_marketing.csv",
         "retail": "online_retail.csv"}
TARGETS = {"telco": "Churn", "adult": "ltgt50k", "bank": "y"}


def _jobs(out: Path) -> list[NotebookJob]:
    jobs = []
    for name, file in FILES.items():
        params = {"data_path": str(SHARED_DATA / file), "results_dir": str(out / "quality")}
        jobs.append(NotebookJob("quality", name, NOTEBOOKS_DIR / "01_data_quality.ipynb", params, f"quality/{name}"))
    for stage, notebook in (("feasibility", "02_feasibility.ipynb"), ("ethics", "03_ethics.ipynb")):
        for name, target in TARGETS.items():
            params = {"data_path": str(SHARED_DATA / FILES[name]), "target": target,
                      "results_dir": str(out / stage)}
            if stage == "feasibility":
                params["time_budget_s"] = 15
            jobs.append(NotebookJob(stage, name, NOTEBOOKS_DIR / notebook, params, f"{stage}/{name}"))
    return jobs


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[str, str | None]]:
    out = tmp_path_factory.mktemp("any-file")
    limit_threads(2)
    jobs = _jobs(out)
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda job: execute_job(job, out), jobs))
    return {(job.stage, job.subject): (status, error, out) for job, (status, _, error) in zip(jobs, done, strict=True)}


def _result(runs: dict, stage: str, name: str, subject: str) -> dict:
    status, error, out = runs[(stage, name)]
    assert status == "ok", error
    return json.loads((out / stage / f"{subject}.json").read_text(encoding="utf-8"))


def _assumed(result: dict) -> dict[str, str]:
    return {a["parameter"]: a["value"] for a in result["metrics"]["assumed"]}


@pytest.mark.parametrize("name", sorted(FILES))
def test_data_quality_needs_only_the_file(runs: dict, name: str) -> None:
    stem = Path(FILES[name]).stem
    result = _result(runs, "quality", name, stem)
    assert result["subject"] == stem
    assumed = _assumed(result)
    assert assumed["table"] == stem
    expected_key = {"telco": "customerID"}.get(name, "none")
    assert assumed["key"] == expected_key
    assert "as_of" in assumed


def test_telco_quality_finds_the_blanks_and_a_clean_key(runs: dict) -> None:
    result = _result(runs, "quality", "telco", "telco_customer_churn")
    blanks = [f for f in result["findings"] if f["code"] == "DQ_NUMBER_AS_TEXT"]
    assert [f["column"] for f in blanks] == ["TotalCharges"] and blanks[0]["evidence"]["blank"] == 11
    assert not {"DQ_DUPLICATE_KEY", "DQ_NULL_KEY"} & {f["code"] for f in result["findings"]}


@pytest.mark.parametrize(("name", "positive"), [("telco", "Yes"), ("adult", ">50K"), ("bank", "yes")])
def test_feasibility_needs_only_the_file_and_the_target(runs: dict, name: str, positive: str) -> None:
    result = _result(runs, "feasibility", name, TARGETS[name].lower())
    assert result["verdict"] in ("go", "pilot", "not_yet")
    assumed = _assumed(result)
    assert assumed["kind"] == "classification"
    assert assumed["positive_label"] == positive == result["metrics"]["positive_label"]
    assert assumed["use_case"] == TARGETS[name].lower()
    assert {"time_column", "group_column"} <= set(assumed)  # candidates listed, never used unasked
    assert result["metrics"]["cv"]["method"].startswith("stratified")


@pytest.mark.parametrize(("name", "protected"), [("adult", {"sex", "race", "age"}),
                                                 ("telco", {"gender", "SeniorCitizen"}),
                                                 ("bank", {"age", "marital"})])
def test_ethics_detects_protected_attributes(runs: dict, name: str, protected: set[str]) -> None:
    result = _result(runs, "ethics", name, TARGETS[name].lower())
    assert protected <= set(result["metrics"]["protected"])
    assert "protected" in _assumed(result)
    assert set(result["metrics"]["disparate_impact"]) >= protected


def test_adult_disparate_impact_by_sex_is_the_published_figure(runs: dict) -> None:
    result = _result(runs, "ethics", "adult", "ltgt50k")
    assert result["metrics"]["disparate_impact"]["sex"]["Female"] == pytest.approx(0.3580, abs=5e-5)
    assert result["metrics"]["statistical_parity_difference"]["sex"]["Female"] == pytest.approx(-0.1963, abs=5e-5)
