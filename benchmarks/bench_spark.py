"""Benchmark the data-quality stage on both engines: Spark, and pandas where the table fits.

Writes an N-row x 20-column synthetic Parquet table (once per size, with Spark, so no Python
process ever holds it), then runs the whole data-quality stage on it, each engine in a fresh
process, and prints seconds per phase and the peak memory of that Python process (for Spark,
the driver's Python side; the JVM and its Python workers are separate processes).

    python benchmarks/bench_spark.py --rows 5000000
    python benchmarks/bench_spark.py --rows 5000000 --engine spark
    python benchmarks/bench_spark.py --rows 3000000 --columns 10 --driver-memory 1g --no-gx --engine spark --json
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
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


def parquet_table(spark, rows: int, columns: int, *, for_pandas: bool) -> Path:  # noqa: ANN001 (pyspark is optional)
    """The synthetic table as a folder of Parquet parts, written once per size.

    With ``for_pandas``, also a one-file copy for the pandas engine, which reads one file, not a
    folder of parts (a single task rewriting the table: left out when only Spark runs).
    """
    path = CACHE / f"spark_{rows}x{columns}.parquet"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        names = list(COLUMNS)[:columns]
        spark.range(rows).selectExpr(*[f"{COLUMNS[n]} AS `{n}`" for n in names]).write.parquet(str(path))
    single = _single_file(rows, columns)
    if for_pandas and not single.exists():
        folder = single.with_suffix(".tmp")
        spark.read.parquet(str(path)).coalesce(1).write.mode("overwrite").parquet(str(folder))
        next(folder.glob("part-*.parquet")).rename(single)
        shutil.rmtree(folder)
    return path


def _single_file(rows: int, columns: int) -> Path:
    return CACHE / f"pandas_{rows}x{columns}.parquet"


PARAMS = {"table": "visits", "key": "visit_id", "as_of": AS_OF}


def _params(columns: list[str]) -> dict:
    return {**PARAMS, "date_columns": [c for c in ("visit_at", "booked_on") if c in columns],
            "pii_columns": [c for c in ("phone", "email") if c in columns]}


def run_spark(rows: int, *, columns: int, master: str, driver_memory: str, with_gx: bool,
              for_pandas: bool = False) -> dict[str, float]:
    """The Spark engine's stage in this process: session, read, profile, row checks, Great Expectations.

    ``for_pandas``: also write the table's one-file copy that :func:`run_pandas` reads.
    """
    from readiness.quality import assess_quality
    from readiness.sources.spark import SparkSource, read_table, spark_session

    out: dict[str, float] = {"engine": "spark", "rows": rows, "columns": columns}
    started = time.perf_counter()
    spark = spark_session(master=master, driver_memory=driver_memory)
    out["session_s"] = time.perf_counter() - started
    path = parquet_table(spark, rows, columns, for_pandas=for_pandas)
    started = time.perf_counter()
    sdf = read_table(spark, path)
    out["read_s"] = time.perf_counter() - started
    timings: dict[str, float] = {}
    report = assess_quality(SparkSource.of(sdf, name="bench"), **_params(sdf.columns), run_expectations=with_gx,
                            timings=timings)
    out.update(timings)
    out["stage_s"] = time.perf_counter() - started
    out["findings"] = len(report.result.findings)
    out["score"] = report.scores.overall
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spark.stop()
    return out


def run_pandas(rows: int, *, columns: int, with_gx: bool) -> dict[str, float]:
    """The pandas engine's stage in this process, on the Parquet table the Spark run wrote."""
    from readiness.quality import assess_quality
    from readiness.tables import load_table

    out: dict[str, float] = {"engine": "pandas", "rows": rows, "columns": columns}
    started = time.perf_counter()
    loaded = load_table(_single_file(rows, columns), name="visits")
    out["read_s"] = time.perf_counter() - started
    assess_started = time.perf_counter()
    report = assess_quality(loaded, **_params(list(loaded.frame.columns)), run_expectations=with_gx)
    out["assess_s"] = time.perf_counter() - assess_started
    out["stage_s"] = time.perf_counter() - started
    out["findings"] = len(report.result.findings)
    out["score"] = report.scores.overall
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _fresh(args: argparse.Namespace, engine: str) -> dict[str, float]:
    """One engine in its own process, so its peak memory is its own."""
    argv = [sys.executable, __file__, "--rows", str(args.rows), "--columns", str(args.columns), "--master",
            args.master, "--driver-memory", args.driver_memory, "--engine", engine, "--json"]
    extra = ["--no-gx"] if args.no_gx else []
    if engine == "spark" and args.engine == "both":  # the pandas run that follows reads its copy
        extra.append("--for-pandas")
    done = subprocess.run(argv + extra, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"engine": engine, "failed": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=20, choices=range(1, len(COLUMNS) + 1), metavar="1-20")
    parser.add_argument("--engine", choices=["both", "spark", "pandas"], default="both")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--no-gx", action="store_true", help="skip Great Expectations")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--for-pandas", action="store_true",
                        help="with --engine spark: also write the one-file copy the pandas engine reads")
    args = parser.parse_args()
    if args.engine == "spark" and args.json:
        print(json.dumps(run_spark(args.rows, columns=args.columns, master=args.master,
                                   driver_memory=args.driver_memory, with_gx=not args.no_gx,
                                   for_pandas=args.for_pandas)))
        return
    if args.engine == "pandas" and args.json:
        print(json.dumps(run_pandas(args.rows, columns=args.columns, with_gx=not args.no_gx)))
        return
    engines = ["spark", "pandas"] if args.engine == "both" else [args.engine]
    found = [_fresh(args, engine) for engine in engines]  # Spark first: it writes the table
    if args.json:
        print(json.dumps(found))
        return
    names = list(dict.fromkeys(k for f in found for k in f))
    print(f"{'':>15}" + "".join(f"{f['engine']:>12}" for f in found))
    for name in names[1:]:
        cells = [f.get(name, "") for f in found]
        print(f"{name:>15}" + "".join(f"{c:>12,.1f}" if isinstance(c, float) else f"{c!s:>12}" for c in cells))


if __name__ == "__main__":
    main()
