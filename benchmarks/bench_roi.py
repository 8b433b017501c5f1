"""Benchmark the ROI stage: Monte Carlo draws for a portfolio of use cases.

Prints the seconds taken by :func:`readiness.roi.assess_roi` (validation, cash flows, draws,
tornado, findings) for 10 use cases x 10,000 draws by default; the target is under one second.

    python benchmarks/bench_roi.py --use-cases 10 --draws 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time

from readiness.roi import assess_roi

SHAPES = [
    {"value": {"true_positive": [12, 30, 45], "false_positive": [-5, -2.5, -1],
               "decisions_per_year": [27000, 30000, 33000]},
     "benefit": {"shape": "model_decisions", "adoption": [0.4, 0.6, 0.85]},
     "feasibility": {"verdict": "pilot", "confusion_matrix": {"tp": 4300, "fp": 14500, "fn": 2830, "tn": 38283}}},
    {"benefit": {"shape": "time_saved", "hours_saved_per_year": [300, 600, 1000], "hourly_rate": [35, 45, 55],
                 "adoption": [0.5, 0.7, 0.9], "rework_share": [0.1, 0.2, 0.3]}},
    {"benefit": {"shape": "revenue", "customers": [2000, 2400, 2800], "churn_reduction": [0.005, 0.01, 0.02],
                 "margin_per_customer": [90, 120, 150], "retention_rate": [0.45, 0.5, 0.55]}},
    {"benefit": {"shape": "revenue", "customers": [500, 800, 1200], "uplift": [20, 40, 70],
                 "margin_rate": [0.3, 0.4, 0.5]}},
]
COSTS = {"data_preparation": [2000, 3000, 5000], "build": [6000, 10000, 16000], "training": [1000, 1500, 3000],
         "hosting": [600, 900, 1500], "maintenance": [1000, 1600, 2500]}


def portfolio(n: int) -> list[dict]:
    """``n`` use cases cycling through the four benefit shapes, each with five uncertain costs."""
    return [{"id": f"case_{i}", **SHAPES[i % len(SHAPES)], "costs": COSTS} for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--use-cases", type=int, default=10)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = portfolio(args.use_cases)
    assess_roi(cases, draws=100)  # warm-up: imports and first-call costs
    seconds = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        report = assess_roi(cases, draws=args.draws, seed=42)
        seconds.append(time.perf_counter() - start)
    draws = args.use_cases * args.draws
    best, median = min(seconds), statistics.median(seconds)
    print(f"assess_roi: {args.use_cases} use cases x {args.draws:,} draws = {draws:,} draws")
    print(f"  best {best:.3f} s, median {median:.3f} s over {args.repeat} runs ({draws / median:,.0f} draws/s)")
    print(f"  target < 1 s: {'met' if median < 1.0 else 'NOT met'}; verdict {report.result.verdict}")


if __name__ == "__main__":
    main()
