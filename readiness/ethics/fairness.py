"""Model-level fairness: does a model's output treat groups differently?

Per group, with fairlearn's :class:`~fairlearn.metrics.MetricFrame`: count, selection rate,
true and false positive rates, false negative rate and precision; the demographic parity
difference and ratio and the equalized odds difference (fairlearn's own functions), with
seeded bootstrap intervals; and an Aequitas-style disparity table: each group's FPR, FNR,
FDR, FOR and predicted prevalence over the reference group's, read against the 0.8-1.25 band
(a reference line, not a legal verdict).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from readiness.errors import DataError

if TYPE_CHECKING:
    from fairlearn.metrics import MetricFrame

BAND = (0.8, 1.25)
N_BOOT = 200
DISPARITY_METRICS = ("fpr", "fnr", "fdr", "for", "pprev")
# Which errors hurt people depends on what the decision does to them.
DECISION_EFFECTS = {
    "punitive": ("fpr", "fdr"),  # a positive prediction costs the person (deposit, refusal): false alarms matter
    "assistive": ("fnr", "for"),  # a positive prediction helps (reminder, priority): missed people matter
}
BY_GROUP_COLUMNS = ["count", "selection_rate", "tpr", "fpr", "fnr", "precision"]
PREDICTION_COLUMNS = ("row_id", "y_true", "score", "decision")


def weighted_count(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray) -> float:
    """Number of rows represented (the sum of the weights)."""
    return float(np.sum(sample_weight))


def _metrics() -> dict:
    # fairlearn and scikit-learn are imported only when predictions exist (they are slow to import)
    from fairlearn.metrics import false_negative_rate, false_positive_rate, selection_rate, true_positive_rate
    from sklearn.metrics import precision_score

    return {
        "count": weighted_count, "selection_rate": selection_rate, "tpr": true_positive_rate,
        "fpr": false_positive_rate, "fnr": false_negative_rate,
        "precision": functools.partial(precision_score, zero_division=np.nan),
    }


def metric_frame(y_true: np.ndarray, y_pred: np.ndarray, groups: pd.Series) -> MetricFrame:
    """fairlearn's MetricFrame with count, selection rate, TPR, FPR, FNR and precision per group.

    Every metric here depends only on how many rows share each (group, true label, decision),
    so fairlearn is given those distinct combinations with their counts as sample weights:
    the same values (to floating-point rounding) at a tiny fraction of the cost on large tables.
    """
    cells = pd.DataFrame({"t": np.asarray(y_true, dtype=int), "p": np.asarray(y_pred, dtype=int),
                          "g": np.asarray(groups, dtype=object)}).value_counts(sort=False).reset_index(name="w")
    from fairlearn.metrics import MetricFrame

    weights = cells["w"].to_numpy(dtype=float)
    return MetricFrame(metrics=_metrics(), y_true=cells["t"].to_numpy(), y_pred=cells["p"].to_numpy(),
                       sensitive_features=cells["g"].to_numpy(dtype=object),
                       sample_params={name: {"sample_weight": weights} for name in _metrics()})


def fairness_summary(y_true: np.ndarray, y_pred: np.ndarray, groups: pd.Series, *, n_boot: int = N_BOOT,
                     seed: int = 0) -> dict[str, float]:
    """Demographic parity difference and ratio, equalized odds difference, each with a 95% bootstrap interval.

    The point values come from the fairlearn MetricFrame of :func:`metric_frame` exactly as
    fairlearn's ``demographic_parity_difference``, ``demographic_parity_ratio`` and
    ``equalized_odds_difference`` compute them (between groups, worst case); the intervals
    from ``n_boot`` resamples of the rows (with replacement, seeded) with the same definitions.

    Returns
    -------
    dict
        ``demographic_parity_difference``, ``demographic_parity_ratio``, ``equalized_odds_difference``
        and each with ``_low`` / ``_high``.
    """
    yt, yp = np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)
    g = np.asarray(groups, dtype=object)
    mf = metric_frame(yt, yp, g)
    difference, ratio = mf.difference(method="between_groups"), mf.ratio(method="between_groups")
    out = {
        "demographic_parity_difference": float(difference["selection_rate"]),
        "demographic_parity_ratio": float(ratio["selection_rate"]),
        "equalized_odds_difference": float(max(difference["tpr"], difference["fpr"])),
    }
    codes, _ = pd.factorize(g, sort=True)
    cells = codes * 4 + yt * 2 + yp  # group x (true, predicted)
    k = int(codes.max()) + 1
    rng = np.random.default_rng(seed)
    boots = np.array([_summary_from_counts(np.bincount(cells[rng.integers(0, len(cells), len(cells))],
                                                       minlength=4 * k).reshape(k, 4)) for _ in range(n_boot)])
    for i, name in enumerate(list(out)):
        finite = boots[:, i][np.isfinite(boots[:, i])] if n_boot else np.array([])
        low, high = np.quantile(finite, [0.025, 0.975]) if len(finite) else (np.nan, np.nan)
        out[f"{name}_low"], out[f"{name}_high"] = float(low), float(high)
    return out


def _summary_from_counts(c: np.ndarray) -> tuple[float, float, float]:
    """(dp difference, dp ratio, eo difference) from per-group counts [tn, fp, fn, tp] columns."""
    tn, fp, fn, tp = c[:, 0], c[:, 1], c[:, 2], c[:, 3]
    n = c.sum(axis=1)
    present = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        sel = ((fp + tp) / n)[present]
        tpr, fpr = (tp / (tp + fn))[present], (fp / (fp + tn))[present]
        ratio = sel.min() / sel.max() if sel.max() > 0 else np.nan
    return sel.max() - sel.min(), ratio, max(_spread(tpr), _spread(fpr))


def _spread(values: np.ndarray) -> float:
    """Largest minus smallest finite value (NaN when a resample left no group with a rate)."""
    finite = values[np.isfinite(values)]
    return float(finite.max() - finite.min()) if len(finite) else np.nan


def disparity_table(y_true: np.ndarray, y_pred: np.ndarray, groups: pd.Series, *, attribute: str,
                    reference: str, min_group_size: int = 30) -> pd.DataFrame:
    """Aequitas-style disparities: each group's FPR, FNR, FDR, FOR and PPREV over the reference group's.

    FDR is the share of positive predictions that are wrong, FOR the share of negative
    predictions that are wrong, PPREV the share of the group predicted positive. A disparity
    of 1 means parity; ``within_band`` says whether every disparity lies in 0.8-1.25.

    Returns
    -------
    pandas.DataFrame
        ``attribute``, ``group``, ``rows``, ``small``, ``reference``, the five metrics and
        ``<metric>_disparity`` for each, and ``within_band``.
    """
    frame = pd.DataFrame({"g": np.asarray(groups, dtype=object), "t": np.asarray(y_true, dtype=int),
                          "p": np.asarray(y_pred, dtype=int)})
    frame["tp"] = frame.t & frame.p
    frame["fp"] = (1 - frame.t) & frame.p
    frame["fn"] = frame.t & (1 - frame.p)
    frame["tn"] = (1 - frame.t) & (1 - frame.p)
    c = frame.groupby("g", sort=True)[["tp", "fp", "fn", "tn"]].sum().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = pd.DataFrame({
            "fpr": c.fp / (c.fp + c.tn), "fnr": c.fn / (c.fn + c.tp), "fdr": c.fp / (c.fp + c.tp),
            "for": c.fn / (c.fn + c.tn), "pprev": (c.fp + c.tp) / c.sum(axis=1),
        })
    rows = c.sum(axis=1).astype(int)
    out = pd.DataFrame({"attribute": attribute, "group": m.index.astype(str), "rows": rows.to_numpy(),
                        "small": (rows < min_group_size).to_numpy(), "reference": m.index == reference})
    for name in DISPARITY_METRICS:
        out[name] = m[name].to_numpy()
        ref = m.loc[reference, name]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{name}_disparity"] = (m[name] / ref).to_numpy() if ref > 0 else np.nan
    ratios = out[[f"{n}_disparity" for n in DISPARITY_METRICS]]
    out["within_band"] = ((ratios >= BAND[0]) & (ratios <= BAND[1]) | ratios.isna()).all(axis=1)
    return out.sort_values(["reference", "rows"], ascending=[False, False]).reset_index(drop=True)


# ------------------------------------------------------------------------------- inputs

def as_binary(values: pd.Series, positive_label: str, *, what: str) -> np.ndarray:
    """0/1 from booleans, 0/1 numbers or text equal to ``positive_label``; NaN for missing.

    Raises
    ------
    DataError
        Numbers other than 0 and 1 (scores given where decisions are expected).
    """
    present = values.dropna()
    out = np.full(len(values), np.nan)
    mask = values.notna().to_numpy()
    if pd.api.types.is_bool_dtype(present.dtype):
        out[mask] = present.astype(int).to_numpy()
        return out
    if pd.api.types.is_numeric_dtype(present.dtype):
        if not present.isin([0, 1]).all():
            example = present[~present.isin([0, 1])].iloc[0]
            raise DataError(f"{what} holds numbers other than 0 and 1 (e.g. {example!r}); "
                            "give decisions as 0/1, true/false or labels, not scores.")
        out[mask] = present.to_numpy(dtype=float)
        return out
    text = present.astype(str).str.strip().str.lower()
    wanted = str(positive_label).strip().lower()
    truthy = {wanted} | ({"1", "true", "yes"} if wanted in ("1", "true", "yes") else set())
    out[mask] = text.isin(truthy).to_numpy(dtype=float)
    return out


def load_predictions(path: str | Path, *, rows: int, keys: pd.Series | None = None) -> pd.DataFrame:
    """Read ``<use_case>.predictions.parquet`` and align it with the data's rows.

    Parameters
    ----------
    path : str or Path
        Parquet file with ``y_true``, ``score``, ``decision`` and the rows they belong to: ``row``
        (0-based position in the file, preferred when present) or ``row_id`` (the position, or the
        key when ``keys`` is given).
    rows : int
        Number of rows in the data.
    keys : pandas.Series, optional
        The data's key column; when given, ``row_id`` holds key values.

    Returns
    -------
    pandas.DataFrame
        The predictions with a ``position`` column (the data row each belongs to).

    Raises
    ------
    DataError
        Unreadable file, missing columns, repeated ids, ids not in the data, or (without
        ``row_id``) a length different from the data's.
    """
    path = Path(path)
    try:
        pred = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a bad file
        raise DataError(f"{path}: cannot read the predictions as Parquet ({type(exc).__name__}: {exc}); "
                        "give the feasibility stage's <use_case>.predictions.parquet.") from None
    if "decision" not in pred.columns:
        raise DataError(f"{path}: the predictions have no 'decision' column; columns are: "
                        f"{', '.join(map(str, pred.columns))}; expected {', '.join(PREDICTION_COLUMNS)}.")
    if "row" in pred.columns:  # the 0-based position in the file, as the feasibility stage writes it
        position = pd.to_numeric(pred["row"], errors="coerce")
        bad = int((position.isna() | (position < 0) | (position >= rows) | position.duplicated()).sum())
        if bad:
            raise DataError(f"{path}: {bad:,} of {len(pred):,} 'row' positions are missing, repeated or outside "
                            f"0-{rows - 1}; the predictions belong to another table or extract.")
        return pred.assign(position=position.astype(np.int64).to_numpy())
    if "row_id" not in pred.columns:
        if len(pred) != rows:
            raise DataError(f"{path}: {len(pred):,} predictions for {rows:,} data rows and no 'row_id' column to "
                            "match them; give one prediction per row or add row_id.")
        return pred.assign(position=np.arange(rows))
    ids = pred["row_id"]
    if ids.duplicated().any():
        raise DataError(f"{path}: {int(ids.duplicated().sum()):,} repeated row_id values; each data row "
                        "may have one prediction only.")
    if len(pred) > rows:
        raise DataError(f"{path}: {len(pred):,} predictions but the data has {rows:,} rows; the predictions "
                        "belong to another table or extract.")
    if keys is not None:
        lookup = pd.Series(np.arange(len(keys)), index=keys.astype(str).to_numpy())
        lookup = lookup[~lookup.index.duplicated()]
        position = ids.astype(str).map(lookup)
    else:
        position = pd.to_numeric(ids, errors="coerce")
        position = position.where((position >= 0) & (position < rows) & (position % 1 == 0))
    unknown = int(position.isna().sum())
    if unknown:
        what = "key values not in the data" if keys is not None else f"positions outside 0-{rows - 1}"
        raise DataError(f"{path}: {unknown:,} of {len(pred):,} row_id values are {what}; the predictions "
                        "belong to another table or extract.")
    return pred.assign(position=position.astype(np.int64).to_numpy())
