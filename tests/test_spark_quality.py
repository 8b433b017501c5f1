"""The Spark engine's data-quality profile equals the pandas engine's on every sample table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readiness.engagement import load_engagement
from readiness.quality import profile_table
from readiness.quality.checks import check_columns, check_freshness, check_keys
from readiness.tables import load_table

try:
    import pyspark  # noqa: F401
except ImportError:
    if os.environ.get("CI"):
        raise RuntimeError("CI runs the Spark tests: install the extra with pip install -e '.[dev,spark]'") from None
    pytest.skip("PySpark is not installed (pip install 'readiness[spark]')", allow_module_level=True)

pytestmark = pytest.mark.spark
ENGAGEMENT = Path(__file__).resolve().parents[1] / "sample_data" / "harbour_physio" / "engagement.yaml"
TABLES = ("customers", "appointments", "invoices", "support_tickets")


@pytest.fixture(scope="session")
def spark():
    from readiness.spark import spark_session

    session = spark_session(master="local[2]", driver_memory="2g")
    yield session
    session.stop()


@pytest.mark.parametrize("name", TABLES)
def test_profile_and_profile_findings_equal_pandas(spark, name):
    from readiness.spark import profile_table_spark, read_table

    params = load_engagement(ENGAGEMENT).table_parameters(name)
    options = dict(key=params["key"] or None, date_columns=params["date_columns"],
                   pii_columns=params["pii_columns"], as_of=params["as_of"])
    loaded = load_table(params["data_path"])
    expected = profile_table(loaded.frame, decimal=loaded.decimal, **options)
    found = profile_table_spark(read_table(spark, params["data_path"]), decimal=loaded.decimal, **options)

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

    def findings(profile):
        found = check_keys(profile) + check_columns(profile) + check_freshness(profile, freshness_days=90)
        return [(f.code, f.column, f.evidence.get("rows")) for f in found]

    assert findings(found) == findings(expected)
