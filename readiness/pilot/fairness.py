"""Fairness during the pilot: selection rate and true positive rate by group, against the reference group.

Per group of each attribute, on the decisions whose outcome is known, fairlearn's
:class:`~fairlearn.metrics.MetricFrame` gives the count, selection rate (share decided positive),
true positive rate, false positive rate and precision. The reference group is the largest; a
group's disparate impact is its selection rate over the reference group's, its TPR ratio its true
positive rate over the reference's. A group of at least ``min_group_size`` decisions with either
ratio outside 0.8-1.25 is a gap (a reference line, not a legal verdict). A numeric attribute with
many values (an age) is cut into quartiles first; missing values form a group of their own.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

__all__ = ["BAND", "FAIRNESS_COLUMNS", "fairness_table", "group_fairness", "group_labels", "metric_frame"]

BAND = (0.8, 1.25)
MAX_LEVELS = 12  # a numeric attribute with more distinct values is banded, as the ethics stage does
MISSING_GROUP = "(missing)"
FAIRNESS_COLUMNS = ["attribute", "group", "decisions", "small", "reference", "selection_rate", "tpr", "fpr",
                    "precision", "disparate_impact", "tpr_ratio", "gap"]


def metric_frame(outcome: np.ndarray, decision: np.ndarray, groups: pd.Series):
    """fairlearn's MetricFrame of count, selection rate, TPR, FPR and precision per group.

    Each metric depends only on how many decisions share a (group, outcome, decision), so
    fairlearn is given those combinations with their counts as sample weights: the same values
    as on every row, at a fraction of the cost on a long log.
    """
    from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate, true_positive_rate
    from sklearn.metrics import precision_score

    cells = pd.DataFrame({"t": np.asarray(outcome, dtype=int), "p": np.asarray(decision, dtype=int),
                          "g": np.asarray(groups, dtype=object)}).value_counts(sort=False).reset_index(name="w")
    weights = cells["w"].to_numpy(dtype=float)

    def count(y_true: np.ndarray, y_pred: np.ndarray, *, sample_weight: np.ndarray) -> float:
        return float(np.sum(sample_weight))

    metrics = {"count": count, "selection_rate": selection_rate, "tpr": true_positive_rate,
               "fpr": false_positive_rate, "precision": functools.partial(precision_score, zero_division=np.nan)}
    return MetricFrame(metrics=metrics, y_true=cells["t"].to_numpy(), y_pred=cells["p"].to_numpy(),
                       sensitive_features=cells["g"].to_numpy(dtype=object),
                       sample_params={name: {"sample_weight": weights} for name in metrics})


def group_labels(series: pd.Series) -> pd.Series:
    """Each decision's group as text: a number with over 12 values cut into quartiles, missing as ``(missing)``.

    Examples
    --------
    >>> group_labels(pd.Series(["F", None, "M"])).tolist()
    ['F', '(missing)', 'M']
    """
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    if numeric and series.nunique(dropna=True) > MAX_LEVELS:
        bands = pd.qcut(series, q=4, duplicates="drop")
        text = bands.map(lambda b: f"{b.left:g} to {b.right:g}").astype(object)
    else:
        text = series.astype("string").str.strip().astype(object)
    return text.where(pd.notna(text) & (text != ""), MISSING_GROUP).astype(str)


def _ratio(values: pd.Series, reference: float) -> pd.Series:
    return values / reference if np.isfinite(reference) and reference > 0 else pd.Series(np.nan, index=values.index)


def _outside(values: pd.Series) -> pd.Series:
    return values.notna() & ((values < BAND[0]) | (values > BAND[1]))


def group_fairness(outcome: np.ndarray, decision: np.ndarray, groups: pd.Series, *, attribute: str,
                   min_group_size: int = 30) -> pd.DataFrame:
    """Selection rate, TPR, FPR and precision per group, and each group's ratios to the largest group's.

    Parameters
    ----------
    outcome, decision : array of 0/1
        What happened and what was decided, on decisions whose outcome is known.
    groups : Series
        Each decision's value of the attribute (labelled by :func:`group_labels`).
    attribute : str
        The attribute's column, shown in the table.
    min_group_size : int
        Smaller groups are shown but marked ``small`` and never a gap.

    Returns
    -------
    DataFrame
        One row per group (columns :data:`FAIRNESS_COLUMNS`), the reference group first, then by size.

    Examples
    --------
    >>> table = group_fairness(np.array([1, 1, 0, 0, 1, 1, 0, 0]), np.array([1, 1, 1, 0, 1, 0, 0, 0]),
    ...                        pd.Series(list("aaaabbbb")), attribute="g", min_group_size=1)
    >>> table[["group", "selection_rate", "disparate_impact", "tpr_ratio", "gap"]].to_numpy().tolist()
    [['a', 0.75, 1.0, 1.0, False], ['b', 0.25, 0.3333333333333333, 0.5, True]]
    """
    labels = group_labels(pd.Series(groups).reset_index(drop=True))
    by_group = metric_frame(np.asarray(outcome, dtype=int), np.asarray(decision, dtype=int), labels).by_group
    by_group.index = by_group.index.astype(str)
    counts = by_group["count"].astype(float)
    reference = counts.sort_index().idxmax()
    ref = by_group.loc[reference]
    table = pd.DataFrame({
        "attribute": attribute, "group": by_group.index, "decisions": counts.round().astype(int).to_numpy(),
        "small": (counts < min_group_size).to_numpy(), "reference": (by_group.index == reference),
        "selection_rate": by_group["selection_rate"].to_numpy(dtype=float),
        "tpr": by_group["tpr"].to_numpy(dtype=float), "fpr": by_group["fpr"].to_numpy(dtype=float),
        "precision": by_group["precision"].to_numpy(dtype=float),
        "disparate_impact": _ratio(by_group["selection_rate"].astype(float), float(ref["selection_rate"])).to_numpy(),
        "tpr_ratio": _ratio(by_group["tpr"].astype(float), float(ref["tpr"])).to_numpy(),
    })
    table["gap"] = (~table["small"] & ~table["reference"]
                    & (_outside(table["disparate_impact"]) | _outside(table["tpr_ratio"])))
    table = table.sort_values(["reference", "decisions", "group"], ascending=[False, False, True], kind="mergesort")
    return table.reset_index(drop=True)[FAIRNESS_COLUMNS]


def fairness_table(outcome: np.ndarray, decision: np.ndarray, groups: dict[str, pd.Series], *,
                   min_group_size: int = 30) -> pd.DataFrame:
    """:func:`group_fairness` for every attribute, one table."""
    frames = [group_fairness(outcome, decision, labels, attribute=name, min_group_size=min_group_size)
              for name, labels in groups.items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FAIRNESS_COLUMNS)
