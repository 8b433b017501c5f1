"""`readiness run` on the sample client and on hostile or real data, as a user would run it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_DIR, SHARED_DATA, CliRun, any_of, run_cli

pytestmark = pytest.mark.slow

TABLES = ["customers", "appointments", "invoices", "support_tickets"]
USE_CASES = ["no_show", "churn", "demand_forecast", "ticket_triage"]
SUBJECTS = [f"quality/{t}" for t in TABLES] + [f"{s}/{u}" for s in ("feasibility", "ethics") for u in USE_CASES]
RESULTS = [*SUBJECTS, "roi", "summary"]
EXTERNAL_REF = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def output_files(report_dir: Path) -> list[Path]:
    return [p for p in report_dir.rglob("*") if p.is_file()]


def test_sample_run_writes_every_report(sample_run: CliRun, sample_report_dir: Path) -> None:
    assert (sample_report_dir / "index.html").is_file()
    for base in RESULTS:
        for ext in ("ipynb", "html", "json"):
            assert (sample_report_dir / f"{base}.{ext}").is_file(), f"{base}.{ext}"
    for table in TABLES:
        assert (sample_report_dir / "quality" / f"{table}.gx-suite.json").is_file()
    for case in USE_CASES:
        assert (sample_report_dir / "feasibility" / f"{case}.predictions.parquet").is_file()
    # one progress line per notebook, then the location of the index
    progress = [line for line in sample_run.stdout.splitlines() if re.match(r"\[\s*\d+/14\] \w+/", line)]
    assert len(progress) == 14
    assert all(": ok in " in line for line in progress), progress
    assert "index.html" in sample_run.stdout.splitlines()[-1]
    # the temporary build folder is gone
    assert [p.name for p in sample_run.out_dir.iterdir() if p.suffix != ".lock"] == ["harbour-physio-group"]


def test_run_json_records_inputs_versions_and_timings(sample_report_dir: Path) -> None:
    record = json.loads((sample_report_dir / "run.json").read_text())
    assert record["status"] == "ok"
    assert set(record["inputs"]) == {"engagement", "survey", "checklist", *TABLES}
    assert re.fullmatch(r"[0-9a-f]{64}", record["inputs"]["survey"]["sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", record["inputs"]["customers"]["sha256"])
    assert record["inputs"]["customers"]["rows"] == len(pd.read_csv(SAMPLE_DIR / "customers.csv"))
    assert record["versions"]["great-expectations"].startswith("1.")
    assert [f"{nb['stage']}/{nb['subject']}" for nb in record["notebooks"]][:12] == SUBJECTS
    assert [nb["stage"] for nb in record["notebooks"]][12:] == ["roi", "summary"]
    assert all(nb["seconds"] > 0 for nb in record["notebooks"])


def test_result_json_follows_the_contract(sample_report_dir: Path) -> None:
    for base in RESULTS:
        result = json.loads((sample_report_dir / f"{base}.json").read_text())
        assert list(result)[:7] == ["schema_version", "stage", "subject", "verdict", "score", "metrics", "findings"]
        assert result["stage"] == base.split("/")[0]
        if "/" in base:
            assert result["subject"] == base.split("/")[1]
        assert result["score"] is None or 0 <= result["score"] <= 100
        for finding in result["findings"]:
            assert {"severity", "code", "message", "column"} <= set(finding)


def test_reports_reference_nothing_outside(sample_report_dir: Path) -> None:
    pages = list(sample_report_dir.rglob("*.html"))
    assert len(pages) == len(RESULTS) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not EXTERNAL_REF.search(text), page
        assert not CSS_URL.search(text), page
        assert "@import" not in text, page
        assert "<script src" not in text.lower(), page


def test_reports_hold_no_code(sample_report_dir: Path) -> None:
    text = (sample_report_dir / "quality" / "customers.html").read_text(encoding="utf-8")
    assert "assess_quality(" not in text
    assert "import " not in text
    assert "data:image/png;base64" in text


def planted_personal_values() -> set[str]:
    customers = pd.read_csv(SAMPLE_DIR / "customers.csv", dtype=str, keep_default_na=False)
    values = set()
    for column in ("full_name", "email", "phone"):
        values |= {v.strip() for v in customers[column] if len(v.strip()) >= 6}
    planted = yaml.safe_load((SAMPLE_DIR / "planted.yaml").read_text())
    values |= {str(v) for v in planted["personal_values"]}
    return values


def output_text(path: Path) -> str:
    """Everything a reader of the file could see; Parquet through its values."""
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype(str).to_csv()
    return path.read_text(encoding="utf-8")


def test_no_planted_personal_value_in_any_output(sample_run: CliRun, sample_report_dir: Path) -> None:
    values = planted_personal_values()
    assert len(values) > 5000
    files = output_files(sample_report_dir)
    assert len(files) >= 50
    outputs = {path.name: output_text(path) for path in files}
    outputs["terminal"] = sample_run.stdout + sample_run.stderr
    planted = any_of(values)
    for name, text in outputs.items():
        leaked = planted.search(text)
        assert not leaked, f"{name} shows personal data, e.g. {leaked.group(0)[:2]}***"


def test_any_of_finds_exactly_what_a_substring_search_finds() -> None:
    import random

    rng = random.Random(1)
    for _ in range(300):
        values = {"".join(rng.choice("ab.c@1 ") for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(0, 30))}
        pattern = any_of(values)
        for _ in range(20):
            text = "".join(rng.choice("ab.c@1 xy") for _ in range(rng.randint(0, 30)))
            assert bool(pattern.search(text)) == any(v in text for v in values), (sorted(values), text)
    found = any_of({"+353 87 1234567", "jo@example.com"}).search("call +353 87 1234567 now")
    assert found.group(0) == "+353 87 1234567"


def write_engagement(folder: Path, tables: dict, **extra) -> Path:
    doc = {"client": "Test Client", "as_of": "2026-06-30", "currency": "EUR", "seed": 1, "tables": tables, **extra}
    path = folder / "engagement.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_hostile_column_name_is_shown_inert(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    frame = pd.DataFrame(
        {
            "visit_id": [f"V{i:03d}" for i in range(40)],
            hostile: [f"note {i % 3}" for i in range(40)],
            '"><img src=x onerror=alert(1)>': [str(i % 5) for i in range(40)],
        }
    )
    frame.to_csv(tmp_path / "visits.csv", index=False)
    engagement = write_engagement(tmp_path, {"visits": {"path": "visits.csv", "key": "visit_id"}})
    proc = run_cli("run", str(engagement), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = (tmp_path / "out" / "test-client" / "quality" / "visits.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert hostile not in html
    assert "<img src=x" not in html
    index = (tmp_path / "out" / "test-client" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index


@pytest.mark.skipif(not (SHARED_DATA / "telco_customer_churn.csv").exists(), reason="shared telco data absent")
def test_notebook_runs_standalone_on_real_telco_data(tmp_path: Path) -> None:
    """The notebook is a tool of its own: papermill with direct parameters, no engagement file."""
    import papermill

    from readiness.notebooks import NOTEBOOKS_DIR

    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "01_data_quality.ipynb"),
        str(tmp_path / "telco.ipynb"),
        parameters={
            "data_path": str(SHARED_DATA / "telco_customer_churn.csv"),
            "table": "telco",
            "key": "customerID",
            "date_columns": [],
            "pii_columns": [],
            "results_dir": str(tmp_path),
        },
        kernel_name="python3",
        progress_bar=False,
    )
    result = json.loads((tmp_path / "telco.json").read_text())
    as_text = [f for f in result["findings"] if f["code"] == "DQ_NUMBER_AS_TEXT"]
    assert [f["column"] for f in as_text] == ["TotalCharges"]
    assert as_text[0]["evidence"]["blank"] == 11
    codes = {f["code"] for f in result["findings"]}
    assert not codes & {"DQ_DUPLICATE_KEY", "DQ_NULL_KEY"}
    assert result["metrics"]["rows"] == 7043
