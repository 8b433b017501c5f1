"""Small hand-made tables with a known answer, shared by the feasibility tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

TEXT = pd.StringDtype("pyarrow")


def as_loaded(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text, the way a CSV is loaded (missing values stay missing)."""
    out = {}
    for name, col in frame.items():
        text = col.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
        out[name] = pd.Series(text, dtype=TEXT)
    return pd.DataFrame(out)


def signal_table(rows: int = 600, seed: int = 1) -> pd.DataFrame:
    """A yes/no outcome driven by two numbers and a category: a real, learnable signal."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=rows), rng.normal(size=rows)
    band = rng.choice(["low", "mid", "high"], size=rows)
    logit = 1.6 * x1 - 1.0 * x2 + np.select([band == "high", band == "low"], [1.0, -1.0], 0.0)
    y = rng.random(rows) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"case_id": [f"K{i:05d}" for i in range(rows)], "x1": x1.round(4), "x2": x2.round(4),
                         "band": band, "outcome": np.where(y, "yes", "no")})


def noise_table(rows: int = 600, seed: int = 2) -> pd.DataFrame:
    """The same columns with an outcome that ignores them."""
    frame = signal_table(rows, seed)
    rng = np.random.default_rng(seed + 100)
    return frame.assign(outcome=np.where(rng.random(rows) < 0.4, "yes", "no"))
