"""The Spark engine's data-quality report equals the pandas engine's on every sample table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from readiness.engagement import load_engagement
from readiness.quality import assess_quality
from readiness.tables import load_table

try:
    import pyspark  # noqa: F401
except ImportError:
    if os.environ.get("CI"):
        raise RuntimeError("CI runs the Spark tests: install the extra with pip install -e '.[dev,spark]'") from None
    pytest.skip("PySpark is not installed (pip install 'readiness[spark]')", allow_module_level=True)

pytestmark = pytest.mark.spark
ROOT = Path(__file__).resolve().parents[1]
ENGAGEMENT = ROOT / "sample_data" / "harbour_physio" / "engagement.yaml"
TABLES = ("customers", "appointments", "invoices", "support_tickets")
# GX result columns compared exactly; `error` only as present / absent (its text names engine types).
# The planted defects that reach the four checks needing rows, so the parity below covers them.
ROW_CHECKS = {"appointments": {"DQ_MISSING_CONCENTRATED", "DQ_ORPHAN_REFERENCE"},
              "invoices": {"DQ_ORPHAN_REFERENCE", "DQ_RULE_FAILED"}, "support_tickets": {"DQ_PII_IN_TEXT"}}
GX_COLUMNS = ["expectation", "column", "origin", "description", "success", "unexpected_count", "observed"]


@pytest.fixture(scope="session")
def spark():
    from readiness.spark import spark_session

    session = spark_session(master="local[2]", driver_memory="2g")
    yield session
    session.stop()


def _reports(spark, name):
    from readiness.spark import assess_quality_spark, decimal_mark, read_table

    params = load_engagement(ENGAGEMENT).table_parameters(name)
    options = dict(table=name, as_of=params["as_of"], key=params["key"] or None, date_columns=params["date_columns"],
                   references=params["references"], rules=params["rules"], pii_columns=params["pii_columns"],
                   freshness_days=params["freshness_days"])
    loaded = load_table(params["data_path"])
    expected = assess_quality(loaded, **options)
    found = assess_quality_spark(read_table(spark, params["data_path"]), decimal=decimal_mark(params["data_path"]),
                                 **options)
    assert loaded.decimal == decimal_mark(params["data_path"])
    return found, expected


def _assert_same_profile(found, expected):
    for attr in ("rows", "duplicate_rows", "duplicate_key_rows", "null_key_rows", "near_duplicate_rows",
                 "redundant_rows"):
        assert getattr(found, attr) == getattr(expected, attr), attr
    for column, want in expected.columns.items():
        got = vars(found.columns[column])
        for field, value in vars(want).items():
            if field == "dtype":  # engine-specific type names
                continue
            if field == "mean" and value is not None:  # sums in another order: equal to the last few bits
                assert got[field] == pytest.approx(value, rel=1e-12), column
                continue
            assert got[field] == value, (column, field)


def _assert_same_expectations(found: pd.DataFrame, expected: pd.DataFrame):
    assert len(found) == len(expected)
    assert found[GX_COLUMNS].astype(str).values.tolist() == expected[GX_COLUMNS].astype(str).values.tolist()
    percent = pd.to_numeric(found["unexpected_percent"]).fillna(-1).tolist()
    assert percent == pytest.approx(pd.to_numeric(expected["unexpected_percent"]).fillna(-1).tolist(), rel=1e-12)
    assert found["error"].isna().tolist() == expected["error"].isna().tolist()


@pytest.mark.parametrize("name", TABLES)
def test_report_equals_pandas(spark, name):
    found, expected = _reports(spark, name)
    _assert_same_profile(found.profile, expected.profile)

    def findings(report):
        return [(f.severity, f.code, f.column, f.message, f.evidence) for f in report.result.findings]

    assert findings(found) == findings(expected)
    assert ROW_CHECKS.get(name, set()) <= {f.code for f in found.result.findings}
    assert found.scores.as_dict() == expected.scores.as_dict()
    assert (found.result.verdict, found.result.score) == (expected.result.verdict, expected.result.score)
    assert found.result.metrics == expected.result.metrics
    assert found.suite == expected.suite
    _assert_same_expectations(found.expectations, expected.expectations)


def test_rule_failures_and_orphans_on_a_tiny_table(spark, tmp_path):
    from readiness.spark import assess_quality_spark, read_table

    (tmp_path / "parents.csv").write_text("pid\n1\n2\n 3 \n", encoding="utf-8")
    (tmp_path / "kids.csv").write_text("kid,pid,size\nk1,1,5\nk2,4,50\nk3,4,7\nk4,,8\nk5,9,9\n", encoding="utf-8")
    report = assess_quality_spark(
        read_table(spark, tmp_path / "kids.csv"), table="kids", as_of="2026-06-30", key="kid",
        references={"pid": {"path": str(tmp_path / "parents.csv"), "column": "pid"}},
        rules=[{"column": "size", "expect": "between", "min": 1, "max": 10}])
    expected = assess_quality(
        load_table(tmp_path / "kids.csv"), table="kids", as_of="2026-06-30", key="kid",
        references={"pid": {"path": str(tmp_path / "parents.csv"), "column": "pid"}},
        rules=[{"column": "size", "expect": "between", "min": 1, "max": 10}])
    assert [(f.code, f.evidence) for f in report.result.findings] == [
        (f.code, f.evidence) for f in expected.result.findings]
    by_code = {f.code: f for f in report.result.findings}
    orphan = by_code["DQ_ORPHAN_REFERENCE"].evidence
    assert (orphan["rows"], orphan["distinct"], orphan["examples"]) == (3, 2, ["4", "9"])
    assert by_code["DQ_RULE_FAILED"].evidence["rows"] == 1
    reference = report.expectations[report.expectations["origin"] == "reference"].iloc[0]
    assert (bool(reference["success"]), reference["unexpected_count"]) == (False, 3)


@pytest.mark.slow
def test_driver_memory_stays_bounded_on_a_table_larger_than_the_heap(tmp_path):
    """2,000,000 x 10 (about 1.6 GB as a pandas frame of text) profiled with a 1 GB driver heap.

    The Python side of the driver holds only aggregates, the 10,000-row inference sample and
    the interpreter with pandas, pyarrow and pyspark loaded: 0.19-0.64 GB measured here (peak RSS).
    The bound is the issue's own target for the Python process, 1 GB, well below the ~1.6 GB the
    frame alone would take in pandas, so collecting the table to the driver would fail it.
    """
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    script = ROOT / "benchmarks" / "bench_spark.py"
    done = subprocess.run([sys.executable, str(script), "--rows", "2000000", "--columns", "10",
                           "--driver-memory", "1g", "--no-gx", "--json"],
                          capture_output=True, text=True, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["rows"] == 2_000_000
    assert found["peak_mb"] < 1000, found
