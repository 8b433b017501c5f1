"""Files shaped like extracts nobody here prepared, through each notebook with only what an analyst types.

A clinic's appointments that went through a spreadsheet, a credit file coded as A-codes and a
hotel's bookings (see ``tests/shapes.py``): spreadsheet damage is an error where it matters, no
false phone, personal-data or identifier claim is made, no planted personal value appears in any
output, no positive verdict stands beside an error, and a leaking use case is never ``go``.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from readiness.kernels import limit_threads
from readiness.notebooks import NOTEBOOKS_DIR, NotebookJob, execute_job
from readiness.results import POSITIVE_VERDICTS
from shapes import clinic_appointments, credit_file, hotel_bookings

pytestmark = pytest.mark.slow

PLANTED = ("7700 900461", "900461", "4111 1111 1111 1111", "4111111111111111")
CALLS = {  # file -> (target, extra parameters of the feasibility call)
    "clinic": ("No-show", {"group_column": "PatientId"}),
    "credit": ("class", {}),
    "hotel": ("is_canceled", {}),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shapes")
    files = {"clinic": clinic_appointments(out / "appointments.csv"), "credit": credit_file(out / "credit.csv"),
             "hotel": hotel_bookings(out / "hotel_bookings.csv")}
    jobs = []
    for name, path in files.items():
        target, extra = CALLS[name]
        jobs.append(NotebookJob("quality", name, NOTEBOOKS_DIR / "01_data_quality.ipynb",
                                {"data_path": str(path), "results_dir": str(out / name / "quality")},
                                f"{name}/quality"))
        jobs.append(NotebookJob("feasibility", name, NOTEBOOKS_DIR / "02_feasibility.ipynb",
                                {"data_path": str(path), "target": target, "time_budget_s": 15,
                                 "results_dir": str(out / name / "feasibility"), **extra}, f"{name}/feasibility"))
        jobs.append(NotebookJob("ethics", name, NOTEBOOKS_DIR / "03_ethics.ipynb",
                                {"data_path": str(path), "target": target,
                                 "results_dir": str(out / name / "ethics")},
                                f"{name}/ethics"))
    limit_threads(2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda job: execute_job(job, out), jobs))
    failed = [(job.rel_base, error) for job, (status, _, error) in zip(jobs, done, strict=True) if status != "ok"]
    assert not failed, failed
    return out


def _results(runs: Path, name: str) -> dict[str, dict]:
    out = {}
    for path in sorted((runs / name).glob("*/*.json")):
        if not path.name.endswith(".gx-suite.json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            out[data["stage"]] = data
    return out


def _codes(result: dict, code: str) -> list[dict]:
    return [f for f in result["findings"] if f["code"] == code]


def test_spreadsheet_damage_on_the_patient_id_is_found_and_an_error_where_it_groups_rows(runs: Path) -> None:
    results = _results(runs, "clinic")
    quality = _codes(results["quality"], "DQ_SPREADSHEET_DAMAGE")
    assert [(f["column"], f["evidence"]["kind"]) for f in quality] == [("PatientId", "scientific_notation")]
    assert {a["parameter"]: a["value"] for a in results["quality"]["metrics"]["assumed"]}["key"] == "AppointmentID"
    grouped = _codes(results["feasibility"], "FEAS_GROUP_COLUMN_DAMAGED")
    assert [(f["severity"], f["column"]) for f in grouped] == [("error", "PatientId")]
    assert results["feasibility"]["verdict"] not in POSITIVE_VERDICTS
    assert {"Gender", "Age"} <= set(results["ethics"]["metrics"]["protected"])


def test_codes_named_like_a_phone_are_not_phones(runs: Path) -> None:
    results = _results(runs, "credit")
    quality = results["quality"]
    assert quality["metrics"]["semantic_types"]["telephone"] == "category"
    assert not quality["metrics"]["personal_columns"]
    assert not _codes(quality, "DQ_INVALID_PHONE") and not _codes(quality, "DQ_PERSONAL_DATA")
    assert not [p for p in results["ethics"]["metrics"]["personal_data"] if p["column"] == "telephone"]
    assert results["feasibility"]["metrics"]["positive_label"] == "bad"  # no yes-like value: the rarer class


def test_hotel_week_number_is_a_number_and_its_leaks_never_reach_go(runs: Path) -> None:
    results = _results(runs, "hotel")
    types = results["quality"]["metrics"]["semantic_types"]
    assert types["arrival_date_week_number"] == "number"
    feasibility = results["feasibility"]
    assert "arrival_date_week_number" in feasibility["metrics"]["features"]
    leaks = {f["column"] for f in _codes(feasibility, "FEAS_LABEL_LEAKAGE")}
    assert "reservation_status" in leaks
    assert feasibility["metrics"]["excluded"]["reservation_status_date"] == "recorded after the outcome"
    assert feasibility["verdict"] not in POSITIVE_VERDICTS
    agent = [f for f in results["quality"]["findings"] if f["column"] == "agent"]
    assert {"DQ_DISGUISED_NULLS", "DQ_NUMBER_AS_TEXT"} <= {f["code"] for f in agent}
    assert _codes(results["quality"], "DQ_PII_IN_TEXT")  # the note column's contact details are found
    countries = results["ethics"]["metrics"]["group_size"]["country"]
    assert len(countries) == 80  # the JSON keeps every group; the report shows the largest


def test_no_planted_personal_value_in_any_output(runs: Path) -> None:
    for path in runs.rglob("*"):
        if path.suffix in (".json", ".ipynb") and "csv" not in path.suffixes:
            text = path.read_text(encoding="utf-8")
            assert not [value for value in PLANTED if value in text], path.name


def test_no_positive_verdict_beside_an_error(runs: Path) -> None:
    for name in CALLS:
        for stage, result in _results(runs, name).items():
            if any(f["severity"] == "error" for f in result["findings"]):
                assert result["verdict"] not in POSITIVE_VERDICTS, (name, stage, result["verdict"])
