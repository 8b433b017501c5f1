"""Benchmark the data-quality stage on the Spark engine.

Writes an N-row synthetic Parquet table (once per size, with Spark, so the Python process never
holds it), then prints seconds per phase (session start, read, profile, row checks, Great
Expectations) and the peak memory of this Python process (the driver's Python side; the JVM
and the Python workers are separate processes).

    python benchmarks/bench_spark.py --rows 5000000
    python benchmarks/bench_spark.py --rows 3000000 --columns 10 --driver-memory 1g --no-gx --json
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "readiness-bench"
AS_OF = "2026-06-30"

# name -> Spark SQL expression over `id` (0..N-1); deterministic, with a few planted defects.
COLUMNS = {
    "visit_id": "concat('V', lpad(cast(id AS string), 10, '0'))",
    "customer_id": "concat('C', lpad(cast(id % 50000 AS string), 6, '0'))",
    "site": "element_at(array('Docklands', 'Rathmines', 'Swords', 'Bray'), cast(id % 4 AS int) + 1)",
    "price_eur": "round(10 + (hash(id, 1) % 20000 + 20000) % 20000 / 100.0, 2)",
    "fee_text": "CASE WHEN id % 997 = 0 THEN ' ' ELSE format_number((id * 7919) % 9000 / 100.0 + 5, 2) END",
    "visit_at": "timestamp_seconds(1704067200 + (id * 37) % 78000000)",
    "booked_on": "date_format(timestamp_seconds(1704067200 + (id * 53) % 70000000), 'dd/MM/yyyy')",
    "attended": "id % 9 <> 0",
    "channel": "CASE WHEN id % 101 = 0 THEN 'N/A' ELSE element_at(array('web', 'phone', 'walk-in'), "
               "cast(id % 3 AS int) + 1) END",
    "note": "CASE WHEN id % 5000 = 0 THEN 'call back on 087 123 4567' "
            "ELSE concat('follow-up plan reviewed with patient, visit ', cast(id % 2000 AS string)) END",
    "duration_min": "CAST(20 + id % 7 * 10 AS int)",
    "phone": "concat('+353 87 ', cast(1000000 + (id * 31) % 8999999 AS string))",
    "email": "concat('p', cast(id % 50000 AS string), '@example.com')",
    "therapist": "concat('T', cast(id % 40 AS string))",
    "satisfaction": "CASE WHEN id % 13 = 0 THEN NULL ELSE CAST(1 + id % 5 AS int) END",
    "paid_on": "date_format(timestamp_seconds(1704153600 + (id * 41) % 75000000), 'yyyy-MM-dd')",
    "status": "element_at(array('booked', 'done', 'cancelled', 'no-show'), cast(id % 4 AS int) + 1)",
    "discount_pct": "CAST(id % 4 * 5 AS int)",
    "country": "'Ireland'",
    "referral": "element_at(array('gp', 'web', 'friend', 'insurer', ''), cast(id % 5 AS int) + 1)",
}


def parquet_table(spark, rows: int, columns: int) -> Path:  # noqa: ANN001 (pyspark is optional)
    """The synthetic table as a folder of Parquet parts, written once per size."""
    path = CACHE / f"spark_{rows}x{columns}.parquet"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        names = list(COLUMNS)[:columns]
        spark.range(rows).selectExpr(*[f"{COLUMNS[n]} AS `{n}`" for n in names]).write.parquet(str(path))
    return path


def run(rows: int, *, columns: int, master: str, driver_memory: str, with_gx: bool) -> dict[str, float]:
    """Every phase in this process; returns seconds per phase and the peak memory in MB."""
    from readiness.quality.expectations import build_suite
    from readiness.spark import _checks, profile_table_spark, read_table, spark_session, typed_frame_spark
    from readiness.spark.assess import _needed

    out: dict[str, float] = {"rows": rows, "columns": columns}
    started = time.perf_counter()
    spark = spark_session(master=master, driver_memory=driver_memory)
    out["session_s"] = time.perf_counter() - started
    path = parquet_table(spark, rows, columns)
    started = time.perf_counter()
    sdf = read_table(spark, path)
    sdf.count()
    out["read_s"] = time.perf_counter() - started
    key = "visit_id"
    started = time.perf_counter()
    profile = profile_table_spark(sdf, key=key, date_columns=[c for c in ("visit_at", "booked_on") if c in sdf.columns],
                                  pii_columns=[c for c in ("phone", "email") if c in sdf.columns], as_of=AS_OF)
    out["profile_s"] = time.perf_counter() - started
    types = profile.semantic_types
    suite = build_suite(table="visits", semantic_types=types, key=key, rules=[], reference_keys={}, as_of=AS_OF,
                        freshness_days=90, date_columns=[c for c, t in types.items() if t in ("date", "date_as_text")])
    typed = typed_frame_spark(sdf, profile, columns=_needed(profile, {}, suite if with_gx else {}))
    started = time.perf_counter()
    found = _checks.missing_concentrated(typed, profile) + _checks.pii_in_text(typed, profile)
    out["row_checks_s"] = time.perf_counter() - started
    out["row_findings"] = len(found)
    if with_gx:
        from readiness.spark import validate_suite_spark

        started = time.perf_counter()
        results = validate_suite_spark(typed, suite)
        out["gx_s"] = time.perf_counter() - started
        out["expectations"] = len(results)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spark.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=20, choices=range(1, len(COLUMNS) + 1), metavar="1-20")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--no-gx", action="store_true", help="skip Great Expectations")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    args = parser.parse_args()
    found = run(args.rows, columns=args.columns, master=args.master, driver_memory=args.driver_memory,
                with_gx=not args.no_gx)
    if args.json:
        print(json.dumps(found))
        return
    for name, value in found.items():
        print(f"{name:>14}: {value:,.1f}" if isinstance(value, float) else f"{name:>14}: {value:,}")


if __name__ == "__main__":
    main()
