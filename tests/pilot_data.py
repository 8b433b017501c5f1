"""Synthetic pilots with known answers: an assessed extract and a decision log drawn from the same model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

CHANNELS = ("web", "phone", "walk-in")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-64", "65+")


def _people(rng: np.random.Generator, rows: int, *, channel_shares: tuple[float, ...]) -> pd.DataFrame:
    return pd.DataFrame({
        "channel": rng.choice(CHANNELS, size=rows, p=channel_shares),
        "age_band": rng.choice(AGE_BANDS, size=rows, p=(0.1, 0.25, 0.25, 0.25, 0.15)),
        "gender": rng.choice(["F", "M"], size=rows),
        "duration_min": rng.choice([30, 45, 60], size=rows),
        "price_eur": rng.normal(70, 12, size=rows).round(2),
    })


def _true_probability(frame: pd.DataFrame) -> np.ndarray:
    logit = (-2.0 + 0.9 * (frame["channel"] == "web") - 0.4 * (frame["channel"] == "walk-in")
             + 0.6 * (frame["age_band"] == "18-24") + 0.01 * (frame["price_eur"] - 70))
    return 1 / (1 + np.exp(-logit.to_numpy(dtype=float)))


def baseline_extract(rows: int = 4000, seed: int = 1) -> pd.DataFrame:
    """The assessed extract: one row per appointment with its outcome ``no_show`` (true/false)."""
    rng = np.random.default_rng(seed)
    frame = _people(rng, rows, channel_shares=(0.5, 0.35, 0.15))
    frame.insert(0, "appointment_id", [f"A{i:06d}" for i in range(rows)])
    frame["no_show"] = np.where(rng.random(rows) < _true_probability(frame), "true", "false")
    return frame


def pilot_log(rows: int = 3000, seed: int = 2, *, web_share: float = 0.5, threshold: float = 0.2,
              noise: float = 0.3, score_shift: float = 0.0, unknown: int = 0,
              decision_flip: float = 0.0) -> pd.DataFrame:
    """A decision log: ``booking_id``, ``scored_at``, ``score``, ``decision``, ``actual`` and the features.

    ``web_share`` moves the channel mix (0.5 is the baseline's); ``score_shift`` adds to every
    score (miscalibration); ``noise`` is the model's error on the logit scale; the last ``unknown``
    rows have no outcome yet; ``decision_flip`` flips that share of decisions at random.
    """
    rng = np.random.default_rng(seed)
    rest = 1 - web_share
    frame = _people(rng, rows, channel_shares=(web_share, rest * 0.7, rest * 0.3))
    truth = _true_probability(frame)
    logit = np.log(truth / (1 - truth)) + rng.normal(0, noise, size=rows)
    score = np.clip(1 / (1 + np.exp(-logit)) + score_shift, 0.0, 1.0).round(4)
    decision = score >= threshold
    flip = rng.random(rows) < decision_flip
    decision = np.where(flip, ~decision, decision)
    actual = np.where(rng.random(rows) < truth, "true", "false").astype(object)
    if unknown:
        actual[-unknown:] = None
    start = pd.Timestamp("2027-01-04 08:00")
    frame.insert(0, "booking_id", [f"B{i:06d}" for i in range(rows)])
    frame.insert(1, "scored_at", [(start + pd.Timedelta(minutes=37 * i)).isoformat() for i in range(rows)])
    frame.insert(2, "score", score)
    frame.insert(3, "decision", np.where(decision, "true", "false"))
    frame.insert(4, "actual", actual)
    return frame


def feasibility_result(path: Path, *, use_case: str = "no_show", mean: float = 0.7, low: float = 0.68,
                       high: float = 0.72, confusion: dict | None = None, metric: str = "roc_auc",
                       leak: bool = False) -> Path:
    """A feasibility result JSON as the feasibility stage writes it (only what the pilot review reads)."""
    result = {
        "schema_version": "1.0", "stage": "feasibility", "subject": use_case, "verdict": "pilot", "score": 60.0,
        "metrics": {
            "use_case": use_case, "title": "Predict appointment no-shows", "kind": "classification",
            "target": "no_show", "positive_label": "true", "primary_metric": metric, "best_model": "linear",
            "features": ["channel", "age_band", "gender", "duration_min", "price_eur", "starts_at_dow"],
            "models": {"linear": {metric: {"mean": mean, "std": 0.01, "ci": [low, high], "folds": [mean] * 5}}},
            "threshold": 0.2, "confusion_matrix": confusion or {"tp": 300, "fp": 700, "fn": 200, "tn": 2800},
            "leakage_suspected": leak,
        },
        "findings": [],
    }
    path.write_text(json.dumps(result), encoding="utf-8")
    return path
