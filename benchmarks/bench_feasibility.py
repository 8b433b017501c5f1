"""Benchmark the feasibility stage on a synthetic churn table.

Prints seconds per phase (load, typing, checks, leakage screen, cross-validated models,
permutation test, threshold, learning curves), the total and the rows actually modelled.

    python benchmarks/bench_feasibility.py --rows 100000

The table (30 features: numbers, categories, flags, a date, an id; a yes/no target driven by a
few of them) is written once per row count to a cache folder and reused. The default time budget
(30 s) applies; ``--budget`` changes it and ``--threads`` sets OMP_NUM_THREADS for the run.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(tempfile.gettempdir()) / "readiness-bench"


def build_table(rows: int, seed: int = 7) -> pd.DataFrame:
    """30 features (16 numbers, 10 categories, a flag, a date, a count, an amount), an id and ``churned``.

    The yes/no label depends on a few numbers (one interaction), one category and the visit count.
    """
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"customer_id": np.char.add("C", np.char.zfill(np.arange(rows).astype(str), 8))}
    numbers = rng.normal(size=(rows, 16))
    for i in range(16):
        data[f"metric_{i:02d}"] = numbers[:, i].round(3)
    levels = [list("ab"), list("abc"), list("abcd"), list("abcdef"), [f"s{i}" for i in range(12)]]
    cats = {f"segment_{i:02d}": rng.choice(levels[i % 5], rows) for i in range(10)}
    data.update(cats)
    data["opted_in"] = np.where(rng.random(rows) < 0.4, "true", "false")
    data["registered_at"] = (np.datetime64("2019-01-01") + rng.integers(0, 2500, rows).astype("timedelta64[D]"))
    data["visits"] = rng.poisson(6, rows)
    data["spend_eur"] = np.round(rng.gamma(2.0, 60.0, rows), 2)
    logit = (-1.6 + 0.8 * numbers[:, 0] - 0.6 * numbers[:, 1] + 0.4 * numbers[:, 2] * numbers[:, 3]
             + np.where(cats["segment_01"] == "a", 0.7, 0.0) - 0.08 * data["visits"])
    data["churned"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "true", "false")
    return pd.DataFrame(data)


def cached_csv(rows: int) -> Path:
    """The benchmark table as CSV, built once per row count."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"feasibility_{rows}.csv"
    if not path.exists():
        build_table(rows).to_csv(path, index=False)
    return path


def main() -> None:
    """Run the stage once and print where the time went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--budget", type=float, default=30.0, help="time_budget_s for the use case")
    parser.add_argument("--threads", type=int, default=2, help="OMP_NUM_THREADS for the run")
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    from readiness.feasibility import assess_feasibility
    from readiness.tables import load_table

    path = cached_csv(args.rows)
    start = time.perf_counter()
    loaded = load_table(path)
    load_s = time.perf_counter() - start
    report = assess_feasibility(loaded, use_case="bench", target="churned", positive_label="true",
                                time_budget_s=args.budget)
    total = time.perf_counter() - start
    m = report.result.metrics
    features = loaded.frame.shape[1] - 2  # less the id and the label
    print(f"rows {args.rows:,} x {features} features, threads {args.threads}, budget {args.budget:g} s")
    print(f"{'load':>15s} {load_s:7.2f} s")
    for phase, seconds in m["seconds"].items():
        print(f"{phase:>15s} {seconds:7.2f} s")
    print(f"{'load + assess':>15s} {total:7.2f} s")
    print(f"rows modelled {m.get('rows_modelled', 0):,}; best {m.get('best_model')} "
          f"{m.get('primary_metric')} {m['lift']['value']:.3f}; verdict {report.result.verdict}")


if __name__ == "__main__":
    main()
