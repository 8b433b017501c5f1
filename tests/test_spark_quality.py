"""The Spark engine's data-quality report equals the pandas engine's on every sample table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import require_pyspark
from readiness.engagement import load_engagement
from readiness.quality import assess_quality
from readiness.tables import load_table

require_pyspark(module=True)

pytestmark = pytest.mark.spark
ROOT = Path(__file__).resolve().parents[1]
ENGAGEMENT = ROOT / "sample_data" / "harbour_physio" / "engagement.yaml"
TABLES = ("customers", "appointments", "invoices", "support_tickets")
# GX result columns compared exactly; `error` only as present / absent (its text names engine types).
# The planted defects that reach the four checks needing rows, so the parity below covers them.
ROW_CHECKS = {"appointments": {"DQ_MISSING_CONCENTRATED", "DQ_ORPHAN_REFERENCE"},
              "invoices": {"DQ_ORPHAN_REFERENCE", "DQ_RULE_FAILED"}, "support_tickets": {"DQ_PII_IN_TEXT"}}
GX_COLUMNS = ["expectation", "column", "origin", "description", "success", "unexpected_count", "observed"]


def _spark_table(spark, path):
    """The file read by Spark, as the stages see it."""
    from readiness.sources.spark import SparkSource, decimal_mark, read_table

    return SparkSource.of(read_table(spark, path), name=Path(str(path)).stem, decimal=decimal_mark(path))


def _reports(spark, name):
    from readiness.sources.spark import decimal_mark

    params = load_engagement(ENGAGEMENT).table_parameters(name)
    options = dict(table=name, as_of=params["as_of"], key=params["key"] or None, date_columns=params["date_columns"],
                   references=params["references"], rules=params["rules"], pii_columns=params["pii_columns"],
                   freshness_days=params["freshness_days"])
    loaded = load_table(params["data_path"])
    expected = assess_quality(loaded, **options)
    found = assess_quality(_spark_table(spark, params["data_path"]), **options)
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
    (tmp_path / "parents.csv").write_text("pid\n1\n2\n 3 \n", encoding="utf-8")
    (tmp_path / "kids.csv").write_text("kid,pid,size\nk1,1,5\nk2,4,50\nk3,4,7\nk4,,8\nk5,9,9\n", encoding="utf-8")
    report = assess_quality(
        _spark_table(spark, tmp_path / "kids.csv"), table="kids", as_of="2026-06-30", key="kid",
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
                           "--driver-memory", "1g", "--no-gx", "--engine", "spark", "--json"],
                          capture_output=True, text=True, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["rows"] == 2_000_000
    assert found["peak_mb"] < 1000, found


def _tricky_frame() -> pd.DataFrame:
    """Typed columns with NaN, -0.0, nulls and text that differs only in case, spacing or null tokens.

    Rows 1-2 repeat row 0 exactly (2 duplicates). Near duplicates once the key is left out (4): row 3
    differs from row 0 only in the label's case and spacing, row 4 in a tab; row 6 from row 5 in
    -0.0 against 0.0 and two null tokens; row 8 from row 7 in NaN against null and a blank against
    an empty label. Keys 1 and 4 repeat (3 duplicate keys).
    """
    base = [
        (1, 10.5, "2026-01-02 10:00", True, "Gold plan"),
        (1, 10.5, "2026-01-02 10:00", True, "Gold plan"),
        (1, 10.5, "2026-01-02 10:00", True, "Gold plan"),
        (2, 10.5, "2026-01-02 10:00", True, "  gold   PLAN "),
        (3, 10.5, "2026-01-02 10:00", True, "gold\tplan"),
        (4, -0.0, None, None, "N/A"),
        (4, 0.0, None, None, "n/a"),
        (5, float("nan"), "2026-03-01 00:00", False, "   "),
        (6, None, "2026-03-01 00:00", False, ""),
        (None, 7.25, "2025-12-31 23:59", True, None),
    ]
    extra = [(10 + i, float(i % 7), f"2026-02-{1 + i % 28:02d} 08:00", i % 3 == 0, f"plan {i % 5}") for i in range(40)]
    frame = pd.DataFrame(base + extra, columns=["visit_no", "amount", "visited_at", "paid", "label"])
    frame["visit_no"] = frame["visit_no"].astype("Int64")
    frame["visited_at"] = pd.to_datetime(frame["visited_at"])
    frame["paid"] = frame["paid"].astype("boolean")
    return frame


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_duplicates_and_typed_columns_equal_pandas(spark, tmp_path, suffix):
    """Exact, near and key duplicates, NaN and -0.0, typed dates and booleans: the same profile on both engines."""
    frame = _tricky_frame()
    path = tmp_path / f"visits{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(path, index=False, coerce_timestamps="us")  # Spark reads no nanosecond timestamps
    else:
        frame.to_csv(path, index=False)
    options = dict(table="visits", as_of="2026-06-30", key="visit_no", date_columns=["visited_at"])
    expected = assess_quality(load_table(path), **options)
    found = assess_quality(_spark_table(spark, path), **options)
    near = 4 if suffix == ".parquet" else 3  # in a CSV, '-0.0' and '0.0' are different text
    assert (expected.profile.duplicate_rows, expected.profile.near_duplicate_rows) == (2, near)
    assert expected.profile.duplicate_key_rows == 3  # key 1 twice more, key 4 once more
    if suffix == ".parquet":  # a documented difference: Spark shows -0.0 and 0.0, one value to both, as 0.0
        amount = expected.profile.columns["amount"]
        assert amount.top_values[0] == ("-0.0", 8)
        amount.top_values = [("0.0" if v == "-0.0" else v, n) for v, n in amount.top_values]
    _assert_same_profile(found.profile, expected.profile)
    assert [(f.code, f.column, f.evidence) for f in found.result.findings] == \
        [(f.code, f.column, f.evidence) for f in expected.result.findings]
    _assert_same_expectations(found.expectations, expected.expectations)


def test_parquet_with_nanosecond_timestamps_gets_a_clear_error(spark, tmp_path):
    from readiness.errors import DataError
    from readiness.sources.spark import read_table

    path = tmp_path / "visits.parquet"
    pd.DataFrame({"at": pd.to_datetime(["2026-01-02 10:00:00.123456789"])}).to_parquet(path)
    with pytest.raises(DataError, match="nanosecond timestamps.*coerce_timestamps"):
        read_table(spark, path).count()


def test_an_excel_parent_is_read_by_the_pandas_loader(spark, tmp_path):
    pd.DataFrame({"pid": [1, 2, 3]}).to_excel(tmp_path / "parents.xlsx", index=False)
    (tmp_path / "kids.csv").write_text("kid,pid\nk1,1\nk2,4\nk3,4\nk4,\nk5,3\n", encoding="utf-8")
    options = dict(table="kids", as_of="2026-06-30", key="kid",
                   references={"pid": {"path": str(tmp_path / "parents.xlsx"), "column": "pid"}})
    found = assess_quality(_spark_table(spark, tmp_path / "kids.csv"), **options)
    expected = assess_quality(load_table(tmp_path / "kids.csv"), **options)
    orphan = next(f for f in found.result.findings if f.code == "DQ_ORPHAN_REFERENCE").evidence
    assert (orphan["rows"], orphan["distinct"], orphan["examples"]) == (2, 1, ["4"])
    assert [(f.code, f.evidence) for f in found.result.findings] == [
        (f.code, f.evidence) for f in expected.result.findings]
    assert found.suite == expected.suite


def _real_shapes_frame() -> pd.DataFrame:
    """One column of each shape the real-file fixes are about (see tests/test_quality_real_shapes.py)."""
    rows = 240
    ids = [f"{30000000000000 + i}" for i in range(rows)]
    ids[3], ids[7] = "2.98725E+13", "5.58998E+14"  # scientific notation in the key
    invoices = [f"C5363{i:03d}" if i % 20 == 0 else f"5363{i:03d}" for i in range(rows)]
    return pd.DataFrame({
        "patient_id": ids,
        "InvoiceNo": invoices,
        "Quantity": [str(-1 - i % 3) if i % 20 == 0 else str(1 + i % 12) for i in range(rows)],
        "zip": ["2139" if i % 30 == 0 else ("02139" if i % 2 else "10001") for i in range(rows)],
        "visit_date": ["45123" if i % 40 == 0 else f"2024-0{1 + i % 9}-1{i % 10}" for i in range(rows)],
        "InvoiceDate": [f"12/{1 + i % 9}/10 {8 + i % 9}:{i % 60:02d}" for i in range(rows)],
        "telephone": ["A191" if i % 2 else "A192" for i in range(rows)],
        "week_number": [str(1 + i % 53) for i in range(rows)],
        "pdays": ["-1" if i % 5 else str(20 + i) for i in range(rows)],
        "note": ["call +44 7700 900461" if i % 50 == 0 else ("card 4111 1111 1111 1111" if i % 50 == 1 else "ok")
                 for i in range(rows)],
    })


def _plans_frame() -> pd.DataFrame:
    """Customers with identical plans: equal rows of plain attributes, which are not near duplicates."""
    rows = 60
    return pd.DataFrame({"customerID": [f"{i:04d}-ABCDE" for i in range(rows)],
                         "Contract": ["Month-to-month"] * 22 + ["One year", "Two year"] * 19,
                         "PaymentMethod": ["mailed check", "Mailed check"] * 11 + ["Bank transfer", "Card"] * 19})


@pytest.mark.parametrize("frame", [_real_shapes_frame, _plans_frame])
def test_real_file_shapes_give_the_same_profile_on_both_engines(spark, tmp_path, frame):
    """Spreadsheet damage, name hints, small-range integers, masked categories, US dates, sentinels,
    negative quantities and near duplicates: the Spark profile and findings equal the pandas ones."""
    path = tmp_path / "shapes.csv"
    frame().to_csv(path, index=False)
    key = "patient_id" if frame is _real_shapes_frame else "customerID"
    options = dict(table="shapes", as_of="2026-06-30", key=key, run_expectations=False)
    expected = assess_quality(load_table(path), **options)
    found = assess_quality(_spark_table(spark, path), **options)
    _assert_same_profile(found.profile, expected.profile)
    assert [(f.severity, f.code, f.column, f.message, f.evidence) for f in found.result.findings] == \
        [(f.severity, f.code, f.column, f.message, f.evidence) for f in expected.result.findings]
    codes = {f.code for f in expected.result.findings}
    if frame is _real_shapes_frame:
        assert {"DQ_SPREADSHEET_DAMAGE", "DQ_SENTINEL_VALUE", "DQ_NEGATIVE_QUANTITY", "DQ_PII_IN_TEXT"} <= codes
        columns = expected.profile.columns
        assert columns["InvoiceDate"].min == pd.Timestamp("2010-12-01 08:00")
        assert columns["week_number"].semantic_type == "number" and columns["telephone"].personal_kind is None
        assert columns["Quantity"].negative_marker["marker"] == "C"
    else:
        assert expected.profile.near_duplicate_rows == 0 and "DQ_NEAR_DUPLICATE_RECORDS" not in codes


def test_long_value_sets_are_joined_on_and_flag_as_isin_does(spark):
    """Each long in-set check's flag, built by a join on its values, equals ``Column.isin`` row for row."""
    import pyspark.sql.functions as F
    from pyspark.sql import types as T

    from readiness.sources.gx import _spark_in_set_flags, _values_of_kind

    text = [f"A{i}" for i in range(40)] + ["a1", " A1", "", "X", None, "A1", "Ä1"]
    numbers = [float(i) for i in range(40)] + [-0.0, float("nan"), 0.5, None, 1e300, 7.0, None]
    typed = spark.createDataFrame(list(zip(text, numbers, strict=True)), T.StructType(
        [T.StructField("t", T.StringType()), T.StructField("x", T.DoubleType())]))
    sets = {
        0: ("t", ["A1", "A2", "A1", "Ä1", "", "never"]),  # repeats kept once: no row is doubled
        2: ("x", [0.0, 1, 2.0, float("nan"), 7, 7.0, -0.0, "7", True]),  # ints, -0.0 and 0.0, NaN; text never
        5: ("t", [1.0, 2.0, "A3"]),  # numbers in a text column's set match nothing (as on pandas)
    }
    long_sets = {i: {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": c, "value_set": v}}
                 for i, (c, v) in sets.items()}
    kept = [_values_of_kind(v, typed.schema[c].dataType).tolist() for c, v in sets.values()]
    assert kept[0] == ["A1", "A2", "Ä1", "", "never"] and kept[2] == ["A3"]
    assert kept[1][:3] == [0.0, 1.0, 2.0] and len(kept[1]) == 5  # 0.0, 1, 2, NaN, 7

    flagged = _spark_in_set_flags(typed, long_sets)
    assert flagged.columns == ["in_set_0", "in_set_2", "in_set_5"]
    expected = typed.select(*[F.when(F.col(c).isNull(), F.lit(None)).otherwise(F.col(c).isin(k)).alias(f"in_set_{i}")
                              for (i, (c, _)), k in zip(sets.items(), kept, strict=True)])

    def counts(frame):
        return sorted((tuple(r) for r in frame.groupBy(*frame.columns).count().collect()), key=str)

    assert flagged.count() == typed.count()
    assert counts(flagged) == counts(expected)
    got = flagged.toPandas()
    first = {t: f for t, f in zip(text, got["in_set_0"], strict=True) if t is not None}
    assert (first["A1"], first["Ä1"], first[""], first["a1"], first[" A1"], first["X"]) == (
        True, True, True, False, False, False)
    on_x = dict(zip(map(str, numbers), got["in_set_2"], strict=True))
    assert (on_x["-0.0"], on_x["nan"], on_x["7.0"], on_x["0.5"], on_x["1e+300"], on_x["None"]) == (
        True, True, True, False, False, None)
    assert got["in_set_5"].tolist().count(True) == 1  # A3 only
