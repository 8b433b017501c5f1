"""Input drift between the assessed extract and the pilot period: the population stability index (PSI).

For each feature, the baseline's values are cut into bins: a number into 10 bins at the
baseline's deciles (the first and last open-ended), a category into one bin per value; missing
values form a bin of their own. With ``b`` and ``p`` the shares of the baseline and of the pilot
in a bin (an empty bin counts as 0.0001 so the logarithm exists),

    PSI = sum over bins of (p - b) * ln(p / b)

Bands, the usual reading: below 0.1 ``stable``, 0.1 to 0.25 ``moderate``, above 0.25 ``significant``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["EPSILON", "MAX_CATEGORIES", "MODERATE", "PSI_BINS", "SIGNIFICANT", "drift_band", "drift_table",
           "population_stability_index", "psi_bins"]

PSI_BINS = 10
EPSILON = 1e-4
MODERATE = 0.1
SIGNIFICANT = 0.25
MAX_CATEGORIES = 100  # more distinct values than this: an identifier or free text, not a feature to bin
MISSING_BIN = "(missing)"
DRIFT_COLUMNS = ["feature", "kind", "psi", "band", "baseline_rows", "pilot_rows", "moved_most", "note"]


def drift_band(psi: float | None) -> str | None:
    """``stable`` below 0.1, ``moderate`` from 0.1 to 0.25, ``significant`` above 0.25; None for no PSI.

    Examples
    --------
    >>> drift_band(0.05), drift_band(0.1), drift_band(0.25), drift_band(0.31)
    ('stable', 'moderate', 'moderate', 'significant')
    """
    if psi is None or not np.isfinite(psi):
        return None
    if psi < MODERATE:
        return "stable"
    return "moderate" if psi <= SIGNIFICANT else "significant"


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def _number(value: float) -> str:
    return f"{value:,.4g}"


def _numeric_bins(baseline: pd.Series, current: pd.Series, bins: int) -> tuple[pd.Series, pd.Series, list[str]]:
    base = pd.to_numeric(baseline, errors="coerce").to_numpy(dtype=float)
    now = pd.to_numeric(current, errors="coerce").to_numpy(dtype=float)
    present = base[np.isfinite(base)]
    edges = np.unique(np.quantile(present, np.arange(1, bins) / bins)) if len(present) else np.array([])
    labels = ([f"≤ {_number(edges[0])}"] + [f"{_number(a)} to {_number(b)}" for a, b in zip(edges[:-1], edges[1:],
                                                                                            strict=True)]
              + [f"> {_number(edges[-1])}"]) if len(edges) else ["all values"]

    def label(values: np.ndarray) -> pd.Series:
        # right-closed bins: a value equal to an edge falls in the bin that edge closes
        index = np.searchsorted(edges, values, side="left")
        out = pd.Series(np.asarray(labels, dtype=object)[np.minimum(index, len(labels) - 1)])
        return out.where(np.isfinite(values), MISSING_BIN)

    return label(base), label(now), [*labels, MISSING_BIN]


def _category_bins(baseline: pd.Series, current: pd.Series) -> tuple[pd.Series, pd.Series, list[str]]:
    def label(series: pd.Series) -> pd.Series:
        text = series.astype("string").str.strip()
        return text.where(text.notna() & (text != ""), MISSING_BIN).astype(object)

    base, now = label(baseline), label(current)
    return base, now, list(dict.fromkeys([*pd.unique(base), *pd.unique(now)]))


def psi_bins(baseline: pd.Series, current: pd.Series, *, numeric: bool | None = None,
             bins: int = PSI_BINS, epsilon: float = EPSILON) -> pd.DataFrame:
    """Each bin's share of the baseline and of the pilot, and its part of the PSI.

    Parameters
    ----------
    baseline, current : Series
        The feature in the assessed extract and in the pilot log.
    numeric : bool, optional
        Bin by the baseline's deciles (True) or by value (False); by default, as the baseline's dtype says.
    bins : int
        Quantile bins of a number.
    epsilon : float
        The share an empty bin counts as.

    Returns
    -------
    DataFrame
        ``bin``, ``baseline_share``, ``pilot_share``, ``contribution``; numbers in bin order, categories by
        contribution, largest first.
    """
    numeric = _is_numeric(baseline) if numeric is None else numeric
    base, now, order = _numeric_bins(baseline, current, bins) if numeric else _category_bins(baseline, current)
    b = base.value_counts(normalize=True, sort=False).reindex(order, fill_value=0.0)
    p = now.value_counts(normalize=True, sort=False).reindex(order, fill_value=0.0)
    frame = pd.DataFrame({"bin": order, "baseline_share": b.to_numpy(dtype=float),
                          "pilot_share": p.to_numpy(dtype=float)})
    frame = frame[(frame["baseline_share"] > 0) | (frame["pilot_share"] > 0)]  # a bin neither side uses is no bin
    b_eps = frame["baseline_share"].where(frame["baseline_share"] > 0, epsilon)
    p_eps = frame["pilot_share"].where(frame["pilot_share"] > 0, epsilon)
    frame = frame.assign(contribution=(p_eps - b_eps) * np.log(p_eps / b_eps))
    if not numeric:
        frame = frame.sort_values("contribution", ascending=False, kind="mergesort")
    return frame.reset_index(drop=True)


def population_stability_index(baseline: pd.Series, current: pd.Series, *, numeric: bool | None = None,
                               bins: int = PSI_BINS, epsilon: float = EPSILON) -> float:
    """PSI of one feature between the baseline and the pilot (see the module docstring).

    Examples
    --------
    >>> round(population_stability_index(pd.Series(list("aabb")), pd.Series(list("aaab"))), 6)
    0.274653
    """
    return float(psi_bins(baseline, current, numeric=numeric, bins=bins, epsilon=epsilon)["contribution"].sum())


def drift_table(baseline: pd.DataFrame, current: pd.DataFrame, features: list[str], *,
                bins: int = PSI_BINS) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The PSI of each feature and its band, with the bins of each feature compared.

    Returns
    -------
    tuple
        A frame with one row per feature (``feature``, ``kind``, ``psi``, ``band``, ``baseline_rows``,
        ``pilot_rows``, ``moved_most`` (the bin whose share moved most), ``note``), most drifted first,
        and feature -> its :func:`psi_bins` frame.
    """
    rows, details = [], {}
    for feature in features:
        numeric = _is_numeric(baseline[feature])
        row = {"feature": feature, "kind": "number" if numeric else "category",
               "baseline_rows": int(baseline[feature].notna().sum()), "pilot_rows": int(current[feature].notna().sum())}
        levels = baseline[feature].nunique(dropna=True)
        if not numeric and levels > MAX_CATEGORIES:
            rows.append({**row, "psi": np.nan, "band": None,
                         "note": f"{levels:,} distinct values: too many to compare as categories"})
            continue
        table = psi_bins(baseline[feature], current[feature], numeric=numeric, bins=bins)
        psi = float(table["contribution"].sum())
        moved = table.loc[(table["pilot_share"] - table["baseline_share"]).abs().idxmax()]
        rows.append({**row, "psi": psi, "band": drift_band(psi), "note": "",
                     "moved_most": f"{moved['bin']}: {moved['baseline_share']:.1%} → {moved['pilot_share']:.1%}"})
        details[feature] = table
    frame = pd.DataFrame(rows, columns=DRIFT_COLUMNS)
    return frame.sort_values("psi", ascending=False, na_position="last", kind="mergesort").reset_index(drop=True), \
        details
