"""Every stage on the four real extracts in ``../shared/data``, as an analyst would run them.

The engagement is drafted from the folder by ``readiness new --from`` and run unedited; the
assertions are what the data's README documents, both what must be found and what must not be
claimed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED_DATA, run_cli
from readiness.results import POSITIVE_VERDICTS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (SHARED_DATA / "adult.csv").exists(), reason="shared real data absent")]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    drafted = run_cli("new", str(root / "engagement"), "--client", "Public Extracts", "--from", str(SHARED_DATA))
    assert drafted.returncode == 0, drafted.stderr
    done = run_cli("run", str(root / "engagement" / "engagement.yaml"), "--out", str(root / "reports"),
                   "--jobs", "2")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root / "reports" / "public-extracts"


def _result(report: Path, rel: str) -> dict:
    return json.loads((report / f"{rel}.json").read_text(encoding="utf-8"))


def _findings(result: dict, code: str, column: str | None = None) -> list[dict]:
    return [f for f in result["findings"] if f["code"] == code and (column is None or f["column"] == column)]


def test_every_stage_ran(report: Path) -> None:
    run = json.loads((report / "run.json").read_text(encoding="utf-8"))
    stages = {n["stage"] for n in run["notebooks"]}
    assert stages == {"quality", "feasibility", "ethics", "roi", "summary"}
    assert all(n["status"] == "ok" for n in run["notebooks"])


def test_telco_total_charges_has_its_eleven_blanks(report: Path) -> None:
    result = _result(report, "quality/telco_customer_churn")
    blanks = _findings(result, "DQ_NUMBER_AS_TEXT", "TotalCharges")
    assert blanks and blanks[0]["evidence"]["blank"] == 11
    assert not _findings(result, "DQ_NEAR_DUPLICATE_RECORDS")  # customers on one plan are not duplicates


@pytest.mark.parametrize(("column", "rows"), [("workclass", 1836), ("occupation", 1843), ("native_country", 583)])
def test_adult_question_marks_are_missing(report: Path, column: str, rows: int) -> None:
    result = _result(report, "quality/adult")
    assert _findings(result, "DQ_MISSING_VALUES", column)[0]["evidence"]["rows"] == rows
    tokens = _findings(result, "DQ_DISGUISED_NULLS", column)[0]["evidence"]["tokens"]
    assert tokens == {"?": rows}


@pytest.mark.parametrize(("column", "rows"), [("job", 288), ("education", 1857), ("contact", 13020),
                                              ("poutcome", 36959)])
def test_bank_unknown_is_missing_per_column(report: Path, column: str, rows: int) -> None:
    result = _result(report, "quality/bank_marketing")
    assert _findings(result, "DQ_MISSING_VALUES", column)[0]["evidence"]["rows"] == rows


def test_bank_pdays_sentinel_and_duration_among_the_strongest_predictors(report: Path) -> None:
    quality = _result(report, "quality/bank_marketing")
    sentinel = _findings(quality, "DQ_SENTINEL_VALUE", "pdays")
    assert sentinel and sentinel[0]["evidence"]["value"] == -1
    feasibility = _result(report, "feasibility/y")
    strongest = [row["feature"] for row in feasibility["metrics"]["single_feature"][:3]]
    assert "duration" in strongest  # known only after the call: shown so an analyst can spot it


def test_online_retail_has_no_key_and_shows_cancellations(report: Path) -> None:
    result = _result(report, "quality/online_retail")
    assert not _findings(result, "DQ_DUPLICATE_KEY") and not _findings(result, "DQ_NULL_KEY")
    negative = _findings(result, "DQ_NEGATIVE_QUANTITY", "Quantity")
    assert negative and "InvoiceNo starting with 'C'" in negative[0]["message"]
    assert _findings(result, "DQ_MISSING_VALUES", "CustomerID")[0]["evidence"]["rows"] == 10003
    assert result["metrics"]["semantic_types"]["InvoiceDate"] in ("date", "date_as_text")


def test_no_phone_email_or_identifier_claimed_where_there_is_none(report: Path) -> None:
    allowed = {("telco_customer_churn", "customerID")}
    for path in sorted((report / "quality").glob("*.json")):
        if path.name.endswith(".gx-suite.json"):
            continue
        result = json.loads(path.read_text(encoding="utf-8"))
        for column, semantic in result["metrics"]["semantic_types"].items():
            if semantic in ("phone", "email", "identifier"):
                assert (result["subject"], column) in allowed, (result["subject"], column, semantic)
        assert not result["metrics"]["personal_columns"], result["subject"]


def test_no_positive_verdict_beside_an_error(report: Path) -> None:
    for path in sorted(report.rglob("*.json")):
        if path.name in ("run.json",) or path.name.endswith(".gx-suite.json") or "gx" in path.parts:
            continue
        result = json.loads(path.read_text(encoding="utf-8"))
        if any(f["severity"] == "error" for f in result["findings"]):
            assert result["verdict"] not in POSITIVE_VERDICTS, (path.name, result["verdict"])


def test_roi_lists_the_unvalued_use_cases_and_the_summary_is_incomplete(report: Path) -> None:
    roi = _result(report, "roi")
    assert roi["verdict"] == "incomplete" and roi["score"] is None
    assert set(roi["metrics"]["not_valued"]) == set(roi["metrics"]["verdicts"])
    summary = _result(report, "summary")
    assert summary["verdict"] == "incomplete" and summary["score"] is None  # the survey is blank
