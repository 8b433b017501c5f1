"""Proxies: which features can stand in for a protected attribute.

Dropping ``gender`` from a model does not stop it learning gender when ``title`` gives it away.
For every feature and protected attribute this module measures the association (Cramer's V
for categories, scipy's ``contingency.association``; the correlation ratio for numbers), the
mutual information (scikit-learn's ``mutual_info_score``), and how well the
feature alone predicts the attribute (out-of-fold balanced accuracy of predicting the most
common attribute value of each feature value). Rows whose protected value is missing are
left out: the question is whether the feature reveals a known value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats.contingency import association
from sklearn.metrics import mutual_info_score

STRONG_ASSOCIATION = 0.5  # Cramer's V or correlation ratio at or above this: a strong proxy
STRONG_PREDICTIVENESS = 0.8  # ... or the feature alone predicts the attribute this well (balanced accuracy)
MODERATE_ASSOCIATION = 0.3
MAX_CATEGORIES = 50  # more distinct values than this (ids, free text) are not assessed
NUMERIC_BINS = 10
FOLDS = 5

PROXY_COLUMNS = [
    "attribute", "feature", "measure", "association", "mutual_information", "uncertainty_explained",
    "balanced_accuracy", "baseline_accuracy", "strength",
]


def cramers_v(x: Sequence, y: Sequence) -> float:
    """Cramer's V between two categorical variables: ``sqrt(chi2 / (n * (min(r, c) - 1)))``.

    0 means independent, 1 means each value of one fixes the other. Missing values are a category.

    Examples
    --------
    >>> cramers_v(["a", "a", "b", "b"], ["x", "x", "y", "y"])
    1.0
    """
    table = _contingency(_codes(x), _codes(y))
    return _cramers_v(table)


def _cramers_v(table: np.ndarray) -> float:
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.sum() == 0 or min(table.shape) < 2:
        return 0.0
    return float(association(table.astype(np.int64), method="cramer"))


def correlation_ratio(categories: Sequence, values: Sequence[float]) -> float:
    """The correlation ratio eta: ``sqrt(between-group sum of squares / total sum of squares)``.

    How much of a number's spread the categories explain (0 none, 1 all). Rows with a missing
    number are left out.

    Examples
    --------
    >>> round(correlation_ratio(["a", "a", "b", "b"], [1.0, 2.0, 3.0, 4.0]), 4)
    0.8944
    """
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v)
    codes, v = _codes(np.asarray(categories, dtype=object)[keep]), v[keep]
    if len(v) == 0:
        return 0.0
    total = ((v - v.mean()) ** 2).sum()
    if total == 0:
        return 0.0
    sums, counts = np.bincount(codes, weights=v), np.bincount(codes)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    between = (counts * (means - v.mean()) ** 2).sum()
    return float(np.sqrt(between / total))


def mutual_information(x: Sequence, y: Sequence) -> float:
    """Mutual information in nats between two categorical variables (as scikit-learn's ``mutual_info_score``)."""
    return _mutual_information(_contingency(_codes(x), _codes(y)))


def _mutual_information(table: np.ndarray) -> float:
    if table.sum() == 0:
        return 0.0
    return float(mutual_info_score(None, None, contingency=table))


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def _codes(values: Sequence) -> np.ndarray:
    codes, _ = pd.factorize(np.asarray(values, dtype=object), sort=True, use_na_sentinel=True)
    return np.where(codes < 0, codes.max(initial=-1) + 1, codes)  # missing values are one more category


def _contingency(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ka, kb = int(a.max()) + 1 if len(a) else 0, int(b.max()) + 1 if len(b) else 0
    return np.bincount(a * kb + b, minlength=ka * kb).reshape(ka, kb).astype(float)


def _feature_codes(series: pd.Series) -> tuple[np.ndarray, str] | None:
    """Codes of a feature's values (numbers in deciles, missing as its own code), or None when not assessable."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return None
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    if numeric and series.nunique(dropna=True) > MAX_CATEGORIES:
        ranks = series.rank(method="dense", pct=True)
        bins = np.ceil(ranks.fillna(0).to_numpy() * NUMERIC_BINS).astype(int)  # 0 is the missing bin
        return bins, "correlation ratio"
    if series.nunique(dropna=True) > MAX_CATEGORIES:
        return None
    return _codes(series.astype(object).where(series.notna(), None)), "Cramer's V"


def _oof_balanced_accuracy(feature: np.ndarray, target: np.ndarray, *, seed: int) -> float:
    """Out-of-fold balanced accuracy of predicting ``target`` by the most common value per feature value."""
    kf, kt = int(feature.max()) + 1, int(target.max()) + 1
    folds = np.random.default_rng(seed).permutation(len(target)) % FOLDS
    per_fold = np.bincount((folds * kf + feature) * kt + target, minlength=FOLDS * kf * kt).reshape(FOLDS, kf, kt)
    total = per_fold.sum(axis=0)
    fallback = int(np.argmax(np.bincount(target, minlength=kt)))
    predicted = np.empty(len(target), dtype=np.int64)
    for f in range(FOLDS):
        train = total - per_fold[f]
        best = np.where(train.sum(axis=1) > 0, train.argmax(axis=1), fallback)
        rows = folds == f
        predicted[rows] = best[feature[rows]]
    recalls = [np.mean(predicted[target == c] == c) for c in range(kt) if (target == c).any()]
    return float(np.mean(recalls))


def proxy_table(
    frame: pd.DataFrame,
    protected: Mapping[str, pd.Series],
    *,
    features: Sequence[str],
    missing_label: str = "(missing)",
    seed: int = 0,
) -> pd.DataFrame:
    """How strongly each feature stands in for each protected attribute.

    Parameters
    ----------
    frame : pandas.DataFrame
        The typed table.
    protected : mapping of str to pandas.Series
        Attribute name -> group labels (from :func:`readiness.ethics.bias.prepare_protected`).
    features : sequence of str
        Columns to assess. Dates, and text or numbers with more than :data:`MAX_CATEGORIES`
        distinct values that cannot be binned (identifiers, free text), are skipped.
    missing_label : str
        The label of rows whose protected value is missing (left out).
    seed : int
        Seeds the fold assignment of the predictiveness check.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROXY_COLUMNS`: ``association`` (Cramer's V or correlation ratio),
        ``mutual_information`` (nats), ``uncertainty_explained`` (mutual information over the
        attribute's entropy, 0-1), ``balanced_accuracy`` of the feature alone against
        ``baseline_accuracy`` (1 / number of groups), ``strength`` (strong, moderate or weak).
        Strongest first.
    """
    rows = []
    for attribute, labels in protected.items():
        known = (labels != missing_label).to_numpy()
        if not known.any():
            continue
        target = _codes(labels[known])
        if target.max() < 1:
            continue  # one group: nothing to predict
        entropy = _entropy(np.bincount(target))
        for feature in features:
            coded = _feature_codes(frame[feature][known])
            if coded is None:
                continue
            codes, measure = coded
            codes = _codes(codes)
            table = _contingency(codes, target)
            association = (_cramers_v(table) if measure == "Cramer's V"
                           else correlation_ratio(labels[known], frame[feature][known].to_numpy(dtype=float)))
            mi = _mutual_information(table)
            accuracy = _oof_balanced_accuracy(codes, target, seed=seed)
            rows.append({
                "attribute": attribute, "feature": feature, "measure": measure, "association": association,
                "mutual_information": mi, "uncertainty_explained": mi / entropy if entropy > 0 else 0.0,
                "balanced_accuracy": accuracy, "baseline_accuracy": 1 / (int(target.max()) + 1),
                "strength": _strength(association, accuracy),
            })
    out = pd.DataFrame(rows, columns=PROXY_COLUMNS)
    return out.sort_values(["association", "feature"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _strength(association: float, accuracy: float) -> str:
    if association >= STRONG_ASSOCIATION or accuracy >= STRONG_PREDICTIVENESS:
        return "strong"
    return "moderate" if association >= MODERATE_ASSOCIATION else "weak"
