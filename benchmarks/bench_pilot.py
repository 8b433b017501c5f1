"""Benchmark the pilot review: 100,000 logged decisions against a 60,000-row assessed extract.

Generates a decision log (score, decision, outcome, five features, one of them drifted) and an
extract in a temporary folder, then prints the seconds :func:`readiness.pilot.assess_from_params`
takes (reading and typing both files, realised metrics with 1,000 bootstrap resamples, value,
calibration, PSI, fairness) and the process's peak memory. The target is under 15 s.

    python benchmarks/bench_pilot.py --rows 100000 --bootstrap 1000
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CHANNELS = ("web", "phone", "walk-in")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-64", "65+")


def _features(rng: np.random.Generator, rows: int, web_share: float) -> pd.DataFrame:
    rest = 1 - web_share
    return pd.DataFrame({
        "channel": rng.choice(CHANNELS, size=rows, p=(web_share, rest * 0.7, rest * 0.3)),
        "age_band": rng.choice(AGE_BANDS, size=rows),
        "gender": rng.choice(["F", "M", "X"], size=rows, p=(0.55, 0.43, 0.02)),
        "duration_min": rng.choice([30, 45, 60], size=rows),
        "price_eur": rng.normal(70, 12, size=rows).round(2),
    })


def _risk(frame: pd.DataFrame) -> np.ndarray:
    logit = -2.0 + 0.9 * (frame["channel"] == "web") + 0.6 * (frame["age_band"] == "18-24") \
        + 0.01 * (frame["price_eur"] - 70)
    return 1 / (1 + np.exp(-logit.to_numpy(dtype=float)))


def write_inputs(folder: Path, *, rows: int, baseline_rows: int, seed: int = 7) -> dict[str, str]:
    """The extract, the decision log and a feasibility result in ``folder``; their paths by parameter."""
    rng = np.random.default_rng(seed)
    extract = _features(rng, baseline_rows, 0.5)
    extract.insert(0, "appointment_id", [f"A{i:07d}" for i in range(baseline_rows)])
    extract["no_show"] = np.where(rng.random(baseline_rows) < _risk(extract), "true", "false")
    extract.to_csv(folder / "appointments.csv", index=False)
    log = _features(rng, rows, 0.8)  # the planted drift: web bookings up from half to four in five
    truth = _risk(log)
    score = 1 / (1 + np.exp(-(np.log(truth / (1 - truth)) + rng.normal(0, 0.35, rows))))
    log.insert(0, "appointment_id", [f"P{i:07d}" for i in range(rows)])
    log.insert(1, "scored_at", pd.date_range("2027-01-04", periods=rows, freq="min").strftime("%Y-%m-%dT%H:%M"))
    log.insert(2, "score", score.round(4))
    log.insert(3, "decision", np.where(score >= 0.15, "true", "false"))
    actual = np.where(rng.random(rows) < truth, "true", "false").astype(object)
    actual[-rows // 20:] = None  # the latest outcomes are not known yet
    log.insert(4, "actual", actual)
    log.to_csv(folder / "pilot.csv", index=False)
    feasibility = {"stage": "feasibility", "subject": "no_show", "verdict": "pilot", "score": 60.0, "findings": [],
                   "metrics": {"use_case": "no_show", "target": "no_show", "positive_label": "true",
                               "primary_metric": "roc_auc", "best_model": "linear",
                               "features": ["channel", "age_band", "gender", "duration_min", "price_eur"],
                               "models": {"linear": {"roc_auc": {"mean": 0.64, "ci": [0.63, 0.65]}}},
                               "threshold": 0.15, "confusion_matrix": {"tp": 2600, "fp": 16400, "fn": 350,
                                                                       "tn": 5600}}}
    (folder / "no_show.json").write_text(json.dumps(feasibility), encoding="utf-8")
    return {"data_path": str(folder / "pilot.csv"), "baseline_path": str(folder / "appointments.csv"),
            "feasibility_result": str(folder / "no_show.json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="logged decisions")
    parser.add_argument("--baseline-rows", type=int, default=60_000, help="rows of the assessed extract")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()
    from readiness.pilot import PilotParams, assess_from_params

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_inputs(Path(tmp), rows=args.rows, baseline_rows=args.baseline_rows)
        params = PilotParams(**paths, group_columns=["gender", "age_band"], bootstrap=args.bootstrap,
                             value={"true_positive": 30, "false_positive": -2.5, "decisions_per_year": 30000,
                                    "adoption": 0.6})
        import fairlearn.metrics  # noqa: F401 - imports are not the review's work
        import sklearn.metrics  # noqa: F401

        start = time.perf_counter()
        report = assess_from_params(params)
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    drift = report.result.metrics["drift"]
    print(f"pilot review: {args.rows:,} logged decisions, {args.baseline_rows:,}-row extract, "
          f"{args.bootstrap:,} bootstrap resamples")
    print(f"  {seconds:.2f} s, peak memory {peak_mb:,.0f} MB; target < 15 s: {'met' if seconds < 15 else 'NOT met'}")
    print(f"  verdict {report.result.verdict}; PSI of channel {drift['channel']:.3f} (planted)")


if __name__ == "__main__":
    main()
